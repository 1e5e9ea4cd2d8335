"""The dispatcher: claim due rows atomically, re-check the rules, send, record the outcome.

Claiming moves Scheduled rows to Sending with this run's token, committed before any provider
call. On PostgreSQL the candidates are picked with SELECT ... FOR UPDATE SKIP LOCKED, so
consumers never wait on each other; everywhere the UPDATE's `status = Scheduled` condition is
what guarantees one claim per row. A row left in Sending (the process died mid-send) becomes
Unknown and is flagged for a person: it is never re-sent blindly.

Accepted sends are recorded in small groups (at most RECORD_LAG_S after the first of them, or
RECORD_GROUP_MAX sends): one transaction per group instead of one per message is what lets a
fast channel go at several hundred messages a second. A consumer killed before a group is
recorded leaves those rows in Sending, which is the crash case above: Unknown, never re-sent.
Consents are read again when the batch's copy is older than CONSENT_MAX_AGE_S, so a STOP that
arrives while a long batch is being sent holds back the rest of it.

Each send waits for its turn on the provider's limit (crm/messaging/services/turns.py); when
the line is long, or the provider answered 429, the message goes back to Scheduled for the
moment its turn comes (no attempt counted), and the run sleeps until then rather than end
while such messages are due within its budget. So a large batch drains at the limit.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.core.words import written_moment
from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.customers.selectors import consents_for_sending
from crm.messaging.channels import channel_for
from crm.messaging.channels.base import (
    Channel,
    ConsentRevokedError,
    NotYourTurnError,
    Outbound,
    RateLimitedError,
    SendError,
    TransientSendError,
    UncertainSendError,
)
from crm.messaging.models import (
    HANDED_OVER_STATUSES,
    EventKind,
    MessageStatus,
    Purpose,
    ScheduledMessage,
)
from crm.messaging.policy import WHATSAPP_WINDOW, Decision, recipient_address, send_decision
from crm.messaging.services.accepted import Accepted, accepted_record
from crm.messaging.services.consent import channel_opt_out_set, unsubscribe_url
from crm.messaging.services.transitions import events_record, status_move
from crm.messaging.services.turns import (
    channel_pause,
    marketing_last_sent_at,
    marketing_lock,
    message_hand_back,
    turn_wait,
)

logger = logging.getLogger(__name__)
SENDING = [MessageStatus.SENDING]
DISPATCH_BUDGET_S = 50.0  # a minute tick starts the next run; leave it room
RECORD_LAG_S = 0.25
RECORD_GROUP_MAX = 100
CONSENT_MAX_AGE_S = 2.0
FOLLOW_S = 15.0  # a run that gave messages back for their turn waits this long for them


@dataclass
class DispatchReport:
    """Counts of what one dispatcher run did."""

    claimed: int = 0
    sent: int = 0
    deferred: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0
    released: int = 0
    throttled: int = 0  # given back to wait for the provider's limit (no attempt counted)

    def add(self, other: DispatchReport) -> None:
        for spec in fields(self):
            setattr(self, spec.name, getattr(self, spec.name) + getattr(other, spec.name))


@dataclass
class _Batch:
    """One claim: its token and rows, and the facts the rules need, loaded once per batch
    (consents again when older than CONSENT_MAX_AGE_S); accepted sends not yet recorded."""

    token: str
    started: float
    rows: list[ScheduledMessage]
    consents: dict[tuple[int, str], ContactConsent] = field(default_factory=dict)
    consents_read: float = 0.0
    whatsapp_open: set[int] = field(default_factory=set)
    last_marketing: dict[int, dt.datetime] = field(default_factory=dict)
    unrecorded: list[Accepted] = field(default_factory=list)
    unrecorded_since: float = 0.0


def _candidates(now: dt.datetime, limit: int, message_id: int | None) -> list[int]:
    due = ScheduledMessage.objects.filter(status=MessageStatus.SCHEDULED, send_at__lte=now)
    if message_id is not None:
        due = due.filter(pk=message_id)
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    return list(due.order_by("send_at", "id").values_list("id", flat=True)[:limit])


def _claim(*, limit: int, message_id: int | None = None) -> _Batch | None:
    """Move up to `limit` due rows to Sending under a fresh token, with their events, in one
    transaction; None when nothing is due. (On SQLite another consumer may have taken some
    of the candidates first: the batch holds only the rows this UPDATE moved.)"""
    token, now = uuid.uuid4().hex, timezone.now()
    with transaction.atomic():
        ids = _candidates(now, limit, message_id)
        if not ids:
            return None
        ScheduledMessage.objects.filter(pk__in=ids, status=MessageStatus.SCHEDULED).update(
            status=MessageStatus.SENDING, claim_token=token, sending_started_at=now,
            status_changed_at=now,
        )  # fmt: skip
        rows = list(
            ScheduledMessage.objects.filter(claim_token=token, status=MessageStatus.SENDING)
            .select_related("customer")
            .order_by("send_at", "id")
        )
        events_record(
            messages=rows, from_status=MessageStatus.SCHEDULED, to_status=MessageStatus.SENDING
        )
    return _Batch(token=token, started=time.monotonic(), rows=rows)


def _load_consents(batch: _Batch, rows: list[ScheduledMessage]) -> None:
    # A suppressed address counts as opted out on every record with it (customers selector).
    customers = {m.customer_id: m.customer for m in rows}
    batch.consents = consents_for_sending(customers=list(customers.values()))
    batch.consents_read = time.monotonic()


def _load_facts(batch: _Batch) -> None:
    """Consents, open WhatsApp windows and last marketing sends for the batch's customers."""
    rows = batch.rows
    customer_ids = {m.customer_id for m in rows}
    _load_consents(batch, rows)
    now = timezone.now()
    if any(m.channel == MessageChannel.WHATSAPP for m in rows):
        batch.whatsapp_open = set(
            Customer.objects.filter(
                pk__in=customer_ids,
                activities__kind=ActivityKind.WHATSAPP,
                activities__direction=Direction.INBOUND,
                activities__occurred_at__gte=now - WHATSAPP_WINDOW,
            ).values_list("id", flat=True)
        )
    if any(m.purpose == Purpose.MARKETING for m in rows):
        batch.last_marketing = dict(
            ScheduledMessage.objects.filter(
                customer_id__in=customer_ids, purpose=Purpose.MARKETING,
                status__in=[*HANDED_OVER_STATUSES, MessageStatus.UNKNOWN], sent_at__isnull=False,
            )
            .values("customer_id")
            .annotate(last=Max("sent_at"))
            .values_list("customer_id", "last")
        )  # fmt: skip


