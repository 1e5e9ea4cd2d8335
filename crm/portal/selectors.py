"""What a customer's portal page shows: that customer's own records only, in their language.

Nothing the office keeps for itself reaches it: no job descriptions or internal notes, no
expenses or profit, no ratings. What they paid is theirs, so it is shown.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.words import clock_time, spoken_date
from crm.customers.models import (
    ContactConsent,
    ContactMethod,
    Customer,
    FrequencyPreference,
    MessageChannel,
    ServiceLocation,
    consent_address,
)
from crm.jobs.models import Job, JobStatus
from crm.plans.models import MaintenancePlan, PlanStatus
from crm.portal.phrases import (
    appliance_name,
    frequency_name,
    method_name,
    phrases_for,
    portal_language,
)

PAST_VISITS_SHOWN = 10


@dataclass(frozen=True)
class PortalAppliance:
    id: int
    name: str
    model_number: str
    place: str
    age: str
    warranty: str


@dataclass(frozen=True)
class PortalVisit:
    id: int
    when: str
    what: str
    technician: str
    confirmed: bool
    done: str
    paid: Decimal | None


@dataclass(frozen=True)
class PortalPlan:
    name: str
    visits_per_year: int
    price_per_year: Decimal
    covers: str
    auto_renew: bool
    appliances: list[str]


@dataclass(frozen=True)
class PortalChannel:
    channel: str
    address: str
    messages: bool
    offers: bool


@dataclass(frozen=True)
class PortalPage:
    """Everything the page shows about one customer."""

    customer: Customer
    language: str
    words: dict[str, str]
    first_name: str
    places: list[str]
    appliances: list[PortalAppliance]
    upcoming: list[PortalVisit]
    past: list[PortalVisit]
    plans: list[PortalPlan]
    channels: list[PortalChannel]
    methods: list[tuple[str, str]]
    frequencies: list[tuple[str, str]]


def _age(install: dt.date | None, today: dt.date, words: dict[str, str]) -> str:
    if install is None:
        return words["age_unknown"]
    years = (today - install).days // 365
    if years < 1:
        return words["under_a_year"]
    return f"{years} {words['year'] if years == 1 else words['years']}"


def _full_date(day: dt.date, lang: str, *, weekday: bool = False) -> str:
    """`May 1, 2030` / `1 de mayo de 2030` (with `weekday`: `Wednesday, May 1, 2030`)."""
    said = spoken_date(day, lang, weekday=weekday)
    return f"{said}{' de ' if lang == 'es' else ', '}{day.year}"


def _warranty(ends: dt.date | None, today: dt.date, words: dict[str, str], lang: str) -> str:
    if ends is None:
        return words["warranty_unknown"]
    said = _full_date(ends, lang)
    return f"{words['warranty_until' if ends >= today else 'warranty_ended']} {said}"


def _name(appliance: Appliance | None, lang: str) -> str:
    if appliance is None:
        return ""
    kind = appliance_name(appliance.type, appliance.get_type_display(), lang)
    return f"{appliance.brand} · {kind}" if appliance.brand else kind


def _appliances(
    customer: Customer, first: str, lang: str, words: dict[str, str]
) -> list[PortalAppliance]:
    """`first` names the place of an appliance with no location: the customer's first one."""
    today = timezone.localdate()
    rows = Appliance.objects.filter(customer=customer).select_related("location").order_by("id")
    return [
        PortalAppliance(
            id=a.pk,
            name=_name(a, lang),
            model_number=a.model_number,
            place=a.location.label if a.location else first,
            age=_age(a.install_date, today, words),
            warranty=_warranty(a.warranty_expires_on, today, words, lang),
        )
        for a in rows
    ]


def _when(job: Job, zone: zoneinfo.ZoneInfo, lang: str, words: dict[str, str]) -> str:
    """A past visit's day with its year; a booked visit's day and arrival window."""
    if job.completed_at is not None and job.status == JobStatus.COMPLETED:
        return _full_date(job.completed_at.astimezone(zone).date(), lang, weekday=True)
    if job.scheduled_for is None:
        return ""
    local = job.scheduled_for.astimezone(zone)
    said = spoken_date(local.date(), lang, weekday=True)
    window = job.arrival_window.replace("-", "\N{EN DASH}")
    return f"{said}, {words['between']} {window}" if window else f"{said}, {clock_time(local)}"


