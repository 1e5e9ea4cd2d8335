"""Reads of appliances and the lifespan table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from crm.appliances.models import Appliance, ApplianceLifespan
from crm.core.dates import company_today, years_between
from crm.core.errors import NotFound
from crm.customers.models import ServiceLocation

# Where maintenance.py moves an appliance's risk from Low to Medium (share of life used).
AGEING_RATIO = Decimal("0.6")


def appliance_list(*, customer_id: int) -> QuerySet[Appliance]:
    return Appliance.objects.filter(customer_id=customer_id).order_by("type", "brand", "id")


def appliance_get(*, appliance_id: int) -> Appliance:
    appliance = Appliance.objects.select_related("customer").filter(pk=appliance_id).first()
    if appliance is None:
        raise NotFound("Appliance not found.")
    return appliance


def lifespan_table() -> dict[str, ApplianceLifespan]:
    """The lifespan/interval table keyed by appliance type (one query; ten rows)."""
    return {row.appliance_type: row for row in ApplianceLifespan.objects.all()}


def appliance_of_customer(*, customer_id: int, appliance_id: int) -> Appliance:
    """The customer's appliance, or NotFound (also when it is another customer's)."""
    appliance = (
        Appliance.objects.select_related("customer")
        .filter(customer_id=customer_id, pk=appliance_id)
        .first()
    )
    if appliance is None:
        raise NotFound("Appliance not found.")
    return appliance


def age_start(appliance: Appliance) -> tuple[dt.date | None, bool]:
    """The day the appliance's age counts from: its install date, else the date of manufacture
    confirmed from its serial number (True: "age from serial"); None when neither is known."""
    if appliance.install_date is not None:
        return appliance.install_date, False
    return appliance.manufactured_on, appliance.manufactured_on is not None


@dataclass(frozen=True)
class ApplianceCard:
    """An appliance with its age against the expected lifespan of its type, on one day."""

    appliance: Appliance
    age_years: Decimal | None
    expected_lifespan_years: Decimal | None
    warranty_active: bool | None
    age_from_serial: bool = False
    life_used_percent: int | None = field(init=False)

    def __post_init__(self) -> None:
        age, expected = self.age_years, self.expected_lifespan_years
        percent = int(age * 100 / expected) if age is not None and expected else None
        object.__setattr__(self, "life_used_percent", percent)

    @property
    def bar_percent(self) -> int:
        """The bar's fill: the share of life used, full once the lifespan is reached."""
        return min(self.life_used_percent or 0, 100)

    @property
    def life_stage(self) -> str:
        """ "unknown", "good", "ageing" (past AGEING_RATIO of its life) or "past" (beyond it)."""
        percent = self.life_used_percent
        if percent is None:
            return "unknown"
        if percent >= 100:
            return "past"
        return "ageing" if percent >= AGEING_RATIO * 100 else "good"


@dataclass(frozen=True)
class ApplianceCards:
    """The first appliances of a customer as cards, and how many they have in all."""

    items: list[ApplianceCard]
    total: int


def appliance_cards(
    *, customer_id: int, limit: int | None = None, today: dt.date | None = None
) -> ApplianceCards:
    """The customer's appliances (the first `limit`) with age against lifespan (two queries)."""
    day = today or company_today()
    table = lifespan_table()
    appliances = list(appliance_list(customer_id=customer_id))
    cards = []
    for appliance in appliances[:limit]:
        lifespan = table.get(appliance.type)
        start, from_serial = age_start(appliance)
        warranty = appliance.warranty_expires_on
        cards.append(
            ApplianceCard(
                appliance=appliance,
                age_years=years_between(start, day) if start else None,
                expected_lifespan_years=lifespan.expected_lifespan_years if lifespan else None,
                warranty_active=warranty >= day if warranty else None,
                age_from_serial=from_serial,
            )
        )
    return ApplianceCards(items=cards, total=len(appliances))


@dataclass(frozen=True)
class ApplianceGroup:
    """The appliances standing at one location, for the card's location headings."""

    location: ServiceLocation
    items: list[ApplianceCard]


def appliance_groups(
    cards: list[ApplianceCard], locations: list[ServiceLocation]
) -> list[ApplianceGroup]:
    """The cards under their locations (those in use, first first), or [] for one location:
    no headings then. An appliance with no location stands at the first (the customer's own
    address); the locations' order is kept and a location with no appliance shown is left out."""
    if len(locations) < 2:
        return []
    first = locations[0]
    placed: dict[int, list[ApplianceCard]] = {location.pk: [] for location in locations}
    for card in cards:
        placed.get(card.appliance.location_id or first.pk, placed[first.pk]).append(card)
    return [ApplianceGroup(loc, placed[loc.pk]) for loc in locations if placed[loc.pk]]
