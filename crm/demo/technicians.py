"""The demo crew: eight technicians with their specialties, and who gets which job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crm.core.choices import ApplianceType as T
from crm.demo.context import SeedContext
from crm.technicians.models import Technician

# An inactive technician left this many days ago: no jobs after that.
LEFT_DAYS_AGO = 240
PREFERRED_SHARE = 0.75

# name, specialties, years of experience, hourly cost, daily capacity, active, years with us
ROSTER: tuple[tuple[str, list[str], int, str, int, bool, int], ...] = (
    ("Carlos Ramirez", [T.REFRIGERATOR, T.FREEZER, T.AIR_CONDITIONER], 16, "46.00", 6, True, 15),
    ("Dana Whitfield", [T.WASHING_MACHINE, T.DRYER, T.DISHWASHER], 12, "40.00", 7, True, 15),
    ("Priya Natarajan", [T.DISHWASHER, T.OVEN_RANGE, T.MICROWAVE], 7, "35.00", 7, True, 6),
    ("Marcus Bell", [T.AIR_CONDITIONER, T.WATER_HEATER], 18, "52.00", 5, True, 15),
    ("Luis Ortega", [T.WASHING_MACHINE, T.DRYER, T.REFRIGERATOR], 5, "31.00", 8, True, 4),
    ("Hannah Kowalski", [T.REFRIGERATOR, T.FREEZER, T.MICROWAVE, T.DISHWASHER], 10, "42.00", 6,
     True, 9),
    ("Terrence Boyd", [T.OVEN_RANGE, T.WATER_HEATER, T.OTHER, T.MICROWAVE], 22, "55.00", 4, True,
     15),
    ("Jake Morrison", [T.REFRIGERATOR, T.WASHING_MACHINE, T.DRYER], 3, "27.00", 6, False, 3),
)  # fmt: skip


def technicians_build(ctx: SeedContext) -> list[Technician]:
    """The crew as unsaved rows; one has left the company (inactive)."""
    crew = []
    for number, (name, specialties, years, cost, capacity, active, tenure) in enumerate(ROSTER):
        first, last = name.lower().split()
        crew.append(
            Technician(
                name=name,
                phone=f"+1212555{100 + number:04d}",
                email=f"{first}.{last}@crew.example.com",
                specialties=[str(kind) for kind in specialties],
                years_experience=years,
                active=active,
                daily_capacity=capacity,
                hourly_cost=Decimal(cost),
                created_at=ctx.at(tenure * 365 + 30, hour=8),
            )
        )
    return crew


def technician_available(ctx: SeedContext, technician: Technician, when: dt.datetime) -> bool:
    """True when the technician worked here at `when` (hired, and not yet left)."""
    if technician.created_at > when:
        return False
    return technician.active or when < ctx.now - dt.timedelta(days=LEFT_DAYS_AGO)


def technician_for(
    ctx: SeedContext, appliance_type: str, when: dt.datetime, preferred: Technician | None
) -> Technician | None:
    """The preferred technician when they fit, else a specialist who worked here then."""
    working = [tech for tech in ctx.technicians if technician_available(ctx, tech, when)]
    specialists = [tech for tech in working if appliance_type in tech.specialties]
    if preferred is not None and preferred in specialists and ctx.chance(PREFERRED_SHARE):
        return preferred
    candidates = specialists or working or ctx.technicians
    return ctx.pick(candidates) if candidates else None
