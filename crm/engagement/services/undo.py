"""Changes a person may take back from the confirmation: Done, Dismiss and Snooze of a reminder,
and cancelling a message. Each write here returns what the confirmation says and a signed undo
ticket (crm/core/undo.py) holding the state before; undo_apply puts that state back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils.dateformat import format as date_format

from crm.appliances.models import Appliance
from crm.appliances.services import appliance_delete, appliance_restore, appliance_snapshot
from crm.core.errors import Conflict, NotFound
from crm.core.undo import UndoTicket, undo_ticket_read, undo_ticket_sign
from crm.engagement.models import Reminder, ReminderStatus
from crm.engagement.services.reminders import reminder_restore, reminder_state, reminder_update
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.outbox import MessageChanges, message_cancel_undo, message_update

REMINDER, MESSAGE_CANCEL, APPLIANCE_REMOVE = "reminder", "message-cancel", "appliance-remove"
CANCEL = MessageChanges(status=MessageStatus.CANCELLED)


@dataclass(frozen=True)
class Undoable:
    """A change made: what the confirmation says, and the ticket that takes it back."""

    text: str
    token: str
    kind: str

    @property
    def url(self) -> str:
        """Where the confirmation's Undo button posts."""
        return reverse("undo", args=[self.token])


def _reminder_text(reminder: Reminder) -> str:
    if reminder.status == ReminderStatus.SNOOZED and reminder.snoozed_until:
        return (
            f"Reminder snoozed until {date_format(reminder.snoozed_until, 'M j')}: {reminder.title}"
        )
    verb = "done" if reminder.status == ReminderStatus.DONE else "dismissed"
    return f"Reminder {verb}: {reminder.title}"


@transaction.atomic
def reminder_update_undoable(
    *, reminder_id: int, status: str, snoozed_until: dt.date | None = None
) -> Undoable:
    """reminder_update (Done, Dismiss, Snooze), remembering the state before for an Undo."""
    locked = Reminder.objects.select_for_update().filter(pk=reminder_id).first()
    if locked is None:
        raise NotFound("Reminder not found.")
    before = reminder_state(locked)
    reminder = reminder_update(reminder_id=reminder_id, status=status, snoozed_until=snoozed_until)
    ticket = UndoTicket(
        kind=REMINDER, pk=reminder.pk, customer_id=reminder.customer_id,
        before={**before, "after": reminder.status},
    )  # fmt: skip
    return Undoable(text=_reminder_text(reminder), token=undo_ticket_sign(ticket), kind=REMINDER)


@transaction.atomic
def message_cancel_undoable(
    *, message_id: int, user: AbstractBaseUser | AnonymousUser | None = None
) -> Undoable:
    """Cancel (or discard a draft), remembering its status before for an Undo."""
    locked = ScheduledMessage.objects.select_for_update().filter(pk=message_id).first()
    if locked is None:
        raise NotFound("Scheduled message not found.")
    status, error = locked.status, locked.last_error
    message = message_update(message_id=message_id, changes=CANCEL, user=user)
    ticket = UndoTicket(
        kind=MESSAGE_CANCEL, pk=message.pk, customer_id=message.customer_id,
        before={"status": status, "last_error": error[:300]},
    )  # fmt: skip
    what = "Draft discarded" if status == MessageStatus.DRAFT else "Message cancelled"
    return Undoable(
        text=f"{what}: {message.channel} to {message.customer.name}",
        token=undo_ticket_sign(ticket), kind=MESSAGE_CANCEL,
    )  # fmt: skip


@transaction.atomic
def appliance_remove_undoable(*, appliance_id: int) -> Undoable:
    """Remove an appliance record (its jobs stay, unlinked), remembering it and the messages
    about it so Undo puts all of it back. (Its sweep reminders return with the next sweep.)"""
    appliance = Appliance.objects.select_for_update().filter(pk=appliance_id).first()
    if appliance is None:
        raise NotFound("Appliance not found.")
    snapshot = appliance_snapshot(appliance)
    snapshot["message_ids"] = list(
        ScheduledMessage.objects.filter(appliance_id=appliance_id).values_list("pk", flat=True)
    )
    appliance_delete(appliance_id=appliance_id)
    ticket = UndoTicket(
        kind=APPLIANCE_REMOVE, pk=appliance_id, customer_id=appliance.customer_id, before=snapshot
    )
    return Undoable(
        text=f"Appliance removed: {appliance}", token=undo_ticket_sign(ticket),
        kind=APPLIANCE_REMOVE,
    )  # fmt: skip


def _appliance_restore(ticket: UndoTicket) -> str:
    appliance = appliance_restore(
        appliance_id=ticket.pk, customer_id=ticket.customer_id, snapshot=ticket.before
    )
    ScheduledMessage.objects.filter(
        pk__in=[int(pk) for pk in ticket.before.get("message_ids", [])],
        customer_id=ticket.customer_id, appliance__isnull=True,
    ).update(appliance_id=appliance.pk)  # fmt: skip
    return f"Undone: {appliance} is back"


def undo_apply(*, token: str) -> tuple[UndoTicket, str]:
    """Take the ticket's change back; returns the ticket and what the confirmation says.
    Refused (409) when the ticket is too old or the row moved on since; safe to run twice."""
    ticket = undo_ticket_read(token)
    before = ticket.before
    if ticket.kind == REMINDER:
        state = {key: before.get(key) for key in ("status", "snoozed_until", "resolved_at")}
        reminder = reminder_restore(
            reminder_id=ticket.pk, customer_id=ticket.customer_id, before=state,
            after_status=str(before.get("after", "")),
        )  # fmt: skip
        return ticket, f"Undone: {reminder.title} is {reminder.get_status_display().lower()} again"
    if ticket.kind == MESSAGE_CANCEL:
        message = message_cancel_undo(
            message_id=ticket.pk, customer_id=ticket.customer_id,
            before_status=str(before.get("status", "")),
            before_error=str(before.get("last_error", "")),
        )  # fmt: skip
        return ticket, f"Undone: the message is {message.get_status_display().lower()} again"
    if ticket.kind == APPLIANCE_REMOVE:
        with transaction.atomic():
            return ticket, _appliance_restore(ticket)
    raise Conflict("That cannot be undone.")
