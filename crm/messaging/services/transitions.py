"""Status changes of outbox rows: conditional, so two actors can never both move one row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.messaging.models import EventKind, MessageEvent, ScheduledMessage


def status_move(
    *, message: ScheduledMessage, from_statuses: Iterable[str], to_status: str,
    detail: str = "", kind: str = EventKind.STATUS, **fields: Any,
) -> bool:  # fmt: skip
    """Move the row to `to_status` only if it is still in one of `from_statuses`; record it.

    The UPDATE's WHERE clause is the lock: of two actors racing, exactly one sees rowcount 1.
    Returns whether this call moved it.
    """
    now = timezone.now()
    allowed = list(from_statuses)
    # No savepoint inside a caller's transaction: one round trip fewer per message sent.
    with transaction.atomic(savepoint=False):
        moved = ScheduledMessage.objects.filter(pk=message.pk, status__in=allowed).update(
            status=to_status, status_changed_at=now, **fields
        )
        if moved:
            MessageEvent.objects.create(
                message_id=message.pk, customer_id=message.customer_id, kind=kind,
                from_status=_from(message.status, allowed),
                to_status=to_status, detail=detail[:2000], created_at=now,
            )  # fmt: skip
    if moved:
        message.status = to_status
        for name, value in fields.items():
            if not hasattr(value, "resolve_expression"):
                setattr(message, name, value)
    return bool(moved)


def _from(known: str, allowed: list[str]) -> str:
    if len(allowed) == 1:
        return allowed[0]
    return known if known in allowed else ""


def events_record(
    *, messages: list[ScheduledMessage], from_status: str, to_status: str, detail: str = ""
) -> None:
    """One status event per row for a set-based change (claims, crash recovery)."""
    now = timezone.now()
    MessageEvent.objects.bulk_create(
        [
            MessageEvent(
                message_id=m.pk,
                customer_id=m.customer_id,
                kind=EventKind.STATUS,
                from_status=from_status,
                to_status=to_status,
                detail=detail,
                created_at=now,
            )
            for m in messages
        ]
    )


def timeline_text(message: ScheduledMessage, *, label: str = "") -> str:
    """How a sent message reads on the customer's timeline (labelled when it did not really
    leave the machine)."""
    text = f"{message.subject}\n\n{message.body}" if message.subject else message.body
    return (f"[{label}] {text}" if label else text)[:10_000]
