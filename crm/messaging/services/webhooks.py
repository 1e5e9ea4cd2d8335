"""What verified provider webhooks change: delivery statuses (forward only) and inbound messages.

Every event is stored with a dedupe key (provider, provider id, status); the key is unique in
the database, so a delivery the provider repeats changes nothing the second time, even when
both copies arrive at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.activities.models import Direction
from crm.activities.services import activity_create
from crm.core.phones import phone_normalize_or_none
from crm.customers.models import MessageChannel, SuppressionSource
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.selectors import customer_by_phone
from crm.messaging.services.consent import address_opt_out_set, channel_opt_out_set
from crm.messaging.services.transitions import timeline_text
from crm.messaging.signals import inbound_message_stored

logger = logging.getLogger(__name__)
S = MessageStatus
# A status may only replace these (order is not guaranteed; "delivered" may follow "failed"
# when the customer has several devices, so Failed can still become Delivered or Read).
FORWARD_FROM = {
    S.SENT: {S.SENDING, S.UNKNOWN},
    S.DELIVERED: {S.SENDING, S.UNKNOWN, S.SENT, S.FAILED},
    S.READ: {S.SENDING, S.UNKNOWN, S.SENT, S.DELIVERED, S.FAILED},
    S.FAILED: {S.SENDING, S.UNKNOWN, S.SENT},
}
WHATSAPP_STATUSES = {"sent": S.SENT, "delivered": S.DELIVERED, "read": S.READ, "failed": S.FAILED}
TWILIO_STATUSES = {
    "sent": S.SENT, "delivered": S.DELIVERED, "read": S.READ, "failed": S.FAILED,
    "undelivered": S.FAILED, "canceled": S.FAILED,
}  # fmt: skip
OPT_OUT_CODES = {"131050", "21610", "63014"}
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
START_WORDS = {"START", "UNSTOP"}


@dataclass
class WebhookOutcome:
    """How many events changed something, repeated an earlier one, or matched nothing."""

    applied: int = 0
    duplicate: int = 0
    ignored: int = 0

    def count(self, result: str) -> None:
        setattr(self, result, getattr(self, result) + 1)


@dataclass(frozen=True)
class ProviderStatus:
    """One delivery report: the provider's id and word, our status for it, any error."""

    provider: str
    channel: str
    provider_id: str
    raw_status: str
    outbox_id: int | None
    error_code: str = ""
    error: str = ""


def _as_id(value: Any) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 18 else None


def _message_for(report: ProviderStatus) -> ScheduledMessage | None:
    rows = ScheduledMessage.objects.select_for_update().filter(channel=report.channel)
    if report.outbox_id is not None:
        found = rows.filter(pk=report.outbox_id).first()
        if found is not None and found.provider_message_id in ("", report.provider_id):
            return found
    return rows.filter(provider_message_id=report.provider_id).first()


def provider_status_apply(*, report: ProviderStatus, payload: dict[str, Any]) -> str:
    """Apply one delivery report once: 'applied', 'duplicate' or 'ignored'."""
    key = f"{report.provider}:{report.provider_id}:{report.raw_status}"[:200]
    try:
        with transaction.atomic():
            if MessageEvent.objects.filter(dedupe_key=key).exists():
                return "duplicate"
            return _status_record(report, key, payload)
    except IntegrityError:  # the same report arrived twice at once; the other copy won
        return "duplicate"


def _status_record(report: ProviderStatus, key: str, payload: dict[str, Any]) -> str:
    message = _message_for(report)
    new = (WHATSAPP_STATUSES if report.provider == "whatsapp" else TWILIO_STATUSES).get(
        report.raw_status
    )
    moves = message is not None and new is not None and message.status in FORWARD_FROM[new]
    if message is not None and new is not None and moves:
        _move(message, new, report)
    MessageEvent.objects.create(
        message=message, customer_id=message.customer_id if message else None,
        kind=EventKind.WEBHOOK, from_status=message.status if message and moves else "",
        to_status=new if moves and new else "", payload=payload, dedupe_key=key,
        detail=f"{report.provider} says {report.raw_status}"
        + (f" (error {report.error_code}: {report.error})" if report.error_code else "")
        + ("" if moves else "; no change"),
    )  # fmt: skip
    if message is not None and report.error_code in OPT_OUT_CODES:
        channel_opt_out_set(
            customer_id=message.customer_id, channel=message.channel, opted_out=True,
            reason=f"{report.provider} error {report.error_code}",
        )  # fmt: skip
    return "applied" if moves else "ignored"