def outbox_dispatch_due(
    *, budget_s: float = DISPATCH_BUDGET_S, batch_size: int | None = None
) -> DispatchReport:
    """Claim and send due messages batch after batch until none is due or time runs out."""
    report = DispatchReport()
    deadline = time.monotonic() + budget_s
    limit = batch_size or settings.MESSAGE_DISPATCH_BATCH
    while time.monotonic() < deadline:
        batch = _claim(limit=limit)
        if batch is None:
            wait = _next_due_in() if report.throttled else None
            if wait is None or wait > min(FOLLOW_S, deadline - time.monotonic()):
                break
            time.sleep(max(wait, 0.01))  # messages given back for their turn come due
            continue
        report.add(_run(batch))
    return report


def _next_due_in() -> float | None:
    """Seconds until the next Scheduled message is due (None: none is)."""
    first = (
        ScheduledMessage.objects.filter(status=MessageStatus.SCHEDULED)
        .order_by("send_at")
        .values_list("send_at", flat=True)
        .first()
    )
    return None if first is None else (first - timezone.now()).total_seconds()


def outbox_dispatch_one(*, message_id: int) -> DispatchReport:
    """Send one message if it is still Scheduled and due (send now); else do nothing."""
    batch = _claim(limit=1, message_id=message_id)
    return _run(batch) if batch is not None else DispatchReport()


