"""Background doors of messaging: take ids, call one service, safe to run twice.

The periodic schedule (every minute, nightly) is listed in crm/engagement/tasks.py.
"""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from crm.messaging.services.dispatch import outbox_dispatch_due, outbox_dispatch_one


@db_task()
def messages_dispatch_task() -> None:
    """Send every due message (claims are atomic, so any number of these may run at once)."""
    outbox_dispatch_due()


@db_task()
def message_dispatch_task(message_id: int) -> None:
    """Send one message now if it is still due and nobody else has claimed it."""
    outbox_dispatch_one(message_id=message_id)
