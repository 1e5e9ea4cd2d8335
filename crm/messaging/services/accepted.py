"""Recording the sends a provider accepted, a group at a time (see crm/messaging/services/
dispatch.py for why groups): the provider ids and send times in one UPDATE per (status,
carrier), the status events, and each send on its customer's timeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from crm.activities.services import OutboundMessage, outbound_messages_record
from crm.messaging.channels.base import SendResult
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.transitions import timeline_text


@dataclass(frozen=True)
class Accepted:
    """A send the provider accepted, waiting to be recorded with its group."""

    message: ScheduledMessage
    result: SendResult
    at: dt.datetime


@transaction.atomic
def accepted_record(accepted: list[Accepted]) -> None:
    """Record the provider ids of a group of sends; a webhook that got here first keeps its
    later status. Each send goes on its customer's timeline."""
    movable = dict(
        ScheduledMessage.objects.select_for_update()
        .filter(
            pk__in=[a.message.pk for a in accepted],
            status__in=[MessageStatus.SENDING, MessageStatus.UNKNOWN],
        )
        .values_list("id", "status")
    )
    moved = [a for a in accepted if a.message.pk in movable]
    timeline = list(moved)
    for a in accepted:
        if a.message.pk in movable:
            continue
        # Rare: a webhook settled the row while we were sending. Whoever sets sent_at writes
        # the timeline entry (a webhook settling an Unknown row does too), so it is written once.
        rows = ScheduledMessage.objects.filter(pk=a.message.pk)
        rows.update(carrier=a.result.carrier, attempts=F("attempts") + 1)
        if rows.filter(sent_at__isnull=True).update(sent_at=a.at):
            timeline.append(a)
        rows.filter(provider_message_id="").update(provider_message_id=a.result.provider_message_id)
    _mark_accepted(moved)
    MessageEvent.objects.bulk_create(
        MessageEvent(
            message_id=a.message.pk,
            customer_id=a.message.customer_id,
            kind=EventKind.STATUS,
            from_status=movable[a.message.pk],
            to_status=a.result.status,
            created_at=a.at,
            detail=f"Accepted by {a.result.carrier} as {a.result.provider_message_id}.",
        )
        for a in moved
    )
    outbound_messages_record(
        messages=[
            OutboundMessage(
                customer_id=a.message.customer_id,
                kind=a.message.channel,
                content=timeline_text(a.message, label=a.result.label),
                occurred_at=a.at,
                job_id=a.message.job_id,
            )
            for a in timeline
        ]
    )
    for a in moved:
        a.message.status, a.message.attempts = a.result.status, a.message.attempts + 1


def _mark_accepted(accepted: list[Accepted]) -> None:
    """One UPDATE per (status, carrier), the provider ids and send times in CASE lists.

    Written out because bulk_update's per-row expressions cost more Python than the sends
    themselves on a local channel. Column names come from the model, values are parameters.
    """
    ops = connection.ops
    table, quote = ops.quote_name(ScheduledMessage._meta.db_table), ops.quote_name
    groups: dict[tuple[str, str], list[Accepted]] = defaultdict(list)
    for a in accepted:
        groups[(a.result.status, a.result.carrier)].append(a)
    for (status, carrier), group in groups.items():
        cases = " ".join(["WHEN %s THEN %s"] * len(group))
        ids = [a.message.pk for a in group]
        provider_ids: list[Any] = [
            v for a in group for v in (a.message.pk, a.result.provider_message_id)
        ]
        times: list[Any] = [
            v for a in group for v in (a.message.pk, ops.adapt_datetimefield_value(a.at))
        ]
        sql = (
            f"UPDATE {table} SET {quote('status')} = %s, {quote('carrier')} = %s, "  # noqa: S608
            f"{quote('attempts')} = {quote('attempts')} + 1, {quote('last_error')} = '', "
            f"{quote('needs_review')} = %s, {quote('status_changed_at')} = %s, "
            f"{quote('provider_message_id')} = CASE {quote('id')} {cases} END, "
            f"{quote('sent_at')} = CASE {quote('id')} {cases} END "
            f"WHERE {quote('id')} IN ({', '.join(['%s'] * len(ids))})"
        )
        params: list[Any] = [status, carrier, False]
        params.append(ops.adapt_datetimefield_value(timezone.now()))
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *provider_ids, *times, *ids])