def _move(message: ScheduledMessage, new: str, report: ProviderStatus) -> None:
    fields: dict[str, Any] = {"status": new, "status_changed_at": timezone.now()}
    if not message.provider_message_id:
        fields["provider_message_id"] = report.provider_id
    # Sending: the dispatcher may have died before recording the send (or not yet have
    # recorded it: it then finds sent_at set and writes no second timeline entry).
    if message.status in (S.SENDING, S.UNKNOWN):
        if message.status == S.UNKNOWN:
            fields["needs_review"] = False  # the provider has settled what we could not know
        if new != S.FAILED and message.sent_at is None:  # it did go out: onto the timeline
            fields["sent_at"] = message.sending_started_at or timezone.now()
            activity_create(
                customer_id=message.customer_id, kind=message.channel,
                direction=Direction.OUTBOUND, content=timeline_text(message),
                occurred_at=fields["sent_at"], job_id=message.job_id,
            )  # fmt: skip
    if new == S.FAILED:
        fields["last_error"] = (
            f"{report.error_code} {report.error}".strip() or "Provider failed it."
        )
    ScheduledMessage.objects.filter(pk=message.pk).update(**fields)


@dataclass(frozen=True)
class InboundMessage:
    """A message a customer sent us."""

    provider: str
    channel: str
    provider_id: str
    from_number: str
    text: str
    occurred_at: dt.datetime
    opt_out_type: str = ""  # Twilio Advanced Opt-Out: STOP / START / HELP


def _keyword_change(inbound: InboundMessage) -> bool | None:
    """True for an opt-out keyword, False for opt-in, None for anything else."""
    word = (inbound.opt_out_type or inbound.text).strip().rstrip(".!").upper()
    if word in STOP_WORDS:
        return True
    if word in START_WORDS or (inbound.channel == MessageChannel.SMS and word == "YES"):
        return False
    return None


def inbound_record(*, inbound: InboundMessage, payload: dict[str, Any]) -> str:
    """Put an inbound message on the sender's timeline once; STOP / START change consent."""
    key = f"{inbound.provider}:in:{inbound.provider_id}"[:200]
    try:
        with transaction.atomic():
            if MessageEvent.objects.filter(dedupe_key=key).exists():
                return "duplicate"
            return _inbound_store(inbound, key, payload)
    except IntegrityError:
        return "duplicate"


def inbound_address(inbound: InboundMessage) -> str:
    """The sender's number in E.164 ('' when unreadable). WhatsApp gives it without the '+'
    but always international; Twilio gives E.164."""
    digits = re.sub(r"\D", "", inbound.from_number)
    if not digits:
        return ""
    return phone_normalize_or_none(f"+{digits}") or ""


def _inbound_store(inbound: InboundMessage, key: str, payload: dict[str, Any]) -> str:
    customer = customer_by_phone(inbound.from_number)
    MessageEvent.objects.create(
        customer=customer, kind=EventKind.INBOUND, payload=payload, dedupe_key=key,
        detail=f"{inbound.channel} from {inbound.from_number}"
        + ("" if customer else " (no customer with that number)"),
    )  # fmt: skip
    _keyword_apply(inbound)
    if customer is None:
        logger.warning("Inbound %s from an unknown number", inbound.channel)
        return "ignored"
    activity = activity_create(
        customer_id=customer.pk, kind=inbound.channel, direction=Direction.INBOUND,
        content=(inbound.text.strip() or "[empty message]")[:10_000],
        occurred_at=inbound.occurred_at,
    )  # fmt: skip
    if _keyword_change(inbound) is None:  # STOP / START are consent, not an answer to anything
        inbound_message_stored.send(
            sender=InboundMessage, customer_id=customer.pk, channel=inbound.channel,
            text=inbound.text, activity_id=activity.pk,
        )  # fmt: skip
    return "applied"


