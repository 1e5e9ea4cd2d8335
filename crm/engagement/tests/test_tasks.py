"""The one periodic schedule: every periodic task lives in crm/engagement/tasks.py, each at its
documented times, and the minute tick really sends what is due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from crm.engagement.tasks import messages_dispatch_periodic_task
from crm.messaging.models import MessageStatus
from crm.messaging.tests.factories import ScheduledMessageFactory


def _fires_per_day() -> dict[str, list[str]]:
    """Task name -> the UTC times of day (HH:MM) its crontab fires on 2026-11-23."""
    autodiscover_modules("tasks")  # what `manage.py run_huey` does before it schedules
    start = dt.datetime(2026, 11, 23)
    minutes = [start + dt.timedelta(minutes=m) for m in range(24 * 60)]
    schedule = {}
    for task_class in HUEY._registry._periodic_tasks:
        task = task_class()
        assert task_class.__module__ == "crm.engagement.tasks", task_class
        schedule[task_class.__name__] = [f"{m:%H:%M}" for m in minutes if task.validate_datetime(m)]
    return schedule


def test_every_periodic_task_is_in_the_one_schedule_module(settings) -> None:  # type: ignore[no-untyped-def]
    # when the consumer discovers every app's tasks
    schedule = _fires_per_day()
    # then the periodic ones are exactly the documented four, at their times (UTC)
    assert {name: len(times) for name, times in schedule.items()} == {
        "messages_dispatch_periodic_task": 1440,
        "messages_recover_stuck_periodic_task": 288,
        "follow_ups_no_response_periodic_task": 24,
        "engagement_sweeps_periodic_task": 1,
    }
    assert schedule["follow_ups_no_response_periodic_task"][:2] == ["00:05", "01:05"]
    assert schedule["engagement_sweeps_periodic_task"] == [f"{settings.SWEEP_HOUR_UTC:02d}:15"]


@pytest.mark.django_db
def test_the_minute_tick_sends_what_is_due_once(settings) -> None:  # type: ignore[no-untyped-def]
    # given a due message, no quiet hours, two dispatch tasks per tick (run inline in tests)
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"
    settings.MESSAGE_DISPATCH_PARALLEL = 2
    message = ScheduledMessageFactory()
    # when the tick fires twice
    messages_dispatch_periodic_task()
    messages_dispatch_periodic_task()
    # then it went out once
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 1)
    assert message.events.filter(to_status=MessageStatus.DELIVERED).count() == 1
