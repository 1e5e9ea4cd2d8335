"""API shapes of customers: the light list and the edits. (The whole customer for the page,
CustomerDetailOut, is crm/office/schemas.py: it composes six apps.)"""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictBool

from crm.core.schemas import (
    CamelSchema,
    ErrorOut,
    Id,
    InSchema,
    OutSchema,
    PageNumber,
    optional,
)
from crm.customers.models import (
    ContactConsent,
    ContactMethod,
    FrequencyPreference,
    MessageChannel,
)
from crm.customers.preferences import MAX_CONTACT_WINDOWS
from crm.customers.selectors import SEARCH_MAX_LENGTH

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
    """A customer in the light list."""

    id: int
    name: str
    email: str
    phone: str
    referral_code: str
    preferred_contact_method: ContactMethod
    created_at: dt.datetime


class CustomerPageOut(OutSchema):
    """One page of customers by name: `total` matches, `pageSize` a page."""

    total: int
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


class PreferredTechnicianIn(InSchema):
    """An active technician's id, or null to clear the preference."""

    technician_id: Id | None


class CustomerListQuery(CamelSchema):
    search: str = Field(default="", max_length=SEARCH_MAX_LENGTH)
    page: PageNumber = 1
