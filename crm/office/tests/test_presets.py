"""Presets map the header rows of real exports onto our fields."""

from __future__ import annotations

import pytest

from crm.core.errors import ValidationFailed
from crm.office.importing.presets import (
    header_key,
    mapping_check,
    mapping_parse,
    mapping_propose,
    preset_guess,
)

JOBBER = [
    "J-ID",
    "Display name",
    "Title",
    "First name",
    "Last name",
    "Company name",
    "Mobile phone",
    "Main phone",
    "Email",
    "Service street 1",
    "Service street 2",
    "Service city",
    "Service state",
    "Service zip code",
    "Tags",
    "Created date",
]
HOUSECALL = [
    "First Name",
    "Last Name",
    "Email",
    "Company",
    "Mobile Number",
    "Home Number",
    "Customer Tags",
    "Address",
    "Street",
    "Street Line 2",
    "City",
    "State",
    "Zip",
]
OURS = [
    "name",
    "phone",
    "email",
    "address",
    "preferred_contact_method",
    "language_preference",
    "timezone",
    "referral_code",
    "customer_since",
    "net_profit",
]


def test_header_key_ignores_case_spaces_underscores_and_punctuation() -> None:
    assert header_key("Mobile Phone #") == header_key("mobile_phone") == "mobilephone"


JOBBER_MAPPING = {
    "first_name": "First name", "last_name": "Last name", "company": "Company name",
    "phone": "Mobile phone", "email": "Email", "street": "Service street 1",
    "street2": "Service street 2", "city": "Service city", "state": "Service state",
    "zip": "Service zip code", "customer_since": "Created date", "name": "Display name",
}  # fmt: skip
HOUSECALL_MAPPING = {
    "first_name": "First Name", "last_name": "Last Name", "company": "Company",
    "phone": "Mobile Number", "email": "Email", "address": "Address", "street": "Street",
    "street2": "Street Line 2", "city": "City", "state": "State", "zip": "Zip",
}  # fmt: skip
# Our export with small differences in spelling: "Preferred Contact Method" ...
OURS_SPELLED = [header.replace("_", " ").title() for header in OURS]
OURS_MAPPING = {
    "name": "Name", "phone": "Phone", "email": "Email", "address": "Address",
    "preferred_contact_method": "Preferred Contact Method", "language": "Language Preference",
    "timezone": "Timezone", "customer_since": "Customer Since",
}  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "preset", "expected"),
    [
        (JOBBER, "jobber", JOBBER_MAPPING),
        (HOUSECALL, "housecallpro", HOUSECALL_MAPPING),
        (OURS_SPELLED, "servicecrm", OURS_MAPPING),
    ],
)
def test_real_export_headers_are_recognised_and_mapped(
    headers: list[str], preset: str, expected: dict[str, str]
) -> None:
    # when
    mapping = mapping_propose(headers)

    # then
    assert preset_guess(headers) == preset
    assert mapping == expected


def test_a_chosen_preset_wins_and_an_unknown_one_is_refused() -> None:
    assert mapping_propose(["Mobile Number", "Phone"], "housecallpro")["phone"] == "Mobile Number"
    with pytest.raises(ValidationFailed) as refused:
        mapping_propose(OURS, "salesforce")
    assert refused.value.field == "preset"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"shoe_size": "Name"}, "Unknown fields in the mapping: shoe_size."),
        ({"name": "Nom"}, "The file has no column named 'Nom'."),
        (
            {"phone": "Phone"},
            "Choose the column with the customer's name (or first and last name).",
        ),
    ],
)
def test_mapping_check_refuses_what_the_file_cannot_fill(
    mapping: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        mapping_check(["Name", "Phone"], mapping)

    assert (refused.value.field, refused.value.message) == ("mapping", message)


def test_mapping_parse_reads_json_and_refuses_anything_else() -> None:
    assert mapping_parse("") is None
    assert mapping_parse('{"phone": "Cell"}') == {"phone": "Cell"}
    for bad in ('["phone"]', "{phone: Cell}", '{"phone": 3}'):
        with pytest.raises(ValidationFailed):
            mapping_parse(bad)
