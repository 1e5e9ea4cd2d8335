"""The crash sweep: rows a dead consumer left in Sending become Unknown, flagged for a person.

Never re-sent blindly: the provider may have the message. Its status webhooks, which carry
our message id, may still settle the row (crm/messaging/services/webhooks.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.transitions import events_record


def outbox_recover_stuck(*, now: dt.datetime | None = None) -> int:
    """Rows in Sending for longer than MESSAGE_SENDING_TIMEOUT_MIN: their process died
    mid-send. Mark them Unknown and flag them; a status webhook may still settle them."""
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MIN)
    stuck = list(
        ScheduledMessage.objects.filter(
            status=MessageStatus.SENDING, sending_started_at__lt=cutoff
        ).only("id", "customer_id")
    )
    if not stuck:
        return 0
    reason = (
        "The dispatcher stopped while sending (crash or restart): it may or may not have gone "
        "out. Check with the provider before sending again."
    )
    with transaction.atomic():
        ScheduledMessage.objects.filter(
            pk__in=[m.pk for m in stuck], status=MessageStatus.SENDING
        ).update(
            status=MessageStatus.UNKNOWN, needs_review=True, last_error=reason,
            claim_token="", status_changed_at=timezone.now(),
        )  # fmt: skip
        events_record(
            messages=stuck, from_status=MessageStatus.SENDING, to_status=MessageStatus.UNKNOWN,
            detail=reason,
        )  # fmt: skip
    return len(stuck)
