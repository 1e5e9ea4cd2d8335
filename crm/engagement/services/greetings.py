"""Greeting text for occasion drafts: the insights greeting feature when it is installed and
answers, else fixed wording. Drafts only: a person approves before anything is sent."""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from crm.core.company import company
from crm.core.words import counted
from crm.customers.models import ContactConsent, MessageChannel
from crm.engagement.selectors.occasions import ANNIVERSARY, Occasion, holidays_for_greetings
from crm.engagement.services.bulk import upsert_rows, upsert_sql
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage

logger = logging.getLogger(__name__)
SEND_TIME = dt.time(10, 0)  # company time; the dispatcher still applies each customer's hours
CHUNK = 2000


def _spanish(language: str) -> bool:
    return language.lower().startswith("es")


def greeting_subject(occasion: Occasion, *, language: str) -> str:
    if occasion.name == ANNIVERSARY:
        return "¡Gracias por su confianza!" if _spanish(language) else "Thank you for your trust"
    return (
        f"¡Felices fiestas: {occasion.name}!" if _spanish(language) else f"Happy {occasion.name}!"
    )


def greeting_fixed(*, first_name: str, occasion: Occasion, language: str) -> str:
    """The fixed wording, English or Spanish."""
    signed = company().name
    if _spanish(language):
        middle = (
            f"Hoy se cumplen {counted(occasion.years, 'año')} desde nuestra primera visita a "
            "su hogar. "
            "Gracias por confiarnos sus electrodomésticos."
            if occasion.name == ANNIVERSARY
            else f"¡Le deseamos un feliz {occasion.name}! Gracias por confiar en nosotros."
        )
        return f"Hola {first_name},\n\n{middle}\n\nSaludos cordiales,\nEl equipo de {signed}"
    middle = (
        f"It has been {counted(occasion.years, 'year')} since our first "
        f"visit to your home. Thank you for trusting {signed} with your appliances."
        if occasion.name == ANNIVERSARY
        else f"Wishing you a wonderful {occasion.name}! Thank you for trusting {signed} with "
        "your home appliances; we are here whenever you need us."
    )
    return f"Hi {first_name},\n\n{middle}\n\nWarm regards,\nThe {signed} Team"


def greeting_from_insights(*, customer_id: int, occasion: Occasion) -> str | None:
    """The insights feature's message (LLM or its offline twin), or None when the feature is
    not installed or fails: the caller then uses the fixed wording."""
    try:
        from crm.insights.services import insight_get
    except ImportError:
        return None
    try:
        answer = insight_get(
            feature="generate-greeting", subject_id=customer_id,
            options={"occasion": occasion.name}, today=occasion.day,
        )  # fmt: skip
    except Exception:  # any failure there must not stop the nightly sweep
        logger.exception("Greeting from insights failed for customer %s", customer_id)
        return None
    # The plan's text format: 'OCCASION: ...\n\nMESSAGE:\n"<message>"'.
    _, found, message = answer.text.partition("MESSAGE:")
    body = message.strip().strip('"').strip() if found else ""
    return body or None


@dataclass(frozen=True)
class Reach:
    """A customer who accepts marketing, and the channel a greeting would use."""

    customer_id: int
    channel: str
    first_name: str
    language: str


def marketing_reach() -> dict[int, Reach]:
    """Customers with a marketing opt-in, not opted out, on a channel they have an address
    for; their preferred channel when it qualifies (greetings are marketing, C4)."""
    rows = (
        ContactConsent.objects.filter(marketing_opt_in=True, opted_out_at__isnull=True)
        .values_list(
            "customer_id", "channel", "customer__email", "customer__phone",
            "customer__preferred_contact_method", "customer__name",
            "customer__language_preference",
        )
        .order_by("customer_id", "channel")
    )  # fmt: skip
    reach: dict[int, Reach] = {}
    for customer_id, channel, email, phone, preferred, name, language in rows.iterator(5000):
        address = email if channel == MessageChannel.EMAIL else phone
        current = reach.get(customer_id)
        if address and (current is None or (channel == preferred != current.channel)):
            first = (name.split() or [""])[0]
            reach[customer_id] = Reach(customer_id, channel, first, language)
    return reach