def _run(batch: _Batch) -> DispatchReport:
    report = DispatchReport(claimed=len(batch.rows))
    _load_facts(batch)
    lease_s = settings.MESSAGE_SENDING_TIMEOUT_MIN * 60 / 2
    try:
        for index, message in enumerate(batch.rows):
            if time.monotonic() - batch.started > lease_s:
                _record_accepted(batch)
                report.released += _release(batch.rows[index:], batch)
                break
            if time.monotonic() - batch.consents_read > CONSENT_MAX_AGE_S:
                _load_consents(batch, batch.rows[index:])
            _process(message, batch, report)
            if batch.unrecorded and (
                len(batch.unrecorded) >= RECORD_GROUP_MAX
                or time.monotonic() - batch.unrecorded_since >= RECORD_LAG_S
            ):
                _record_accepted(batch)
    finally:
        _record_accepted(batch)
    return report


def _release(rows: list[ScheduledMessage], batch: _Batch) -> int:
    """Give unsent rows back before the crash sweep would take this slow run for dead."""
    with transaction.atomic():
        released = list(
            ScheduledMessage.objects.select_for_update()
            .filter(pk__in=[m.pk for m in rows], claim_token=batch.token,
                    status=MessageStatus.SENDING)
            .only("id", "customer_id")
        )  # fmt: skip
        ScheduledMessage.objects.filter(pk__in=[m.pk for m in released]).update(
            status=MessageStatus.SCHEDULED, claim_token="", sending_started_at=None,
            status_changed_at=timezone.now(),
        )  # fmt: skip
        events_record(
            messages=released, from_status=MessageStatus.SENDING,
            to_status=MessageStatus.SCHEDULED,
            detail="Given back unsent: this run took too long; the next run sends it.",
        )  # fmt: skip
    return len(released)


def _decide(
    message: ScheduledMessage, batch: _Batch, last_marketing_at: dt.datetime | None
) -> Decision:
    return send_decision(
        customer=message.customer, channel=message.channel, purpose=message.purpose,
        consent=batch.consents.get((message.customer_id, message.channel)),
        last_marketing_at=last_marketing_at, now=timezone.now(), source=message.source,
    )  # fmt: skip


def _process(message: ScheduledMessage, batch: _Batch, report: DispatchReport) -> None:
    decision = _decide(message, batch, batch.last_marketing.get(message.customer_id))
    if decision.action != "send":
        _not_now(message, decision, report)
        return
    channel = channel_for(message.channel)
    if message.purpose == Purpose.MARKETING:
        _send_marketing(message, channel, batch, report)
    else:
        _send(message, channel, batch, report)


def _hand_back(
    message: ScheduledMessage, report: DispatchReport, until: dt.datetime, reason: str
) -> None:
    if message_hand_back(message=message, until=until, reason=reason):
        report.throttled += 1


def _send_marketing(
    message: ScheduledMessage, channel: Channel, batch: _Batch, report: DispatchReport
) -> None:
    """The frequency cap again, from the database under the customer's lock, and the send
    recorded before the lock goes: a concurrent consumer then sees it (turns.py)."""
    with transaction.atomic():
        marketing_lock(customer_id=message.customer_id)
        last = marketing_last_sent_at(message=message)
        decision = _decide(message, batch, last)
        if decision.action != "send":
            _not_now(message, decision, report)
            return
        _send(message, channel, batch, report)
        _record_accepted(batch)


def _not_now(message: ScheduledMessage, decision: Decision, report: DispatchReport) -> None:
    if decision.action == "cancel":
        status_move(
            message=message, from_statuses=SENDING, to_status=MessageStatus.CANCELLED,
            detail=decision.reason, last_error=decision.reason, claim_token="",
        )  # fmt: skip
        report.cancelled += 1
    elif decision.action == "defer":
        status_move(
            message=message, from_statuses=SENDING, to_status=MessageStatus.SCHEDULED,
            kind=EventKind.DEFERRED, detail=f"{decision.reason} Deferred to {decision.until}.",
            send_at=decision.until, claim_token="", sending_started_at=None,
        )  # fmt: skip
        report.deferred += 1


