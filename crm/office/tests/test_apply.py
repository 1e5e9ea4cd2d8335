"""The confirmed import: exact counts and fields, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm.activities.models import Activity
from crm.appliances.models import Appliance
from crm.core.errors import Conflict
from crm.core.tests.factories import UserFactory
from crm.customers.models import ContactConsent, Customer
from crm.customers.services.consent import address_opt_out
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job, JobStatus, Payment
from crm.office.importing import apply
from crm.office.importing.apply import ImportHasErrors, customers_import
from crm.office.tests.csvfiles import HEADER, counts, csv_bytes, row

pytestmark = pytest.mark.django_db


def _table_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Customer, ContactConsent, Appliance, Job, Payment, Activity)
    )


def test_confirm_writes_customers_appliances_jobs_and_payments_with_exact_fields() -> None:
    # given
    existing = CustomerFactory(name="Old Name", phone="+15552010002", email="ben@example.com")
    header = [*HEADER, "Marketing Email", "Notes", "Customer since", "Language"]
    fridge = {"appliance": "Fridge", "brand": "GE", "job_date": "03/04/2025",
              "description": "Seal", "amount": "120", "method": "cash"}  # fmt: skip
    rows = [
        [*row(**fridge), "yes", "Gate code 12", "2019-05-01", "es-MX"],
        [*row("Ben Ode", "555 201 0002", "BEN@example.com", ""), "", "", "", ""],
    ]
    author = UserFactory(username="importer")

    # when
    checked = customers_import(data=csv_bytes(rows, header=header), mapping=None, author=author)

    # then
    assert checked.plan.counts() == counts(
        rows=2, created=1, updated=1, appliances=1, jobs=1, payments=1
    )
    ana = Customer.objects.get(email="ana@example.com")
    assert (ana.name, ana.phone, ana.address, ana.language_preference) == (
        "Ana Ruiz",
        "+15552010001",
        "1 Elm St",
        "es-MX",
    )
    assert ana.created_at.date() == dt.date(2019, 5, 1)
    assert len(ana.referral_code) == 8
    assert list(ana.consents.values_list("channel", "marketing_opt_in")) == [("Email", True)]
    appliance = Appliance.objects.get(customer=ana)
    assert (appliance.type, appliance.brand, appliance.last_service_date) == (
        "Refrigerator",
        "GE",
        dt.date(2025, 3, 4),
    )
    job = Job.objects.get(customer=ana)
    assert (job.status, job.description, job.appliance_id) == (
        JobStatus.COMPLETED,
        "Seal",
        appliance.pk,
    )
    assert job.completed_at is not None
    assert job.completed_at.date() == dt.date(2025, 3, 4)
    payment = Payment.objects.get(customer=ana)
    assert (payment.job_id, payment.amount, payment.payment_method, payment.date) == (
        job.pk,
        Decimal("120.00"),
        "Cash",
        dt.date(2025, 3, 4),
    )
    note = Activity.objects.get(customer=ana)
    assert (note.kind, note.content, note.author) == ("Note", "Gate code 12", author)
    existing.refresh_from_db()
    assert (existing.name, existing.phone, existing.email) == (
        "Ben Ode",
        "+15552010002",
        "ben@example.com",
    )
    assert Customer.objects.count() == 2


def test_confirm_refreshes_the_list_summaries_of_the_customers_it_touched() -> None:
    # given a customer whose stored totals are right before the import
    existing = CustomerFactory(name="Ben", phone="+15552010002", email="ben@example.com")
    fridge = {"appliance": "Fridge", "brand": "GE", "job_date": "03/04/2025",
              "description": "Seal", "amount": "120", "method": "cash"}  # fmt: skip
    hose = {"job_date": "2025-06-01", "description": "Hose", "amount": "80", "method": "card"}
    rows = [row(**fridge), row("Ben", "555 201 0002", "ben@example.com", "", **hose)]

    # when
    customers_import(data=csv_bytes(rows), mapping=None, author=None)

    # then the list filters and sorts on the new money at once
    ana = Customer.objects.get(email="ana@example.com")
    existing.refresh_from_db()
    assert (ana.revenue_total, ana.net_profit, ana.profit_margin) == (
        Decimal("120.00"), Decimal("120.00"), Decimal("1.000000"),
    )  # fmt: skip
    assert (existing.revenue_total, existing.net_profit) == (Decimal("80.00"), Decimal("80.00"))


def test_a_file_with_errors_imports_nothing() -> None:
    before = _table_counts()

    with pytest.raises(ImportHasErrors) as refused:
        customers_import(data=csv_bytes([row(), row(email="nope")]), mapping=None, author=None)

    assert refused.value.message == (
        "1 problem in the file: nothing was imported. Fix them and import the file again."
    )
    assert refused.value.errors() == [
        {"field": "row 3: Email", "message": "bad email address 'nope'"}
    ]
    assert _table_counts() == before


def test_a_write_refused_by_the_database_halfway_rolls_back_everything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given: 600 good rows (more than one batch); after customers, consents and appliances are
    # written, the last row's payment method is corrupted so the database CHECK refuses it
    CustomerFactory(name="Kept", phone="+15559990000")
    rows = [
        row(
            f"C {n}",
            f"555{n:07d}",
            f"c{n}@example.com",
            appliance="Dryer",
            brand="LG",
            job_date="2025-01-02",
            amount="10",
            method="Card",
        )
        for n in range(600)
    ]
    before = _table_counts()
    real_jobs_create = apply.jobs_history_bulk_create

    def corrupting(*, jobs: list[Job], payments: list[Payment]) -> None:
        payments[-1].payment_method = "Bitcoin"
        real_jobs_create(jobs=jobs, payments=payments)

    monkeypatch.setattr(apply, "jobs_history_bulk_create", corrupting)

    # when
    with pytest.raises(Conflict) as refused:
        customers_import(data=csv_bytes(rows), mapping=None, author=None)

    # then
    assert refused.value.message.endswith("nothing was imported.")
    assert _table_counts() == before
    assert list(Customer.objects.values_list("name", flat=True)) == ["Kept"]


def test_an_imported_phone_or_email_that_opted_out_starts_opted_out() -> None:
    # given the number wrote STOP and the address unsubscribed, before any record had them
    address_opt_out(channel="SMS", address="+15552010001", source="Keyword", detail="STOP")
    address_opt_out(channel="Email", address="ana@example.com", source="Link", detail="link")
    header = [*HEADER, "Marketing Email"]
    # when a file brings a customer with both (the email typed in capitals), welcoming marketing
    customers_import(data=csv_bytes([[*row(), "yes"]], header=header), mapping=None, author=None)
    # then the record starts opted out of SMS and Email, not of WhatsApp
    ana = Customer.objects.get(email="ana@example.com")
    states = {c.channel: (c.opted_out_at is not None, c.marketing_opt_in)
              for c in ContactConsent.objects.filter(customer=ana)}  # fmt: skip
    assert states == {"SMS": (True, False), "Email": (True, False)}
