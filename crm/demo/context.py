"""The seeded state every demo builder shares: one RNG, seeded Fakers, a fixed "now".

Dates: every date and time is an offset from `now`, which is midnight at the start of the
company's today (settings.TIME_ZONE), or of the `today` the caller passes. So the same seed,
customer count and day give identical rows; pass `today` to reproduce a run on another day.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.conf import settings
from faker import Faker

from crm.customers.models import REFERRAL_ALPHABET
from crm.technicians.models import Technician

T = TypeVar("T")
CENT = Decimal("0.01")
QUARTER_HOUR = Decimal("0.25")


@dataclass
class SeedContext:
    """One seeded run: the RNG, the Fakers, the anchor time and the technicians to assign."""

    rng: random.Random
    fake_en: Faker
    fake_es: Faker
    now: dt.datetime
    technicians: list[Technician] = field(default_factory=list)
    used_codes: set[str] = field(default_factory=set)

    @property
    def today(self) -> dt.date:
        return self.now.date()

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def pick(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def weighted(self, table: Sequence[tuple[T, float]]) -> T:
        values = [value for value, _weight in table]
        return self.rng.choices(values, weights=[weight for _value, weight in table])[0]

    def at(self, days_ago: float, *, hour: int = 9, minute: int = 0) -> dt.datetime:
        """A wall-clock time `days_ago` whole days before today (negative: in the future)."""
        day = self.today - dt.timedelta(days=int(days_ago))
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.now.tzinfo)

    def past(self, moment: dt.datetime) -> dt.datetime:
        """`moment`, or just before the anchor when it would fall in the future."""
        return min(moment, self.now - dt.timedelta(minutes=1))

    def money(self, low: float, high: float) -> Decimal:
        return Decimal(str(self.rng.uniform(low, high))).quantize(CENT, rounding=ROUND_HALF_UP)

    def hours(self, low: float, high: float) -> Decimal:
        """Labor hours rounded to the quarter hour, as technicians log them."""
        quarters = round(self.rng.uniform(low, high) * 4)
        return max(Decimal(quarters) * QUARTER_HOUR, QUARTER_HOUR)

    def referral_code(self) -> str:
        """A new 8-character code from the seeded RNG, unique in this run and the database."""
        while True:
            code = "".join(self.rng.choices(REFERRAL_ALPHABET, k=8))
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code


def anchor_of(today: dt.date) -> dt.datetime:
    """Midnight at the start of `today` in the company time zone."""
    return dt.datetime.combine(today, dt.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def context_new(*, seed: int, today: dt.date) -> SeedContext:
    """A context whose every random choice follows from `seed` (never the global random)."""
    fake_en, fake_es = Faker("en_US"), Faker("es_MX")
    fake_en.seed_instance(seed)
    fake_es.seed_instance(seed + 1)
    return SeedContext(
        rng=random.Random(seed), fake_en=fake_en, fake_es=fake_es, now=anchor_of(today)
    )
