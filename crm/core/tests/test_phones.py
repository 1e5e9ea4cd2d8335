"""Phone numbers are stored in E.164 whatever way they were typed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from crm.core.errors import ValidationFailed
from crm.core.phones import phone_display, phone_normalize, phone_normalize_or_none


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(555) 020-1234", "+15550201234"),
        ("555.020.1234", "+15550201234"),
        ("+1 555 020 1234", "+15550201234"),
        ("001 555 020 1234", "+15550201234"),
        ("+34 612 34 56 78", "+34612345678"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_normalize_reads_national_and_international_forms(typed: str, stored: str) -> None:
    assert phone_normalize(typed) == stored


@override_settings(COMPANY_COUNTRY="ES")
def test_a_national_number_is_read_in_the_company_country() -> None:
    assert phone_normalize("612 34 56 78") == "+34612345678"


@pytest.mark.parametrize("typed", ["call me", "12", "+1 555 020 1234 5678 99"])
def test_phone_normalize_refuses_what_is_not_a_number(typed: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        phone_normalize(typed)
    assert refused.value.field == "phone"
    assert typed in refused.value.message


def test_phone_normalize_or_none_is_none_for_words() -> None:
    assert phone_normalize_or_none("smith") is None
    assert phone_normalize_or_none("555 020 1234") == "+15550201234"


def test_phone_display_is_national_at_home_and_international_abroad() -> None:
    assert phone_display("+15550201234") == "(555) 020-1234"
    assert phone_display("+34612345678") == "+34 612 34 56 78"
    assert phone_display("") == ""
