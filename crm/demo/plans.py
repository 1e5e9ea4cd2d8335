"""What one demo customer's history will be, before any row is built.

Generic customers get random plans; the showcase customer gets a hand-written one. Builders
turn plans into unsaved model instances, which are bulk-inserted a chunk at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.customers.models import Customer


@dataclass(frozen=True)
class ApplianceSpec:
    """An appliance to create: `age_days` before today, with a warranty of so many years."""

    type: str
    age_days: int
    warranty_years: int
    brand: str | None = None


@dataclass(frozen=True)
class JobSpec:
    """A job `days_ago` (negative: in the future); `rating` None means no review was left."""

    days_ago: int
    status: str
    rating: int | None = None
    appliance_type: str | None = None


@dataclass(eq=False)
class CustomerPlan:
    """A customer row plus the traits that shape their history (compared by identity)."""

    customer: Customer
    first_name: str
    mood: float
    tenure_days: int
    appliances: list[ApplianceSpec] | None = None
    jobs: list[JobSpec] | None = None
    referrer: CustomerPlan | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.customer.language_preference

    @property
    def channel(self) -> str:
        return self.customer.preferred_contact_method

    @property
    def happy(self) -> bool:
        return self.mood >= 0.5
