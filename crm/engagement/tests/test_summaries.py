"""The customer list's summary columns stay right after every service that changes their
sources, and the rebuild computes the same values from scratch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from crm.activities.services import OutboundMessage, activity_create, outbound_messages_record
from crm.appliances.services import appliance_create, appliance_delete, appliance_update
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.selectors import CustomerFilters, customer_search
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.follow_ups import follow_up_log_create
from crm.engagement.services.reminders import reminder_update
from crm.engagement.services.summaries import customer_summaries_rebuild
from crm.jobs.services import (
    expense_create,
    expense_update,
    job_create,
    job_update,
    payment_create,
    payment_update,
)
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)
SUMMARY = ("revenue_total", "expenses_total", "net_profit", "last_contact_at", "next_service_due",
           "profit_margin")  # fmt: skip


def summary(customer: Customer) -> tuple[object, ...]:
    return tuple(Customer.objects.values_list(*SUMMARY).get(pk=customer.pk))


def rebuilt(customer: Customer) -> tuple[object, ...]:
    """What the rebuild computes from scratch, after wiping the stored values."""
    Customer.objects.filter(pk=customer.pk).update(
        revenue_total=0, expenses_total=0, net_profit=0, last_contact_at=None,
        next_service_due=None, profit_margin=None,
    )  # fmt: skip
    customer_summaries_rebuild()
    return summary(customer)


def test_payments_and_expenses_keep_the_money_columns(db):
    # given
    ana, bob = CustomerFactory(), CustomerFactory()
    job = JobFactory(customer=ana)
    # when
    payment = payment_create(customer_id=ana.pk, job_id=job.pk, amount=Decimal("150.00"),
                             date=DAY, payment_method="Card")  # fmt: skip
    expense = expense_create(customer_id=None, job_id=job.pk, amount=Decimal("40.10"), date=DAY,
                             category="Parts")  # fmt: skip
    payment_create(customer_id=ana.pk, job_id=None, amount=Decimal("0.20"), date=DAY,
                   payment_method="Cash")  # fmt: skip
    # then
    assert summary(ana)[:3] == (Decimal("150.20"), Decimal("40.10"), Decimal("110.10"))
    assert summary(ana)[5] == Decimal("0.733022")  # 110.10 / 150.20 = 0.73302263..., floored
    # when: a payment grows, an expense moves to another customer
    payment_update(payment_id=payment.pk, fields={"amount": Decimal("200.00")})
    expense_update(expense_id=expense.pk, fields={"customer_id": bob.pk, "job_id": None})
    # then
    assert summary(ana)[:3] == (Decimal("200.20"), Decimal("0.00"), Decimal("200.20"))
    assert summary(bob)[:3] == (Decimal("0.00"), Decimal("40.10"), Decimal("-40.10"))
    assert rebuilt(ana)[:3] == (Decimal("200.20"), Decimal("0.00"), Decimal("200.20"))
    assert rebuilt(bob)[:3] == (Decimal("0.00"), Decimal("40.10"), Decimal("-40.10"))
    assert (summary(ana)[5], summary(bob)[5]) == (Decimal("1.000000"), None)


def test_messages_in_and_out_and_logged_follow_ups_move_the_last_contact(db):
    # given
    customer = CustomerFactory()
    start = timezone.now() - dt.timedelta(days=30)
    # when: a note is no contact
    activity_create(customer_id=customer.pk, kind="Note", content="Gate code 1234",
                    occurred_at=start + dt.timedelta(days=9))  # fmt: skip
    # then
    assert summary(customer)[3] is None
    # when: a message comes in, one goes out, an older one is recorded late
    activity_create(customer_id=customer.pk, kind="WhatsApp", direction="Inbound",
                    content="Is Tuesday fine?", occurred_at=start)  # fmt: skip
    outbound_messages_record(messages=[
        OutboundMessage(customer_id=customer.pk, kind="SMS", content="Yes",
                        occurred_at=start + dt.timedelta(days=2)),
        OutboundMessage(customer_id=customer.pk, kind="SMS", content="See you",
                        occurred_at=start + dt.timedelta(days=1)),
    ])  # fmt: skip
    activity_create(customer_id=customer.pk, kind="Call", direction="Outbound",
                    content="Missed", occurred_at=start - dt.timedelta(days=5))  # fmt: skip
    # then
    assert summary(customer)[3] == start + dt.timedelta(days=2)
    # when: a follow-up is logged by hand
    follow_up_log_create(customer_id=customer.pk, channel="Phone", notes="All good",
                         staff_user=None, occurred_at=start + dt.timedelta(days=3))  # fmt: skip
    # then
    assert summary(customer)[3] == start + dt.timedelta(days=3)
    assert rebuilt(customer)[3] == start + dt.timedelta(days=3)


def test_appliances_and_completed_jobs_move_the_next_service_day(db):
    # given: refrigerators are serviced every 12 months
    customer = CustomerFactory()
    # when
    fridge = appliance_create(customer_id=customer.pk, fields={
        "type": "Refrigerator", "brand": "LG", "install_date": dt.date(2024, 5, 31)})  # fmt: skip
    microwave = appliance_create(customer_id=customer.pk, fields={
        "type": "Microwave", "brand": "GE", "last_service_date": dt.date(2024, 8, 31)})  # fmt: skip
    # then: the microwave's 6 months come first (end of February clamps)
    assert summary(customer)[4] == dt.date(2025, 2, 28)
    # when
    appliance_delete(appliance_id=microwave.pk)
    # then
    assert summary(customer)[4] == dt.date(2025, 5, 31)
    # when: a job on the fridge is completed
    job = job_create(customer_id=customer.pk, fields={
        "description": "Coils", "appliance_id": fridge.pk})  # fmt: skip
    completed = timezone.make_aware(dt.datetime(2026, 1, 15, 12))
    job_update(job_id=job.pk, fields={"status": "Completed", "completed_at": completed})
    # then
    assert summary(customer)[4] == dt.date(2027, 1, 15)
    # when: the install date is forgotten and the job reopened
    appliance_update(appliance_id=fridge.pk, fields={"install_date": None})
    job_update(job_id=job.pk, fields={"status": "Scheduled"})
    # then: the appliance keeps its last service day from the job
    assert summary(customer)[4] == dt.date(2027, 1, 15)
    assert rebuilt(customer)[4] == dt.date(2027, 1, 15)


def test_an_appliance_without_dates_has_no_service_day(db):
    # given
    customer = CustomerFactory()
    # when
    appliance_create(customer_id=customer.pk, fields={"type": "Dryer", "brand": "Bosch"})
    # then
    assert summary(customer)[4] is None


def test_a_done_reminder_leaves_the_open_reminder_filter(db):
    # given
    customer = CustomerFactory()
    reminder = Reminder.objects.create(customer=customer, kind="Manual", title="Call",
                                       due_date=DAY, source_key="manual:1")  # fmt: skip
    open_only = CustomerFilters(open_reminder=True)
    assert list(customer_search(filters=open_only)) == [customer]
    # when
    reminder_update(reminder_id=reminder.pk, status="Done")
    # then
    assert list(customer_search(filters=open_only)) == []


def test_the_rebuild_command_fixes_rows_written_past_the_services(db):
    # given: rows written in bulk, as an import or the demo does
    customer = CustomerFactory()
    job = JobFactory(customer=customer, completed=True)
    job.payments.create(customer=customer, amount=Decimal("99.99"), date=DAY,
                        payment_method="Card")  # fmt: skip
    ApplianceFactory(customer=customer, type="Dryer", install_date=dt.date(2025, 1, 31),
                     last_service_date=None)  # fmt: skip
    assert summary(customer) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        None,
        None,
        None,
    )
    out = StringIO()
    # when
    call_command("customer_summaries_rebuild", stdout=out)
    # then
    assert summary(customer) == (
        Decimal("99.99"),
        Decimal("0.00"),
        Decimal("99.99"),
        None,
        dt.date(2026, 1, 31),
        Decimal("1.000000"),
    )
    assert out.getvalue() == "Rebuilt the summaries of 1 customers.\n"
