"""JSON endpoints for reminders: list, create one by hand, done / dismiss / snooze."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Status
from pydantic import Field, StrictStr

from crm.core.api import ApiRouter, request_user
from crm.core.dates import company_today
from crm.core.schemas import CamelSchema, DateIn, Id, InSchema, OutSchema, PathId, QueryId
from crm.engagement.models import Reminder
from crm.engagement.selectors.reminders import reminder_list
from crm.engagement.services.reminders import reminder_create, reminder_update

router = ApiRouter(tags=["engagement"])
StatusName = Literal["Open", "Snoozed", "Done", "Dismissed"]
PriorityName = Literal["Low", "Medium", "High"]


class ReminderFilter(CamelSchema):
    """`?customerId=&status=` (both optional)."""

    customer_id: QueryId | None = None
    status: StatusName | None = None


class ReminderIn(InSchema):
    """A reminder made by hand (e.g. from a maintenance alert)."""

    customer_id: Id
    title: StrictStr = Field(min_length=1, max_length=200)
    due_date: DateIn
    priority: PriorityName = "Medium"
    kind: Literal["Manual", "MaintenanceDue", "EndOfLife", "WarrantyEnding"] = "Manual"
    details: StrictStr = Field("", max_length=2000)
    appliance_id: Id | None = None


class ReminderUpdateIn(InSchema):
    """Done, Dismissed, Snoozed (with snoozedUntil, a later day) or Open again."""

    status: StatusName
    snoozed_until: DateIn | None = None


class ReminderOut(OutSchema):
    id: int
    customer_id: int
    appliance_id: int | None
    job_id: int | None
    kind: str
    title: str
    details: str
    due_date: dt.date
    priority: str
    status: str
    snoozed_until: dt.date | None
    overdue: bool
    created_at: dt.datetime
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_overdue(obj: Reminder) -> bool:
        return obj.status == "Open" and obj.due_date < company_today()


# operation_ids: the ones these had before engagement's api became a package, so generated
# clients keep their names.
@router.get(
    "/reminders",
    response=list[ReminderOut],
    operation_id="crm_engagement_reminders_api_reminders",
)
def reminders(request: HttpRequest, filters: Query[ReminderFilter]) -> list[Reminder]:
    """Reminders by due date, most urgent first (at most 200)."""
    return reminder_list(customer_id=filters.customer_id, status=filters.status)


@router.post(
    "/reminders",
    response={201: ReminderOut},
    operation_id="crm_engagement_reminders_api_reminder_add",
)
def reminder_add(request: HttpRequest, payload: ReminderIn) -> Status[Reminder]:
    """Create a reminder by hand."""
    return Status(201, reminder_create(**payload.model_dump(), user=request_user(request)))


@router.put(
    "/reminder/{reminder_id}",
    response=ReminderOut,
    operation_id="crm_engagement_reminders_api_reminder_change",
)
def reminder_change(
    request: HttpRequest, reminder_id: PathId, payload: ReminderUpdateIn
) -> Reminder:
    """Mark done, dismiss, snooze until a day, or open again."""
    return reminder_update(
        reminder_id=reminder_id, status=payload.status, snoozed_until=payload.snoozed_until
    )
