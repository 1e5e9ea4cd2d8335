"""JSON endpoints of the messaging app, at the plan's paths under /api."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import PathId
from crm.messaging.models import ScheduledMessage
from crm.messaging.schemas import (
    ConsentClearedOut,
    ConsentClearIn,
    ScheduledMessageDetailOut,
    ScheduledMessageFilter,
    ScheduledMessageOut,
    ScheduledMessageUpdateIn,
    ScheduleMessageIn,
)
from crm.messaging.selectors import scheduled_message_get, scheduled_message_list
from crm.messaging.services.consent import consent_clear
from crm.messaging.services.outbox import (
    MessageChanges,
    MessageDraft,
    message_schedule,
    message_send_now,
    message_update,
)
from crm.messaging.services.outcomes import (
    message_mark_failed,
    message_mark_sent,
    message_retry,
)

router = ApiRouter(tags=["messaging"])


@router.post("/schedule-message", response={201: ScheduledMessageOut})
def schedule_message(request: HttpRequest, payload: ScheduleMessageIn) -> Status[ScheduledMessage]:
    """Schedule a message (approved by you) or keep it as a Draft; sent at sendAt, inside the
    customer's contact hours, only with consent. Same idempotencyKey twice: one message."""
    draft = MessageDraft(**payload.model_dump())
    return Status(201, message_schedule(draft=draft, user=request_user(request)))


@router.get("/scheduled-messages", response=list[ScheduledMessageOut])
def scheduled_messages(
    request: HttpRequest, filters: Query[ScheduledMessageFilter]
) -> list[ScheduledMessage]:
    """Messages newest first (at most 200), for one customer and/or one status."""
    return scheduled_message_list(customer_id=filters.customer_id, status=filters.status)


@router.get("/scheduled-message/{message_id}", response=ScheduledMessageDetailOut)
def scheduled_message(request: HttpRequest, message_id: PathId) -> ScheduledMessage:
    """One message with its history (every status change and provider report)."""
    return scheduled_message_get(message_id=message_id)


@router.put("/scheduled-message/{message_id}", response=ScheduledMessageOut)
def scheduled_message_update(
    request: HttpRequest, message_id: PathId, payload: ScheduledMessageUpdateIn
) -> ScheduledMessage:
    """Edit, reschedule, approve or cancel; 409 once sending has begun."""
    changes = MessageChanges(**payload.model_dump())
    return message_update(message_id=message_id, changes=changes, user=request_user(request))


@router.post("/scheduled-message/{message_id}/send-now", response=ScheduledMessageOut)
def scheduled_message_send_now(request: HttpRequest, message_id: PathId) -> ScheduledMessage:
    """Approve if needed and send at once (still only inside contact hours and with consent)."""
    return message_send_now(message_id=message_id, user=request_user(request))


@router.post("/scheduled-message/{message_id}/mark-sent", response=ScheduledMessageOut)
def scheduled_message_mark_sent(request: HttpRequest, message_id: PathId) -> ScheduledMessage:
    """An Unknown message you confirmed with the provider: Sent. 409 in any other status."""
    return message_mark_sent(message_id=message_id, user=request_user(request))


@router.post("/scheduled-message/{message_id}/mark-failed", response=ScheduledMessageOut)
def scheduled_message_mark_failed(request: HttpRequest, message_id: PathId) -> ScheduledMessage:
    """An Unknown message the provider does not have: Failed. 409 in any other status."""
    return message_mark_failed(message_id=message_id, user=request_user(request))


@router.post("/scheduled-message/{message_id}/retry", response=ScheduledMessageOut)
def scheduled_message_retry(request: HttpRequest, message_id: PathId) -> ScheduledMessage:
    """A Failed message back in the outbox, due now (consent and contact hours checked again
    at send time). 409 for any other status, Unknown included: mark it failed first."""
    return message_retry(message_id=message_id, user=request_user(request))


@router.post("/customer/{customer_id}/consent/clear", response=ConsentClearedOut)
def clear_consent(
    request: HttpRequest, customer_id: PathId, payload: ConsentClearIn
) -> dict[str, Any]:
    """Clear an opt-out because the customer asked (request: how and when); the request is
    kept as a consent event with who and when. 409 when the channel is not opted out."""
    cleared = consent_clear(
        customer_id=customer_id, channel=payload.channel, request=payload.request,
        user=request_user(request),
    )  # fmt: skip
    return {"customer_id": cleared.customer_id, "channel": cleared.channel,
            "address_was_suppressed": cleared.address_was_suppressed,
            "event_id": cleared.event.pk, "cleared_at": cleared.event.created_at,
            "detail": cleared.event.detail}  # fmt: skip
