import datetime as dt

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.activities.selectors import activity_page
from crm.activities.services import (
    OutboundMessage,
    activity_create,
    inbound_answered_record,
    outbound_messages_record,
)
from crm.activities.tests.factories import ActivityFactory
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_a_note_is_internal_by_default():
    customer = CustomerFactory()
    note = activity_create(customer_id=customer.pk, kind="Note", content="Prefers mornings")
    assert (note.direction, note.content) == ("Internal", "Prefers mornings")


@pytest.mark.parametrize(
    ("kind", "direction", "content", "field"),
    [
        ("Note", "Inbound", "x", "direction"),
        ("WhatsApp", "Internal", "x", "direction"),
        ("Call", "Outbound", "   ", "content"),
        ("Email", "Inbound", "x" * 10_001, "content"),
    ],
)
def test_refusals_save_nothing(kind, direction, content, field):
    customer = CustomerFactory()
    with pytest.raises(ValidationFailed) as error:
        activity_create(customer_id=customer.pk, kind=kind, direction=direction, content=content)
    assert error.value.field == field
    assert Activity.objects.count() == 0


def test_job_of_another_customer_is_refused():
    with pytest.raises(ValidationFailed):
        activity_create(
            customer_id=CustomerFactory().pk, kind="Call", content="x", job_id=JobFactory().pk
        )
    assert Activity.objects.count() == 0


def test_pages_are_newest_first_and_filter_by_kind():
    # given: 25 calls and 1 note, an hour apart
    customer = CustomerFactory()
    start = timezone.now() - dt.timedelta(days=2)
    for hour in range(25):
        ActivityFactory(
            customer=customer,
            kind="Call",
            direction="Inbound",
            occurred_at=start + dt.timedelta(hours=hour),
        )
    ActivityFactory(customer=customer, kind="Note", occurred_at=start + dt.timedelta(hours=30))
    # when
    first = activity_page(customer_id=customer.pk, kind="Call", page=1)
    second = activity_page(customer_id=customer.pk, kind="Call", page=2)
    # then
    assert (len(first.items), first.has_next, len(second.items), second.has_next) == (
        20,
        True,
        5,
        False,
    )
    assert first.items[0].occurred_at == start + dt.timedelta(hours=24)
    assert activity_page(customer_id=customer.pk).items[0].kind == "Note"


def test_outbound_messages_are_recorded_together_or_not_at_all():
    # given two customers, one with a job
    job = JobFactory()
    other = CustomerFactory()
    when = timezone.now()
    good = [
        OutboundMessage(job.customer_id, "SMS", "On my way", when, job_id=job.pk),
        OutboundMessage(other.pk, "Email", "Your invoice", when),
    ]
    # when a group names the first customer's job for the second customer
    with pytest.raises(ValidationFailed) as error:
        outbound_messages_record(
            messages=[*good, OutboundMessage(other.pk, "SMS", "x", when, job_id=job.pk)]
        )
    # then nothing is saved; the good group is saved whole, as outbound messages
    assert error.value.field == "jobId"
    assert not Activity.objects.exists()
    assert outbound_messages_record(messages=good) == 2
    rows = Activity.objects.order_by("id").values_list("customer_id", "kind", "direction", "job_id")
    assert list(rows) == [
        (job.customer_id, "SMS", "Outbound", job.pk),
        (other.pk, "Email", "Outbound", None),
    ]


def test_marking_a_customers_messages_answered_is_a_note_signed_by_the_user(staff_user):
    # given
    customer = CustomerFactory()
    # when
    note = inbound_answered_record(customer_id=customer.pk, user=staff_user)
    # then
    assert (note.kind, note.direction, note.author_id) == ("Note", "Internal", staff_user.pk)
    assert note.content == (
        "Customer's messages marked answered by office (replied outside ServiceCRM)."
    )


def test_marking_answered_for_a_customer_that_does_not_exist_is_refused():
    with pytest.raises(ValidationFailed):
        inbound_answered_record(customer_id=999, user=None)
    assert Activity.objects.count() == 0
