"""API shapes of customers: the light list and the edits. (The whole customer for the page,
CustomerDetailOut, is crm/office/schemas.py: it composes six apps.)"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, StrictBool, field_validator

from crm.core.choices import ApplianceType
from crm.core.schemas import (
    CamelSchema,
    DateTimeIn,
    ErrorOut,
    Id,
    InSchema,
    MoneyOut,
    OutSchema,
    PageNumber,
    QueryId,
    optional,
    storable_text,
)
from crm.customers.models import (
    ContactConsent,
    ContactMethod,
    FrequencyPreference,
    MessageChannel,
)
from crm.customers.preferences import MAX_CONTACT_WINDOWS
from crm.customers.selectors import SEARCH_MAX_LENGTH, CustomerFilters

CLOCK = r"^\d{2}:\d{2}$"


class ContactWindowOut(OutSchema):
    """A time window in the customer's own time zone when they like to be contacted."""

    day: str
    start: str
    end: str


class ContactWindowIn(InSchema):
    day: str = Field(max_length=16, description="mon, tue, wed, thu, fri, sat or sun")
    start: str = Field(pattern=CLOCK, description="HH:MM")
    end: str = Field(pattern=CLOCK, description="HH:MM")


class ConsentOut(OutSchema):
    """Consent for one channel: marketing opt-in, and whether (and when) they opted out."""

    channel: MessageChannel
    marketing_opt_in: bool
    opted_out: bool
    opted_out_at: dt.datetime | None
    updated_at: dt.datetime

    @staticmethod
    def resolve_opted_out(obj: ContactConsent) -> bool:
        return obj.opted_out_at is not None


class ConsentIn(InSchema):
    """A change to one channel's consent; a part left out stays as it is."""

    channel: MessageChannel
    marketing_opt_in: StrictBool | None = None
    opted_out: StrictBool | None = None


class CustomerSummaryOut(OutSchema):
    id: int
    name: str


class CustomerListItemOut(OutSchema):
    """A customer in the list, with the summary numbers it filters and sorts on."""

    id: int
    name: str
    email: str
    phone: str
    referral_code: str
    preferred_contact_method: ContactMethod
    created_at: dt.datetime
    revenue_total: MoneyOut
    expenses_total: MoneyOut
    net_profit: MoneyOut
    profitability_class: ProfitabilityClass
    last_contact_at: dt.datetime | None
    next_service_due: dt.date | None


class CustomerPageOut(OutSchema):
    """One page of customers: `total` matches (counted up to 1,000: `totalIsExact` false
    means more), `pageSize` a page."""

    total: int
    total_is_exact: bool
    page: int
    page_size: int
    page_count: int
    items: list[CustomerListItemOut]


