"""API shapes of engagement: follow-ups logged by hand."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.core.schemas import DateTimeIn, Id, InSchema, OutSchema
from crm.customers.models import ContactMethod
from crm.engagement.models import FollowUpLog

NOTES_MAX_LENGTH = 5000


class FollowUpLogOut(OutSchema):
    """A follow-up made by hand: channel, notes, when, and who (technician, else staff user)."""

    id: int
    customer_id: int
    channel: ContactMethod
    notes: str
    occurred_at: dt.datetime
    created_at: dt.datetime
    staff_user_id: int | None
    staff_user_name: str | None
    technician_id: int | None
    technician_name: str | None
    logged_by: str = Field(description="The technician's name when given, else the staff user.")

    @staticmethod
    def resolve_staff_user_name(obj: FollowUpLog) -> str | None:
        user = obj.staff_user
        return (user.get_full_name() or user.get_username()) if user is not None else None

    @staticmethod
    def resolve_technician_name(obj: FollowUpLog) -> str | None:
        return obj.technician.name if obj.technician is not None else None

    @staticmethod
    def resolve_logged_by(obj: FollowUpLog) -> str:
        return (
            FollowUpLogOut.resolve_technician_name(obj)
            or FollowUpLogOut.resolve_staff_user_name(obj)
            or ""
        )


class FollowUpLogIn(InSchema):
    """A follow-up made by hand; technicianId when a technician made it, else the signed-in user."""

    customer_id: Id
    channel: ContactMethod
    notes: str = Field(max_length=NOTES_MAX_LENGTH)
    technician_id: Id | None = None
    occurred_at: DateTimeIn | None = None


class AnonymisedOut(OutSchema):
    """An anonymised customer: when, and how many rows were erased, kept and removed by kind."""

    customer_id: int
    name: str
    anonymised_at: dt.datetime
    erased: dict[str, int] = Field(description="Rows whose personal text was erased, by kind.")
    kept: dict[str, int] = Field(description="Rows kept as they were (money, consent), by kind.")
    deleted: dict[str, int] = Field(description="Derived rows removed (AI answers), by kind.")


class OnMyWayIn(InSchema):
    """The technician's estimated arrival, in whole minutes (1 to 240)."""

    eta_minutes: int = Field(description="Minutes until the technician arrives, 1 to 240.")