def _visit(job: Job, zone: zoneinfo.ZoneInfo, lang: str, words: dict[str, str]) -> PortalVisit:
    return PortalVisit(
        id=job.pk, when=_when(job, zone, lang, words), what=_name(job.appliance, lang),
        technician=(job.technician.name.split() or [""])[0] if job.technician else "",
        confirmed=job.confirmed_at is not None, done=job.outcome,
        paid=getattr(job, "paid", None),
    )  # fmt: skip


def _visits(customer: Customer, lang: str, words: dict[str, str]) -> tuple[list[PortalVisit], ...]:
    zone = _zone(customer.timezone)
    jobs = Job.objects.filter(customer=customer).select_related("appliance", "technician")
    upcoming = jobs.filter(
        status__in=[JobStatus.SCHEDULED, JobStatus.IN_PROGRESS],
        scheduled_for__gte=timezone.now() - dt.timedelta(hours=12),
    ).order_by("scheduled_for", "id")
    past = (
        jobs.filter(status=JobStatus.COMPLETED)
        .annotate(paid=Sum("payments__amount"))
        .order_by("-completed_at", "-id")[:PAST_VISITS_SHOWN]
    )
    return (
        [_visit(j, zone, lang, words) for j in upcoming],
        [_visit(j, zone, lang, words) for j in past],
    )


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(str(timezone.get_current_timezone()))


def _plans(customer: Customer, lang: str) -> list[PortalPlan]:
    plans = MaintenancePlan.objects.filter(customer=customer, status=PlanStatus.ACTIVE)
    plans = plans.prefetch_related(Prefetch("appliances", Appliance.objects.order_by("id")))
    return [
        PortalPlan(
            name=p.name,
            visits_per_year=p.visits_per_year,
            price_per_year=p.price_per_year,
            covers=f"{_full_date(p.starts_on, lang)} \N{EN DASH} {_full_date(p.ends_on, lang)}",
            auto_renew=p.auto_renew,
            appliances=[_name(a, lang) for a in p.appliances.all()],
        )
        for p in plans
    ]


def _channels(customer: Customer) -> list[PortalChannel]:
    consents = {c.channel: c for c in ContactConsent.objects.filter(customer=customer)}
    shown = []
    for channel in MessageChannel.values:
        consent = consents.get(channel)
        out = consent is not None and consent.opted_out_at is not None
        offers = consent is not None and consent.marketing_opt_in and not out
        address = consent_address(customer, channel)
        shown.append(PortalChannel(channel, address, messages=not out, offers=offers))
    return shown


def _places(customer: Customer) -> tuple[list[str], str]:
    """The customer's active addresses, and the name of the first (where an appliance with no
    location is): their own address when they have no locations."""
    active = list(ServiceLocation.objects.filter(customer=customer, active=True).order_by("id"))
    if not active:
        return ([customer.address] if customer.address else []), customer.address
    return [f"{place.label}: {place.address}" for place in active], active[0].label


def portal_page(*, customer: Customer) -> PortalPage:
    """The customer's page: addresses, appliances, visits, plan and contact choices."""
    lang = portal_language(customer.language_preference)
    words = phrases_for(lang)
    upcoming, past = _visits(customer, lang, words)
    places, first = _places(customer)
    return PortalPage(
        customer=customer, language=lang, words=words,
        first_name=(customer.name.split() or [""])[0], places=places,
        appliances=_appliances(customer, first, lang, words), upcoming=upcoming, past=past,
        plans=_plans(customer, lang), channels=_channels(customer),
        methods=[(m.value, method_name(m.value, str(m.label), lang)) for m in ContactMethod],
        frequencies=[
            (f.value, frequency_name(f.value, str(f.label), lang)) for f in FrequencyPreference
        ],
    )  # fmt: skip
