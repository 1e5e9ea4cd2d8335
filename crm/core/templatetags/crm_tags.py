"""Template helpers of the HTML pages: money, dates, choice labels, stars, the yearly chart."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.base import Message
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from crm.core.dates import company_today
from crm.core.money import money_text
from crm.core.phones import phone_display
from crm.core.words import clock_time, language_name, written_day, written_moment, zone_city
from crm.core.words import short_day as words_short_day

register = template.Library()
register.filter("language_name", language_name)
register.filter("zone_city", zone_city)


CHART_YEARS = 12
CHART_HEIGHT = 120
CHART_TOP = 8
CHART_SLOT = 44
BAR_WIDTH = 15


@register.filter
def phone(e164: str | None) -> str:
    """`+13055550142` -> `(305) 555-0142` in the company's country; a foreign number in
    international form (`+44 20 7946 0958`)."""
    return phone_display(e164 or "")


@register.filter
def money(value: Decimal | int | None) -> str:
    """`-1234.5` -> `-$1,234.50` with the configured currency symbol."""
    return money_text(value)


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    """`Tue, Dec 8, 2026` (a datetime's day in the company time zone); empty for None.

    Ten times quicker than `|date:"D, M j, Y"`, which shows on pages with many rows.
    """
    if value is None or value == "":
        return ""
    return written_day(_local(value))


@register.filter
def short_day(value: dt.date | dt.datetime | None) -> str:
    """A table column's day: `Dec 8` this year, `Dec 8, 2025` before; empty for None."""
    if value is None or value == "":
        return ""
    return words_short_day(_local(value), company_today())


@register.filter
def moment(value: dt.datetime | None) -> str:
    """`<time datetime="2026-12-08T10:30:00-05:00" title="New York time">Tue, Dec 8, 2026,
    10:30 AM</time>`: in the company's time zone, which the tooltip names."""
    if value is None or value == "":
        return ""
    local = _local(value)
    if not isinstance(local, dt.datetime):
        return day(local)
    return format_html(
        '<time datetime="{}" title="{} time">{}</time>',
        local.isoformat(),
        zone_city(settings.TIME_ZONE),
        written_moment(local),
    )


@register.filter
def day_time(value: dt.datetime | None) -> str:
    """`Tue, Dec 8, 2026, 10:30 AM` as plain text (inside a `<time>` that has its own
    attributes); empty for None."""
    if value is None or value == "":
        return ""
    return written_moment(timezone.localtime(value))


@register.filter
def clock(value: dt.datetime | None) -> str:
    """`10:30 AM` in the company time zone; empty for None."""
    if value is None or value == "":
        return ""
    return clock_time(timezone.localtime(value))


# `{% moment x %}` as well as `{{ x|moment }}`: the tag came first.
register.simple_tag(moment, name="moment")


@functools.cache
def _choice_labels(model: type[models.Model], field_name: str) -> dict[Any, str]:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]


@register.filter
def label(instance: models.Model, field_name: str) -> str:
    """The display label of a choice field, like get_FOO_display() but without rebuilding the
    choices on every call (which showed in the page's profile)."""
    value = getattr(instance, field_name)
    return _choice_labels(type(instance), field_name).get(value, str(value))


@register.simple_tag
def stars(rating: Decimal | int, out_of: int = 5) -> str:
    """Filled and empty stars that a screen reader reads as "4 out of 5" (or "4.5 out of 5")."""
    filled = int(Decimal(rating).to_integral_value(rounding=ROUND_HALF_UP))
    filled = max(0, min(filled, out_of))
    return format_html(
        '<span class="stars" role="img" aria-label="{} out of {}">'
        '<span aria-hidden="true">{}</span></span>',
        rating,
        out_of,
        "★" * filled + "☆" * (out_of - filled),
    )


@register.filter
def star_glyphs(count: int) -> str:
    """`3` -> `★★★` (decoration beside a labelled rating choice)."""
    return "★" * int(count)


WEEKDAY_NAMES = {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri",
                 "sat": "Sat", "sun": "Sun"}  # fmt: skip


@register.filter
def weekday(day: str) -> str:
    """`mon` -> `Mon` (contact-time windows store the short lower-case name)."""
    return WEEKDAY_NAMES.get(day, day)


class YearFigures(Protocol):
    @property
    def year(self) -> int: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def net_profit(self) -> Decimal: ...


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    height: float
    negative: bool


@dataclass(frozen=True)
class ChartYear:
    year: int
    revenue: Decimal
    net_profit: Decimal
    label_x: int
    revenue_bar: Bar
    profit_bar: Bar


def _bar(x: int, value: Decimal, *, top: Decimal, scale: Decimal) -> Bar:
    zero = CHART_TOP + float(top * scale)
    end = CHART_TOP + float((top - value) * scale)
    return Bar(
        x=x, y=round(min(zero, end), 1), height=round(abs(end - zero), 1), negative=value < 0
    )


def _every_year(years: Sequence[YearFigures]) -> list[tuple[int, Decimal, Decimal]]:
    """(year, revenue, net profit) for each year from the first to the last; gaps are zero."""
    if not years:
        return []
    known = {y.year: (y.revenue, y.net_profit) for y in years}
    first, last = min(known), max(known)
    zero = (Decimal(0), Decimal(0))
    return [(year, *known.get(year, zero)) for year in range(first, last + 1)]


@register.inclusion_tag("includes/year_chart.html")
def year_chart(years: Sequence[YearFigures], earlier: bool = False) -> dict[str, Any]:
    """Revenue and net profit per year as bars around a zero line (the last CHART_YEARS years);
    `earlier` says the years given are themselves the recent part of a longer history."""
    every = _every_year(years)
    shown = every[-CHART_YEARS:]
    values = [row[1] for row in shown] + [row[2] for row in shown] + [Decimal(0)]
    top, bottom = max(values), min(values)
    scale = Decimal(CHART_HEIGHT) / ((top - bottom) or 1)
    bars = [
        ChartYear(
            year=year,
            revenue=revenue,
            net_profit=profit,
            label_x=index * CHART_SLOT + CHART_SLOT // 2,
            revenue_bar=_bar(index * CHART_SLOT + 6, revenue, top=top, scale=scale),
            profit_bar=_bar(index * CHART_SLOT + 6 + BAR_WIDTH, profit, top=top, scale=scale),
        )
        for index, (year, revenue, profit) in enumerate(shown)
    ]
    return {
        "years": bars,
        "width": max(len(bars), 1) * CHART_SLOT,
        "height": CHART_TOP + CHART_HEIGHT + 18,
        "zero_y": CHART_TOP + float(top * scale),
        "label_y": CHART_TOP + CHART_HEIGHT + 14,
        "bar_width": BAR_WIDTH,
        "clipped": earlier or len(every) > CHART_YEARS,
        "first_year": bars[0].year if bars else None,
        "last_year": bars[-1].year if bars else None,
    }


@register.simple_tag(takes_context=True)
def confirmations(context: template.Context) -> list[Message]:
    """The confirmations waiting for this page (a plain post's "what changed"), read once.
    (Pages use `messages` for their own rows, so base.html does not rely on that name.)"""
    request = context.get("request")
    return list(get_messages(request)) if request is not None else []
