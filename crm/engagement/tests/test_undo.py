"""Undo from a confirmation: reminders back to their state before, a cancelled message back in
the outbox (only while it may still go), refused when too late or moved on, safe to run twice."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.audit.models import AuditEntry
from crm.core.dates import company_today
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.core.undo import UndoTicket, undo_ticket_read, undo_ticket_sign
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder, ReminderStatus
from crm.engagement.services.undo import (
    message_cancel_undoable,
    reminder_update_undoable,
    undo_apply,
)
from crm.engagement.tests.factories import ReminderFactory
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _state(reminder: Reminder) -> tuple[str, dt.date | None, bool]:
    reminder.refresh_from_db()
    return reminder.status, reminder.snoozed_until, reminder.resolved_at is not None


def _message(**fields: Any) -> ScheduledMessage:
    customer = CustomerFactory(phone="+13055550100")
    ContactConsentFactory(customer=customer, channel="WhatsApp")
    fields.setdefault("send_at", timezone.now() + dt.timedelta(days=1))
    return ScheduledMessageFactory(customer=customer, **fields)


# Reminders


@pytest.mark.parametrize("status", [ReminderStatus.DONE, ReminderStatus.DISMISSED])
def test_undo_puts_a_done_or_dismissed_reminder_back_open(status: str) -> None:
    # given
    reminder = ReminderFactory(title="Clean the dryer vent")
    change = reminder_update_undoable(reminder_id=reminder.pk, status=status)
    assert _state(reminder) == (status, None, True)
    # when
    _, said = undo_apply(token=change.token)
    # then
    assert _state(reminder) == (ReminderStatus.OPEN, None, False)
    assert said == "Undone: Clean the dryer vent is open again"
    verb = "done" if status == ReminderStatus.DONE else "dismissed"
    assert change.text == f"Reminder {verb}: Clean the dryer vent"


def test_undo_of_a_snooze_restores_the_earlier_snooze_date() -> None:
    # given a reminder snoozed until next week, snoozed again for one day
    next_week = company_today() + dt.timedelta(days=7)
    reminder = ReminderFactory(status=ReminderStatus.SNOOZED, snoozed_until=next_week)
    tomorrow = company_today() + dt.timedelta(days=1)
    change = reminder_update_undoable(
        reminder_id=reminder.pk, status=ReminderStatus.SNOOZED, snoozed_until=tomorrow
    )
    # when
    undo_apply(token=change.token)
    # then
    assert _state(reminder) == (ReminderStatus.SNOOZED, next_week, False)


def test_undo_twice_changes_nothing_the_second_time() -> None:
    # given
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DONE)
    undo_apply(token=change.token)
    entries = AuditEntry.objects.count()
    # when
    undo_apply(token=change.token)
    # then
    assert _state(reminder) == (ReminderStatus.OPEN, None, False)
    assert AuditEntry.objects.count() == entries


def test_undo_is_refused_when_someone_changed_the_reminder_since() -> None:
    # given dismissed, undoable; then someone else marked it done
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DISMISSED)
    reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DONE)
    # when / then
    with pytest.raises(Conflict, match="changed since"):
        undo_apply(token=change.token)
    assert _state(reminder) == (ReminderStatus.DONE, None, True)


def test_undo_is_recorded_in_the_audit_trail() -> None:
    # given
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DISMISSED)
    # when
    undo_apply(token=change.token)
    # then the dismissal and its undo are two recorded changes of the status
    kind = ContentType.objects.get_for_model(Reminder)
    entries = AuditEntry.objects.filter(
        content_type=kind, object_pk=str(reminder.pk), action=AuditEntry.Action.UPDATE
    )
    changes = [entry.changes_dict["status"] for entry in entries.order_by("id")]
    assert changes == [["Open", "Dismissed"], ["Dismissed", "Open"]]
    assert {entry.customer_id for entry in entries} == {reminder.customer_id}


def test_a_ticket_is_refused_after_the_window_and_when_forged() -> None:
    # given
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DONE)
    time.sleep(1.1)
    # when / then: too old (a window of one second here), or not signed by this server
    with pytest.raises(Conflict, match="Too late to undo"):
        undo_ticket_read(change.token, max_age=1)
    with pytest.raises(Conflict, match="not valid"):
        undo_apply(token=change.token[:-2] + "xx")
    assert _state(reminder) == (ReminderStatus.DONE, None, True)


def test_a_ticket_for_another_customers_reminder_finds_nothing() -> None:
    # given a ticket naming the reminder under another customer
    reminder = ReminderFactory(status=ReminderStatus.DONE)
    other = CustomerFactory()
    before = {"status": "Open", "snoozed_until": None, "resolved_at": None, "after": "Done"}
    token = undo_ticket_sign(
        UndoTicket(kind="reminder", pk=reminder.pk, customer_id=other.pk, before=before)
    )
    # when / then
    with pytest.raises(Exception, match="Reminder not found"):
        undo_apply(token=token)
    assert _state(reminder)[0] == ReminderStatus.DONE


# Messages


@pytest.mark.parametrize("before", [MessageStatus.SCHEDULED, MessageStatus.DRAFT])
def test_undo_of_a_cancellation_puts_the_message_back(before: str) -> None:
    # given
    message = _message(status=before)
    change = message_cancel_undoable(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED
    # when
    undo_apply(token=change.token)
    # then back as it was, and its events say so
    message.refresh_from_db()
    assert (message.status, message.last_error) == (before, "")
    last = MessageEvent.objects.filter(message=message).latest("id")
    assert (last.from_status, last.to_status, last.detail) == (
        "Cancelled",
        before,
        "Cancellation undone.",
    )


def test_undo_of_a_cancellation_is_refused_when_the_message_may_no_longer_go() -> None:
    # given cancelled, then the customer opted out of WhatsApp
    message = _message()
    change = message_cancel_undoable(message_id=message.pk)
    message.customer.consents.update(opted_out_at=timezone.now())
    # when / then
    with pytest.raises(ValidationFailed):
        undo_apply(token=change.token)
    message.refresh_from_db()
    assert message.status == MessageStatus.CANCELLED


def test_undo_of_a_cancellation_is_refused_once_the_message_moved_on() -> None:
    # given cancelled, then (by hand, say) scheduled again and sent
    message = _message()
    change = message_cancel_undoable(message_id=message.pk)
    ScheduledMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, provider_message_id="p-1"
    )
    # when / then
    with pytest.raises(Conflict, match="changed since"):
        undo_apply(token=change.token)


# The views


def test_today_dismiss_confirms_with_an_undo_that_works(staff_client: Client) -> None:
    # given
    reminder = ReminderFactory(title="Clean the dryer vent")
    # when
    response = staff_client.post(
        f"/today/reminders/{reminder.pk}/", {"status": "Dismissed"}, **HTMX
    )
    # then
    confirmed = json.loads(response["HX-Trigger"])["crm:confirmed"]
    assert confirmed["text"] == "Reminder dismissed: Clean the dryer vent"
    assert confirmed["undo"].startswith("/undo/")
    # when Undo is pressed
    undone = staff_client.post(confirmed["undo"], **HTMX)
    # then
    assert undone.status_code == 204
    said = json.loads(undone["HX-Trigger"])["crm:confirmed"]["text"]
    assert said == "Undone: Clean the dryer vent is open again"
    assert _state(reminder) == (ReminderStatus.OPEN, None, False)


def test_hub_cancel_confirms_with_an_undo(staff_client: Client) -> None:
    # given
    message = _message()
    path = f"/customers/{message.customer_id}/engagement/messages/{message.pk}/cancel/"
    # when
    response = staff_client.post(path, **HTMX)
    confirmed = json.loads(response["HX-Trigger"])["crm:confirmed"]
    undone = staff_client.post(confirmed["undo"], **HTMX)
    # then
    message.refresh_from_db()
    assert confirmed["text"] == f"Message cancelled: WhatsApp to {message.customer.name}"
    assert (undone.status_code, message.status) == (204, MessageStatus.SCHEDULED)


def test_a_refused_undo_answers_the_reason_as_text(staff_client: Client) -> None:
    # given a message whose cancellation was undone and then sent
    message = _message()
    change = message_cancel_undoable(message_id=message.pk)
    ScheduledMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, provider_message_id="p-1"
    )
    # when
    response = staff_client.post(change.url, **HTMX)
    # then
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "The message changed since; nothing was undone."


def test_undo_without_javascript_goes_back_with_the_confirmation(staff_client: Client) -> None:
    # given
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DONE)
    # when
    response = staff_client.post(change.url, follow=True)
    # then Today, saying what was undone
    assert response.redirect_chain[0] == ("/today/", 302)
    assert f"Undone: {reminder.title} is open again" in response.content.decode()
    assert _state(reminder)[0] == ReminderStatus.OPEN


def test_undo_is_post_only_and_not_for_technicians(staff_client: Client, db: None) -> None:
    # given
    reminder = ReminderFactory()
    change = reminder_update_undoable(reminder_id=reminder.pk, status=ReminderStatus.DONE)
    from crm.core.roles import Role
    from crm.core.tests.factories import UserFactory

    technician = Client()
    technician.force_login(UserFactory(role=Role.TECHNICIAN))
    # when / then
    assert staff_client.get(change.url).status_code == 405
    assert technician.post(change.url, **HTMX).status_code == 403
    assert _state(reminder)[0] == ReminderStatus.DONE


# Asking first


def test_send_now_without_javascript_asks_first_and_sends_nothing(staff_client: Client) -> None:
    # given
    message = _message()
    path = f"/customers/{message.customer_id}/engagement/messages/{message.pk}/send-now/"
    # when
    response = staff_client.post(path, {"section": "messages"})
    # then a page asks, carrying the same fields and `confirmed`
    html = response.content.decode()
    message.refresh_from_db()
    assert response.status_code == 200
    assert "Send this message now?" in html
    assert '<input type="hidden" name="section" value="messages">' in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    assert message.send_at > timezone.now()


def test_send_now_buttons_ask_first_with_javascript_too(staff_client: Client) -> None:
    # given a failed message (Today's retry) and a scheduled one (the hub's send now)
    failed = _message(status=MessageStatus.FAILED)
    scheduled = _message()
    # when
    today = staff_client.get("/today/").content.decode()
    hub = staff_client.get(f"/customers/{scheduled.customer_id}/engagement/").content.decode()
    # then
    assert f"/today/messages/{failed.pk}/retry/" in today
    for html in (today, hub):
        assert "cannot be called back." in html
        assert 'hx-vals=\'{"confirmed": "1"}\'' in html


def test_a_removed_appliance_comes_back_with_its_jobs_and_messages(staff_client: Client) -> None:
    # given an appliance with a job and a message about it
    appliance = ApplianceFactory(
        brand="Bosch", serial_number="FD9901", install_date=dt.date(2019, 5, 2)
    )
    job = JobFactory(customer=appliance.customer, appliance=appliance)
    message = _message()
    ScheduledMessage.objects.filter(pk=message.pk).update(
        customer=appliance.customer, appliance=appliance
    )
    path = f"/customers/{appliance.customer_id}/appliances/{appliance.pk}/delete/"
    # when it is removed
    response = staff_client.post(path, **HTMX)
    # then it is gone, and the confirmation offers Undo
    confirmed = json.loads(response["HX-Trigger"])["crm:confirmed"]
    assert confirmed["text"].startswith("Appliance removed: Bosch")
    assert not Appliance.objects.filter(pk=appliance.pk).exists()
    job.refresh_from_db()
    assert job.appliance_id is None
    # when Undo is pressed (twice: the second changes nothing)
    undone = staff_client.post(confirmed["undo"], **HTMX)
    again = staff_client.post(confirmed["undo"], **HTMX)
    # then the same record is back with its job and message
    assert (undone.status_code, again.status_code) == (204, 204)
    back = Appliance.objects.get(pk=appliance.pk)
    assert (back.customer_id, back.serial_number, back.install_date) == (
        appliance.customer_id, "FD9901", dt.date(2019, 5, 2),
    )  # fmt: skip
    job.refresh_from_db()
    message.refresh_from_db()
    assert (job.appliance_id, message.appliance_id) == (appliance.pk, appliance.pk)


def test_a_removal_ticket_cannot_bring_an_appliance_into_another_customer() -> None:
    # given a forged-looking ticket: the id now belongs to someone else

    other = ApplianceFactory()
    ticket = UndoTicket(
        kind="appliance-remove", pk=other.pk, customer_id=CustomerFactory().pk,
        before={"type": "Dryer", "brand": "LG"},
    )  # fmt: skip
    # when / then
    with pytest.raises(NotFound, match="Appliance not found"):
        undo_apply(token=undo_ticket_sign(ticket))