def _keyword_apply(inbound: InboundMessage) -> None:
    """STOP / START speak for the number, not for one record: every customer with it follows,
    and a STOP from a number we do not know yet still holds for a record made later."""
    change = _keyword_change(inbound)
    address = inbound_address(inbound)
    if change is not None and address:
        address_opt_out_set(
            channel=inbound.channel, address=address, opted_out=change,
            source=SuppressionSource.KEYWORD,
            reason=f"The customer wrote {inbound.text.strip()[:20]!r}.",
        )  # fmt: skip


def _dicts(container: Any, key: str) -> list[dict[str, Any]]:
    items = container.get(key) if isinstance(container, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _whatsapp_text(message: dict[str, Any]) -> str:
    kind = str(message.get("type", ""))
    part = message.get(kind)
    if isinstance(part, dict):
        for field in ("body", "text", "caption"):
            if isinstance(part.get(field), str):
                return str(part[field])
    return f"[{kind or 'unknown'} message]"


def _when(timestamp: Any) -> dt.datetime:
    text = str(timestamp or "")
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text), tz=dt.UTC)
    return timezone.now()


def _whatsapp_status(item: dict[str, Any]) -> ProviderStatus:
    errors = _dicts(item, "errors")
    first = errors[0] if errors else {}
    return ProviderStatus(
        provider="whatsapp", channel=MessageChannel.WHATSAPP, provider_id=str(item.get("id", "")),
        raw_status=str(item.get("status", "")),
        outbox_id=_as_id(item.get("biz_opaque_callback_data")),
        error_code=str(first.get("code", "")), error=str(first.get("title", ""))[:300],
    )  # fmt: skip


def _whatsapp_inbound(item: dict[str, Any]) -> InboundMessage:
    return InboundMessage(
        provider="whatsapp", channel=MessageChannel.WHATSAPP, provider_id=str(item.get("id", "")),
        from_number=str(item.get("from", "")), text=_whatsapp_text(item),
        occurred_at=_when(item.get("timestamp")),
    )  # fmt: skip


def whatsapp_webhook_process(*, payload: dict[str, Any]) -> WebhookOutcome:
    """A verified WhatsApp Cloud webhook: entry[].changes[].value.statuses[] and messages[]."""
    outcome = WebhookOutcome()
    values = [
        change.get("value")
        for entry in _dicts(payload, "entry")
        for change in _dicts(entry, "changes")
        if isinstance(change.get("value"), dict)
    ]
    for value in values:
        for item in _dicts(value, "statuses"):
            if item.get("id") and item.get("status"):
                outcome.count(provider_status_apply(report=_whatsapp_status(item), payload=item))
        for item in _dicts(value, "messages"):
            if item.get("id") and item.get("from"):
                outcome.count(inbound_record(inbound=_whatsapp_inbound(item), payload=item))
    return outcome


def twilio_status_process(*, params: dict[str, str], outbox_id: str) -> WebhookOutcome:
    """A verified Twilio StatusCallback (form fields MessageSid, MessageStatus, ErrorCode)."""
    outcome = WebhookOutcome()
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    raw = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    if not sid or not raw:
        outcome.count("ignored")
        return outcome
    report = ProviderStatus(
        provider="twilio", channel=MessageChannel.SMS, provider_id=sid, raw_status=raw,
        outbox_id=_as_id(outbox_id), error_code=params.get("ErrorCode", ""),
        error=params.get("ErrorMessage", "")[:300],
    )  # fmt: skip
    outcome.count(provider_status_apply(report=report, payload=dict(params)))
    return outcome


def twilio_inbound_process(*, params: dict[str, str]) -> WebhookOutcome:
    """A verified Twilio inbound SMS (MessageSid, From, Body, OptOutType)."""
    outcome = WebhookOutcome()
    sid, sender = params.get("MessageSid") or params.get("SmsSid") or "", params.get("From", "")
    if not sid or not sender:
        outcome.count("ignored")
        return outcome
    inbound = InboundMessage(
        provider="twilio", channel=MessageChannel.SMS, provider_id=sid, from_number=sender,
        text=params.get("Body", ""), occurred_at=timezone.now(),
        opt_out_type=params.get("OptOutType", ""),
    )  # fmt: skip
    outcome.count(inbound_record(inbound=inbound, payload=dict(params)))
    return outcome
