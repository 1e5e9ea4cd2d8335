"""Undo tickets: what a save changed, signed into the Undo button's URL, so taking it back
needs no table of its own and cannot be forged.

A ticket names the kind of change, the row, the customer it belongs to and the state before
(whatever that kind needs to restore it). It is good for UNDO_WINDOW: the toast offers Undo for
at least 10 seconds (longer while a person reads it), and a later Undo is refused clearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

from crm.core.errors import Conflict

UNDO_WINDOW = 600  # seconds a ticket is honoured; the toast shows Undo for 10 s or more
SALT = "crm.undo"


@dataclass(frozen=True)
class UndoTicket:
    """One change that may be taken back: its kind, row, customer and the state before."""

    kind: str
    pk: int
    customer_id: int
    before: dict[str, Any]


def undo_ticket_sign(ticket: UndoTicket) -> str:
    """The ticket as a signed, URL-safe string (time-stamped: it expires after UNDO_WINDOW)."""
    payload = {"k": ticket.kind, "p": ticket.pk, "c": ticket.customer_id, "b": ticket.before}
    return signing.dumps(payload, salt=SALT, compress=True)


def undo_ticket_read(token: str, *, max_age: int = UNDO_WINDOW) -> UndoTicket:
    """The ticket back; refused (409) when it is too old or was not made here."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise Conflict("Too late to undo that; change it again by hand.") from error
    except signing.BadSignature as error:
        raise Conflict("That undo link is not valid.") from error
    return UndoTicket(
        kind=str(payload["k"]), pk=int(payload["p"]), customer_id=int(payload["c"]),
        before=dict(payload["b"]),
    )  # fmt: skip
