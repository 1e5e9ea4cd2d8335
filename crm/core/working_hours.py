"""Counting in the company's working hours (company().working_hours, in TIME_ZONE)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from crm.core.company import company

# Enough to cross any weekend and a long holiday week, whatever the working week is.
SEARCH_DAYS = 31


def working_hours_before(*, end: dt.datetime, hours: float) -> dt.datetime:
    """The latest moment with `hours` working hours between it and `end`: anything that
    happened at or before it has waited at least that long in working time."""
    week = company().working_hours
    local_end = timezone.localtime(end)
    left = dt.timedelta(hours=hours)
    for back in range(SEARCH_DAYS):
        day = local_end.date() - dt.timedelta(days=back)
        if day.weekday() not in week.weekdays:
            continue
        opens = timezone.make_aware(dt.datetime.combine(day, week.start))
        closes = min(timezone.make_aware(dt.datetime.combine(day, week.end)), local_end)
        if closes <= opens:
            continue
        if closes - opens >= left:
            return closes - left
        left -= closes - opens
    return local_end - dt.timedelta(days=SEARCH_DAYS)