def _outbound(message: ScheduledMessage, batch: _Batch) -> Outbound:
    marketing_email = message.channel == MessageChannel.EMAIL and message.purpose == "Marketing"
    return Outbound(
        message_id=message.pk, to=recipient_address(message.customer, message.channel),
        subject=message.subject, body=message.body,
        free_text_allowed=message.customer_id in batch.whatsapp_open,
        template_name=message.template_name,
        template_params=[str(p) for p in message.template_params],
        unsubscribe_url=unsubscribe_url(customer_id=message.customer_id) if marketing_email else "",
    )  # fmt: skip


def _send(
    message: ScheduledMessage, channel: Channel, batch: _Batch, report: DispatchReport
) -> None:
    def wait_turn() -> None:
        until = turn_wait(message, channel)
        if until is not None:
            raise NotYourTurnError(until)

    try:
        result = channel.send(replace(_outbound(message, batch), wait_turn=wait_turn))
    except NotYourTurnError as refused:
        reason = f"{message.channel} is at its provider's limit."
        _hand_back(message, report, refused.until, reason)
        return
    except RateLimitedError as error:
        until = channel_pause(message, channel, error.retry_after_s)
        _hand_back(message, report, until, f"The provider asked us to slow down: {error}")
        return
    except SendError as error:
        _failed_send(message, error, report)
        return
    except Exception as error:  # a bug after the request may have left: treat as uncertain
        logger.exception("Channel %s crashed on message %s", message.channel, message.pk)
        _failed_send(message, UncertainSendError(f"Unexpected error: {error!r}"), report)
        return
    now = timezone.now()
    if not batch.unrecorded:
        batch.unrecorded_since = time.monotonic()
    batch.unrecorded.append(Accepted(message, result, now))
    if message.purpose == Purpose.MARKETING:
        batch.last_marketing[message.customer_id] = now
    report.sent += 1


def _record_accepted(batch: _Batch) -> None:
    if batch.unrecorded:
        accepted, batch.unrecorded = batch.unrecorded, []
        accepted_record(accepted)


def _failed_send(message: ScheduledMessage, error: SendError, report: DispatchReport) -> None:
    reason = str(error)[:2000]
    attempts = message.attempts + 1
    common: dict[str, Any] = {"attempts": attempts, "last_error": reason, "claim_token": ""}
    if isinstance(error, UncertainSendError):
        status_move(message=message, from_statuses=SENDING, to_status=MessageStatus.UNKNOWN,
                    detail=reason, needs_review=True, **common)  # fmt: skip
        report.unknown += 1
    elif isinstance(error, TransientSendError) and attempts < settings.MESSAGE_MAX_ATTEMPTS:
        retry_at = timezone.now() + dt.timedelta(
            seconds=settings.MESSAGE_RETRY_BASE_S * 4 ** (attempts - 1)
        )
        status_move(message=message, from_statuses=SENDING, to_status=MessageStatus.SCHEDULED,
                    kind=EventKind.DEFERRED, detail=f"Attempt {attempts} failed: {reason} "
                    f"Retry at {written_moment(timezone.localtime(retry_at))}.", send_at=retry_at,
                    sending_started_at=None, **common)  # fmt: skip
        report.retried += 1
    else:  # refused for good, or out of attempts
        if isinstance(error, ConsentRevokedError):
            channel_opt_out_set(customer_id=message.customer_id, channel=message.channel,
                                opted_out=True, reason=f"Provider refused: {reason}")  # fmt: skip
        if isinstance(error, TransientSendError):
            reason = f"Gave up after {attempts} attempts. Last error: {reason}"
        status_move(message=message, from_statuses=SENDING, to_status=MessageStatus.FAILED,
                    detail=reason, **common | {"last_error": reason})  # fmt: skip
        report.failed += 1
