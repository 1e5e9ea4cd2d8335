"""The appointment reminder's whole life through the outbox: booked -> scheduled, moved ->
moved, cancelled / completed -> cancelled, reopened -> back, booked late -> none; one per visit."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.company import company
from crm.customers.models import ServiceLocation
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.services.appointment_reminders import (
    TOO_LATE,
    WITHDRAWN,
    appointment_reminder_sync,
    reminder_key,
)
from crm.engagement.services.booking import VisitRequest, visit_book
from crm.engagement.services.jobs import job_create_and_follow_up, job_update_and_follow_up
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.services.dispatch import outbox_dispatch_one
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2030, 12, 10)  # a Tuesday
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def _always_contact_hours(settings):  # type: ignore[no-untyped-def]
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"


def _book(customer_id: int, *, technician_id: int | None = None, appliance_id: int | None = None):  # type: ignore[no-untyped-def]
    request = VisitRequest(
        customer_id=customer_id, appliance_id=appliance_id, problem="Fridge is warm", day=DAY,
        window_key="10:00-12:00", technician_id=technician_id, service_address="",
        estimated_price=Decimal("90.00"),
    )  # fmt: skip
    return visit_book(request=request)


def _reminder(job: Job) -> ScheduledMessage:
    return ScheduledMessage.objects.get(idempotency_key=reminder_key(job.pk))


def test_booking_schedules_one_service_reminder_a_day_ahead_naming_the_visit() -> None:
    # given a customer who prefers WhatsApp, a technician and an appliance
    customer = CustomerFactory(name="Maria Lopez", preferred_contact_method="WhatsApp")
    technician = TechnicianFactory(name="Sam Ortiz")
    appliance = ApplianceFactory(customer=customer, brand="Whirlpool")
    # when the visit is booked
    job = _book(customer.pk, technician_id=technician.pk, appliance_id=appliance.pk)
    # then one Scheduled Service reminder, 24 hours before the visit, on WhatsApp
    message = _reminder(job)
    assert (message.status, message.channel, message.purpose, message.source) == (
        MessageStatus.SCHEDULED, "WhatsApp", Purpose.SERVICE, MessageSource.APPOINTMENT,
    )  # fmt: skip
    assert message.send_at == dt.datetime(2030, 12, 9, 10, 0, tzinfo=NEW_YORK)
    assert message.body == (
        f"Hi Maria, a reminder of your {company().name} visit on Tuesday, December 10, between "
        "10:00 AM and 12:00 PM: Sam Ortiz will come about your Whirlpool refrigerator. "
        "Reply C to confirm or R to reschedule."
    )
    assert ScheduledMessage.objects.filter(job=job).count() == 1


def test_a_spanish_speaker_at_another_location_gets_it_in_spanish_in_that_time_zone() -> None:
    customer = CustomerFactory(name="Ana Ruiz", language_preference="es-MX")
    location = ServiceLocation.objects.create(
        customer=customer, label="Cabin", address="2 Lake Rd", timezone="America/Chicago"
    )
    at = dt.datetime(2030, 12, 10, 10, 0, tzinfo=NEW_YORK)
    job = JobFactory(
        customer=customer, scheduled_for=at, arrival_window="10:00-12:00", technician=None,
        location=location,
    )  # fmt: skip
    appointment_reminder_sync(job=job)
    assert _reminder(job).body == (
        f"Hola Ana, le recordamos su visita de {company().name} el martes 10 de diciembre, entre "
        "las 9:00 AM y las 11:00 AM: le atenderá nuestro técnico. "
        "Responda C para confirmar o R para cambiar la fecha."
    )


def test_moving_cancelling_and_reopening_the_visit_keeps_one_reminder_in_step() -> None:
    # given a booked visit with its reminder
    job = _book(CustomerFactory().pk)
    message = _reminder(job)
    # when the visit moves two days later
    later = job.scheduled_for + dt.timedelta(days=2)  # type: ignore[operator]
    job_update_and_follow_up(job_id=job.pk, fields={"scheduled_for": later})
    # then the same message moves with it, and its text names the new day
    message.refresh_from_db()
    assert message.send_at == later - dt.timedelta(hours=24)
    assert "Thursday, December 12" in message.body
    # when the job is cancelled, the reminder is cancelled
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Cancelled"})
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.CANCELLED, WITHDRAWN)
    # when it is booked again, the same reminder comes back (never a second one)
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Scheduled"})
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED
    assert ScheduledMessage.objects.filter(source=MessageSource.APPOINTMENT).count() == 1


def test_completing_the_job_cancels_its_reminder() -> None:
    job = _book(CustomerFactory().pk)
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    assert _reminder(job).status == MessageStatus.CANCELLED


def test_a_visit_booked_less_than_the_lead_time_ahead_gets_no_reminder(settings) -> None:  # type: ignore[no-untyped-def]
    customer = CustomerFactory()
    soon = timezone.now() + dt.timedelta(hours=5)
    job = job_create_and_follow_up(
        customer_id=customer.pk, fields={"description": "Oven", "scheduled_for": soon}
    )
    assert not ScheduledMessage.objects.filter(job=job).exists()
    # and a visit moved that close cancels the reminder it had
    booked = _book(customer.pk)
    job_update_and_follow_up(job_id=booked.pk, fields={"scheduled_for": soon})
    message = _reminder(booked)
    assert (message.status, message.last_error) == (MessageStatus.CANCELLED, TOO_LATE)


def test_a_reminder_the_office_cancelled_by_hand_is_not_brought_back() -> None:
    job = _book(CustomerFactory().pk)
    ScheduledMessage.objects.filter(pk=_reminder(job).pk).update(
        status=MessageStatus.CANCELLED, last_error="Cancelled by anna."
    )
    job_update_and_follow_up(job_id=job.pk, fields={"scheduled_for": job.scheduled_for})
    assert _reminder(job).status == MessageStatus.CANCELLED


def test_a_customer_who_opted_out_everywhere_is_booked_without_a_reminder() -> None:
    customer = CustomerFactory(email="")
    for channel in ("WhatsApp", "SMS"):
        ContactConsentFactory(customer=customer, channel=channel, opted_out_at=timezone.now())
    job = _book(customer.pk)
    assert Job.objects.filter(pk=job.pk).exists()
    assert not ScheduledMessage.objects.filter(job=job).exists()


def test_the_due_reminder_goes_out_through_the_outbox_once() -> None:
    # given an email customer's reminder that has come due
    customer = CustomerFactory(preferred_contact_method="Email", email="maria@example.com")
    job = _book(customer.pk)
    message = _reminder(job)
    ScheduledMessage.objects.filter(pk=message.pk).update(send_at=timezone.now())
    # when the dispatcher runs, and the visit is then moved
    outbox_dispatch_one(message_id=message.pk)
    job_update_and_follow_up(
        job_id=job.pk,
        fields={"scheduled_for": job.scheduled_for + dt.timedelta(days=1)},  # type: ignore[operator]
    )
    # then one email went, and moving a visit already reminded sends no second one
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED  # email: accepted by the server
    assert [m.to for m in mail.outbox] == [["maria@example.com"]]
    assert "Reply C to confirm" in mail.outbox[0].body
    assert ScheduledMessage.objects.filter(job=job).count() == 1
