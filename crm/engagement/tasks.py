"""Every periodic job of ServiceCRM, with its schedule, in one place.

Exactly one huey consumer runs this schedule (`manage.py run_huey`); any others are started
with `--no-periodic` and only work the queue (docs/messaging.md, scale-out). huey evaluates
crontabs in UTC. Each task is a thin door: it calls one service, and running it twice is
harmless (claims are atomic, sweeps are idempotent).
"""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from crm.engagement.services.surveys import follow_ups_no_response
from crm.engagement.services.sweeps import engagement_sweep
from crm.messaging.services.recovery import outbox_recover_stuck
from crm.messaging.tasks import messages_dispatch_task


@db_periodic_task(crontab(minute="*"))
def messages_dispatch_periodic_task() -> None:
    """Every minute: hand the due outbox to MESSAGE_DISPATCH_PARALLEL consumers at once."""
    for _ in range(settings.MESSAGE_DISPATCH_PARALLEL):
        messages_dispatch_task()


@db_periodic_task(crontab(minute="*/5"))
def messages_recover_stuck_periodic_task() -> None:
    """Every five minutes: rows a crash left in Sending become Unknown, flagged for a person."""
    outbox_recover_stuck()


@db_periodic_task(crontab(minute="5"))
def follow_ups_no_response_periodic_task() -> None:
    """Hourly: unanswered satisfaction follow-ups become NoResponse with a reminder."""
    follow_ups_no_response()


@db_periodic_task(crontab(hour=str(settings.SWEEP_HOUR_UTC), minute="15"))
def engagement_sweeps_periodic_task() -> None:
    """Nightly: reminders, greeting drafts, snoozes that are due again."""
    engagement_sweep()