class CustomerOut(OutSchema):
    """A customer with their communication preferences and consents."""

    id: int
    name: str
    email: str
    phone: str
    address: str
    referral_code: str
    referred_by_id: int | None
    preferred_technician_id: int | None
    preferred_contact_method: ContactMethod
    preferred_contact_times: list[ContactWindowOut]
    communication_frequency_preference: FrequencyPreference
    language_preference: str
    timezone: str
    consents: list[ConsentOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerCreateIn(InSchema):
    """A new customer; referredById records the referral too."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    address: str = Field(default="", max_length=1000)
    preferred_contact_method: ContactMethod = optional()
    preferred_contact_times: list[ContactWindowIn] = optional(max_length=MAX_CONTACT_WINDOWS)
    communication_frequency_preference: FrequencyPreference = optional()
    language_preference: str = optional(max_length=35)
    timezone: str = optional(max_length=64)
    consents: list[ConsentIn] = Field(default=[], max_length=len(MessageChannel.values))
    referred_by_id: Id | None = None
    allow_duplicate: StrictBool = Field(
        default=False,
        description="Create it even if another customer has this phone or email (a household).",
    )


class DuplicateOut(ErrorOut):
    """409 of add-customer: another customer already has this phone number or email."""

    # Absent from a 409 of the database's own guard (two requests racing).
    duplicate_of: CustomerSummaryOut | None = Field(default=None, alias="duplicateOf")


class MergeIn(InSchema):
    """The customer who stays; the one in the path moves into it and is deleted."""

    into_id: Id


class MergeOut(OutSchema):
    """What a merge moved into the kept customer and removed, counted per kind of row."""

    kept_id: int
    merged_id: int
    moved: dict[str, int]
    removed: dict[str, int]


class CustomerUpdateIn(InSchema):
    """Only the fields sent change: contact details, communication preferences, consents."""

    name: str = optional(min_length=1, max_length=200)
    email: str = optional(max_length=254)
    phone: str = optional(max_length=32)
    address: str = optional(max_length=1000)
    preferred_contact_method: ContactMethod = optional()
    preferred_contact_times: list[ContactWindowIn] = optional(max_length=MAX_CONTACT_WINDOWS)
    communication_frequency_preference: FrequencyPreference = optional()
    language_preference: str = optional(max_length=35)
    timezone: str = optional(max_length=64)
    consents: list[ConsentIn] = Field(default=[], max_length=len(MessageChannel.values))
    consents_read_at: DateTimeIn | None = Field(
        default=None,
        description="When the client read the consents it sends; refused (409) if an opt-out "
        "arrived since. Opting an opted-out channel back in is refused (409) here: use "
        "POST /api/customer/{id}/consent/clear with the customer's request.",
    )


class PreferredTechnicianIn(InSchema):
    """An active technician's id, or null to clear the preference."""

    technician_id: Id | None


ProfitabilityClass = Literal[
    "Highly Profitable", "Moderately Profitable", "Break-Even", "Loss-Making"
]
CustomerSort = Literal[
    "name", "-name", "lastContact", "-lastContact", "netProfit", "-netProfit",
    "customerSince", "-customerSince",
]  # fmt: skip
MAX_NO_CONTACT_DAYS = 36_500


class CustomerListQuery(CamelSchema):
    """The customer list's filters, combinable; `sort` with "-" in front goes the other way."""

    search: str = Field(
        default="", max_length=SEARCH_MAX_LENGTH,
        description="Name, email or address fragment, referral code, or phone in any format",
    )  # fmt: skip
    page: PageNumber = 1
    profitability: ProfitabilityClass | None = None
    maintenance_overdue: bool = Field(
        default=False, description="Only customers with an appliance past its service interval"
    )
    appliance_type: ApplianceType | None = None
    technician_id: QueryId | None = Field(default=None, description="Preferred technician")
    no_contact_days: int | None = Field(
        default=None, ge=0, le=MAX_NO_CONTACT_DAYS,
        description="Last contact older than this many days, or never contacted",
    )  # fmt: skip
    marketing_channel: MessageChannel | None = Field(
        default=None, description="Opted in for marketing on this channel (and not opted out)"
    )
    open_reminder: bool = Field(default=False, description="Has a reminder not done or dismissed")
    sort: CustomerSort = "name"

    @field_validator("search", mode="before")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        """The page reads the URL itself, past the API's parser that refuses NUL."""
        return storable_text(value)

    def filters(self) -> CustomerFilters:
        """The selector's filters."""
        return CustomerFilters(
            search=self.search, profitability=self.profitability or "",
            maintenance_overdue=self.maintenance_overdue,
            appliance_type=self.appliance_type or "", technician_id=self.technician_id,
            no_contact_days=self.no_contact_days,
            marketing_channel=self.marketing_channel or "", open_reminder=self.open_reminder,
            sort=self.sort,
        )  # fmt: skip


ADDRESS_MAX_LENGTH = 1000
ACCESS_NOTES_MAX_LENGTH = 2000


class LocationOut(OutSchema):
    """A service location: where some of the customer's appliances stand and visits go."""

    id: int
    customer_id: int
    label: str
    address: str
    access_notes: str
    time_zone: str = Field(description="IANA name; visits here are reminded in this zone.")
    active: bool
    appliance_count: int = Field(description="Appliances standing here.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_time_zone(obj: Any) -> str:
        return str(obj.timezone)

    @staticmethod
    def resolve_appliance_count(obj: Any) -> int:
        count = getattr(obj, "appliance_count", None)  # annotated by location_list
        return int(count) if count is not None else int(obj.appliances.count())


class LocationIn(InSchema):
    """A new location; timeZone defaults to the customer's."""

    customer_id: Id
    label: str = Field(max_length=100)
    address: str = Field(max_length=ADDRESS_MAX_LENGTH)
    access_notes: str = Field(default="", max_length=ACCESS_NOTES_MAX_LENGTH)
    time_zone: str = optional(max_length=64)


class LocationUpdateIn(InSchema):
    """Only the fields sent change; active false takes it out of use (409 while appliances
    stand there or open jobs are booked there)."""

    label: str = optional(max_length=100)
    address: str = optional(max_length=ADDRESS_MAX_LENGTH)
    access_notes: str = optional(max_length=ACCESS_NOTES_MAX_LENGTH)
    time_zone: str = optional(max_length=64)
    active: StrictBool = optional()