def greeting_key(reach: Reach, occasion: Occasion) -> str:
    return f"greeting:{reach.customer_id}:{occasion.slug}:{occasion.day.isoformat()}"


DRAFT_COLUMNS = (
    "customer_id", "channel", "purpose", "subject", "body", "template_name", "template_params",
    "send_at", "status", "source", "idempotency_key", "attempts", "last_error", "needs_review",
    "provider_message_id", "carrier", "claim_token", "status_changed_at", "created_at",
    "updated_at",
)  # fmt: skip


class _DraftRows:
    """Turns (customer, occasion, text) into rows for DRAFT_COLUMNS; the constant parts and
    the send time of each occasion day are adapted once."""

    def __init__(self) -> None:
        ops, field = connection.ops, ScheduledMessage._meta.get_field("template_params")
        self.now = ops.adapt_datetimefield_value(timezone.now())
        self.no_params = field.get_db_prep_save([], connection)
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.send_at: dict[dt.date, Any] = {}

    def _send_at(self, day: dt.date) -> Any:
        if day not in self.send_at:
            moment = dt.datetime.combine(day, SEND_TIME, self.zone)
            self.send_at[day] = connection.ops.adapt_datetimefield_value(moment)
        return self.send_at[day]

    def row(self, reach: Reach, occasion: Occasion, body: str) -> tuple[Any, ...]:
        email = reach.channel == MessageChannel.EMAIL
        subject = greeting_subject(occasion, language=reach.language) if email else ""
        return (
            reach.customer_id, reach.channel, Purpose.MARKETING.value, subject, body, "",
            self.no_params, self._send_at(occasion.day), MessageStatus.DRAFT.value,
            MessageSource.GREETING.value, greeting_key(reach, occasion), 0, "", False, "", "", "",
            self.now, self.now, self.now,
        )  # fmt: skip


def _without_draft(candidates: list[tuple[Reach, Occasion]]) -> list[tuple[Reach, Occasion]]:
    """Candidates that have no draft yet (so the text is only written once)."""
    fresh = []
    for start in range(0, len(candidates), CHUNK):
        part = {greeting_key(r, o): (r, o) for r, o in candidates[start : start + CHUNK]}
        taken = set(
            ScheduledMessage.objects.filter(idempotency_key__in=list(part)).values_list(
                "idempotency_key", flat=True
            )
        )
        fresh += [pair for key, pair in part.items() if key not in taken]
    return fresh


def greeting_drafts_create(*, day: dt.date, anniversaries: dict[int, Occasion]) -> int:
    """Drafts (status Draft, source Greeting) for holidays within GREETING_LEAD_DAYS and the
    given anniversaries, for customers who accept marketing. The first
    GREETING_PERSONAL_PER_RUN are written by the insights greeting feature, the rest with the
    fixed wording. Nothing is sent until a person approves. Returns how many were created."""
    reach = marketing_reach()
    lead = dt.timedelta(days=company().greeting_lead_days)
    candidates = [(reach[c], o) for c, o in sorted(anniversaries.items()) if c in reach]
    candidates += [(r, o) for o in holidays_for_greetings(day, day + lead) for r in reach.values()]
    rows, builder = [], _DraftRows()
    for index, (r, o) in enumerate(_without_draft(candidates)):
        personal = None
        if index < settings.GREETING_PERSONAL_PER_RUN:
            personal = greeting_from_insights(customer_id=r.customer_id, occasion=o)
        text = personal or greeting_fixed(first_name=r.first_name, occasion=o, language=r.language)
        rows.append(builder.row(r, o, text))
    sql = upsert_sql(ScheduledMessage, columns=DRAFT_COLUMNS, conflict="idempotency_key")
    return upsert_rows(sql, rows)
