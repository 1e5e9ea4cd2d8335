"""The dry run: per row create / update / skip / error, matched by phone or email; no writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from crm.appliances.models import Appliance
from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.models import Job, Payment
from crm.office.importing.apply import customers_import_check
from crm.office.importing.plan import RowError, RowResult
from crm.office.tests.csvfiles import counts, csv_bytes, row

pytestmark = pytest.mark.django_db


def _check(rows: list[list[str]], header: list[str] | None = None):  # type: ignore[no-untyped-def]
    return customers_import_check(data=csv_bytes(rows, header=header), mapping=None).plan


def test_new_rows_are_created_and_nothing_is_written() -> None:
    # given
    washer = {"appliance": "Washer", "brand": "LG", "job_date": "2025-03-04",
              "description": "Drum", "amount": "$1,250.50", "method": "credit card"}  # fmt: skip
    rows = [row(), row("Ben Ode", "555-201-0002", "ben@example.com", **washer)]

    # when
    plan = _check(rows)

    # then
    assert plan.results == [
        RowResult(2, "create", "Ana Ruiz", "new customer"),
        RowResult(3, "create", "Ben Ode", "new customer, + appliance, + past job, + payment"),
    ]
    assert plan.counts() == counts(rows=2, created=2, appliances=1, jobs=1, payments=1)
    ben = plan.writes[1]
    assert (ben.customer.phone, ben.customer.email) == ("+15552010002", "ben@example.com")
    assert ben.appliance is not None
    assert ben.payment is not None
    assert (ben.appliance["type"], ben.payment["amount"], ben.payment["payment_method"]) == (
        "WashingMachine",
        Decimal("1250.50"),
        "Card",
    )
    assert Customer.objects.count() == Appliance.objects.count() == Job.objects.count() == 0
    assert Payment.objects.count() == 0


def test_existing_customers_match_by_phone_or_email_and_unchanged_rows_are_skipped() -> None:
    # given
    by_phone = CustomerFactory(
        name="Ana Ruiz", phone="+15552010001", email="ana@example.com", address="1 Elm St"
    )
    by_email = CustomerFactory(name="Carl Old", phone="", email="carl@example.com")
    rows = [row(), row("Carl New", "", "CARL@example.com", "")]

    # when
    plan = _check(rows)

    # then
    assert plan.results == [
        RowResult(2, "skip", "Ana Ruiz", f"matched by phone: customer #{by_phone.pk}"),
        RowResult(
            3, "update", "Carl New", f"matched by email: customer #{by_email.pk}, changes name"
        ),
    ]
    assert list(plan.changed_customers) == [by_email.pk]
    assert Customer.objects.get(pk=by_email.pk).name == "Carl Old"


def test_a_later_row_of_the_same_file_updates_the_customer_an_earlier_row_creates() -> None:
    rows = [row(), row("Ana Ruiz", "", "ana@example.com", appliance="Fridge", brand="GE")]

    plan = _check(rows)

    assert plan.results[1] == RowResult(
        3, "update", "Ana Ruiz", "same customer as row 2, + appliance"
    )
    assert plan.counts()["created"] == 1
    assert plan.writes[1].customer is plan.writes[0].customer


def test_marketing_consent_counts_as_a_change_only_when_it_differs() -> None:
    customer = CustomerFactory(
        name="Ana Ruiz", phone="+15552010001", email="ana@example.com", address="1 Elm St"
    )
    ContactConsentFactory(customer=customer, channel=MessageChannel.SMS, marketing_opt_in=True)
    header = ["Name", "Phone", "Email", "Address", "Marketing SMS", "Marketing Email"]

    plan = _check([["Ana Ruiz", "5552010001", "ana@example.com", "1 Elm St", "yes", "no"]], header)

    assert plan.results[0].action == "update"
    assert plan.writes[0].marketing == {MessageChannel.EMAIL: False}
    assert ContactConsent.objects.count() == 1


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"phone": "call me"}, "Phone", "bad phone number: Phone number 'call me' cannot be read"),
        ({"email": "ana@"}, "Email", "bad email address 'ana@'"),
        ({"job_date": "31/31/2024"}, "Job date", "bad date '31/31/2024' (use YYYY-MM-DD)"),
        ({"job_date": "2999-07-01"}, "Job date", "date '2999-07-01' is in the future"),
        ({"job_date": "2025-01-01", "amount": "-5"}, "Amount", "negative amount '-5'"),
        (
            {"job_date": "2025-01-01", "amount": "5.001"},
            "Amount",
            "bad amount '5.001' (at most two decimal places)",
        ),
        (
            {"job_date": "2025-01-01", "amount": "5", "method": "Bitcoin"},
            "Payment method",
            "unknown payment method 'Bitcoin' (accepted: BankTransfer, Card, Cash, Check, "
            "MobileWallet, Other)",
        ),
        ({"amount": "5"}, "Job date", "missing job date (the row has other job columns)"),
        (
            {"name": "", "phone": "555-201-0999", "email": ""},
            "Name",
            "missing name (needed for a new customer)",
        ),
        (
            {"appliance": "Toaster", "brand": "LG"},
            "Appliance type",
            "unknown appliance type 'Toaster' (accepted: AirConditioner, Dishwasher, Dryer, "
            "Freezer, Microwave, Other, OvenRange, Refrigerator, WashingMachine, WaterHeater)",
        ),
        (
            {"appliance": "Dryer"},
            "Brand",
            "missing appliance brand (the row has other appliance columns)",
        ),
    ],
)
def test_each_kind_of_error_names_row_column_and_reason(
    cells: dict[str, str], column: str, reason: str
) -> None:
    # given: a good first row, the bad one second
    bad = {"name": "Bea Bad", "phone": "555-201-0003", "email": "bea@example.com", **cells}
    plan = _check([row(), row(**bad)])

    # then
    assert plan.errors[0].row == 3
    assert plan.errors[0].column == column
    assert plan.errors[0].reason.startswith(reason)
    assert plan.results[1].action == "error"
    assert plan.counts()["rows_with_errors"] == 1
    assert plan.results[0] == RowResult(2, "create", "Ana Ruiz", "new customer")


def test_every_error_of_a_row_is_reported() -> None:
    plan = _check([row("", "12", "nope")])

    assert plan.errors == [
        RowError(
            2,
            "Phone",
            "bad phone number: Phone number '12' has the wrong number of digits for its country.",
        ),
        RowError(2, "Email", "bad email address 'nope'"),
        RowError(2, "Name", "missing name (needed for a new customer)"),
    ]


@pytest.mark.parametrize("rows", [5, 400])
def test_the_dry_run_reads_the_database_in_a_fixed_number_of_queries(
    rows: int, django_assert_num_queries: Any
) -> None:
    # given: two existing customers the file names, and many it does not
    CustomerFactory(phone="+15550000001")
    CustomerFactory(email="c3@example.com")
    data = csv_bytes([row(f"C {n}", f"555{n:07d}", f"c{n}@example.com") for n in range(rows)])

    # then: customers by phone, by email, their consents; never a query per row
    with django_assert_num_queries(3):
        customers_import_check(data=data, mapping=None)
