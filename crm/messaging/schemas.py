"""API shapes of the outbox (camelCase on the wire)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, StrictStr

from crm.core.schemas import CamelSchema, DateTimeIn, Id, InSchema, OutSchema, QueryId
from crm.messaging.models import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, MessageEvent, ScheduledMessage

ChannelName = Literal["WhatsApp", "Email", "SMS"]
StatusName = Literal[
    "Draft", "Scheduled", "Sending", "Sent", "Delivered", "Read", "Failed", "Cancelled", "Unknown"
]


class ScheduledMessageFilter(CamelSchema):
    """`?customerId=&status=` (both optional)."""

    customer_id: QueryId | None = None
    status: StatusName | None = None


class ScheduleMessageIn(InSchema):
    """A message to schedule (status Scheduled, approved by you) or to keep as a Draft."""

    customer_id: Id
    channel: ChannelName
    body: StrictStr = Field(min_length=1, max_length=BODY_MAX_LENGTH)
    subject: StrictStr = Field("", max_length=SUBJECT_MAX_LENGTH)
    purpose: Literal["Service", "Marketing"] = Field(
        "Service",
        description="Service only with jobId or applianceId (else 422); source Greeting, "
        "Suggestion or Reminder (a maintenance offer) is always Marketing.",
    )
    send_at: DateTimeIn | None = None
    source: Literal["Manual", "Suggestion", "Greeting", "Reminder"] = "Manual"
    status: Literal["Draft", "Scheduled"] = "Scheduled"
    template_name: StrictStr = Field("", max_length=100)
    template_params: list[StrictStr] = Field(default_factory=list, max_length=10)
    idempotency_key: StrictStr = Field("", max_length=100)
    job_id: Id | None = Field(None, description="The job a Service message is about.")
    appliance_id: Id | None = Field(None, description="The appliance a Service message is about.")


class ScheduledMessageUpdateIn(InSchema):
    """Edit, reschedule (sendAt), approve (status Scheduled) or cancel (status Cancelled)."""

    channel: ChannelName | None = None
    subject: StrictStr | None = Field(None, max_length=SUBJECT_MAX_LENGTH)
    body: StrictStr | None = Field(None, min_length=1, max_length=BODY_MAX_LENGTH)
    send_at: DateTimeIn | None = None
    status: Literal["Draft", "Scheduled", "Cancelled"] | None = None


class ScheduledMessageOut(OutSchema):
    id: int
    customer_id: int
    job_id: int | None
    appliance_id: int | None
    channel: str
    purpose: str
    subject: str
    body: str
    template_name: str
    template_params: list[str]
    send_at: dt.datetime
    status: str
    source: str
    idempotency_key: str
    attempts: int
    last_error: str
    needs_review: bool
    provider_message_id: str
    carrier: str
    sent_at: dt.datetime | None
    status_changed_at: dt.datetime
    created_at: dt.datetime
    created_by: str | None
    approved_by: str | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_created_by(obj: ScheduledMessage) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_approved_by(obj: ScheduledMessage) -> str | None:
        return obj.approved_by.get_username() if obj.approved_by else None


class MessageEventOut(OutSchema):
    kind: str
    from_status: str
    to_status: str
    detail: str
    created_at: dt.datetime


class ScheduledMessageDetailOut(ScheduledMessageOut):
    events: list[MessageEventOut]

    @staticmethod
    def resolve_events(obj: ScheduledMessage) -> list[MessageEvent]:
        return list(obj.events.order_by("created_at", "id"))


class ConsentClearIn(InSchema):
    """The customer asked to hear from us again on a channel: how and when, in their words."""

    channel: ChannelName
    request: StrictStr = Field(
        min_length=1, max_length=2000,
        description="How and when the customer asked (at least 10 characters), e.g. "
        "'Called on 3 Dec at 10:15 and asked for visit texts again'.",
    )  # fmt: skip


class ConsentClearedOut(OutSchema):
    """The cleared opt-out and the consent event that records who, when and why."""

    customer_id: int
    channel: str
    address_was_suppressed: bool
    event_id: int
    cleared_at: dt.datetime
    detail: str
