"""API shapes of customers: the light list, the edits, and the whole customer for the page."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, StrictBool, field_validator

from crm.appliances.choices import ApplianceType
from crm.appliances.schemas import ApplianceOut
from crm.core.schemas import (
    CamelSchema,
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
    Customer,
    FrequencyPreference,
    MessageChannel,
)
from crm.customers.preferences import MAX_CONTACT_WINDOWS
from crm.customers.selectors import SEARCH_MAX_LENGTH, CustomerFilters
from crm.jobs.schemas import ExpenseOut, JobWithRecordsOut, PaymentOut
from crm.referrals.models import Referral, ReferralStatus
from crm.referrals.schemas import ReferralOut
from crm.technicians.schemas import TechnicianRatingOut, TechnicianSummaryOut

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


class ReferredCustomerOut(OutSchema):
    """A customer this customer referred, with the referral's status and reward."""

    id: int
    name: str
    referral_id: int
    status: ReferralStatus
    reward_given: bool
    reward_amount: MoneyOut | None
    referred_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Referral) -> int:
        return obj.referred_customer_id

    @staticmethod
    def resolve_name(obj: Referral) -> str:
        return obj.referred_customer.name

    @staticmethod
    def resolve_referral_id(obj: Referral) -> int:
        return obj.pk

    @staticmethod
    def resolve_referred_at(obj: Referral) -> dt.datetime:
        return obj.created_at


class CustomerDetailOut(CustomerOut):
    """Everything the Customer View shows: money, appliances, jobs, referrals, technicians.

    Read from a customer given by customer_detail (its `*_rows` lists).
    """

    referred_by: CustomerSummaryOut | None
    referral_received: ReferralOut | None = Field(
        description="The referral that brought this customer, with its status and reward."
    )
    referred_customers: list[ReferredCustomerOut]
    preferred_technician: TechnicianSummaryOut | None
    technician_ratings: list[TechnicianRatingOut]
    payments: list[PaymentOut]
    expenses: list[ExpenseOut]
    appliances: list[ApplianceOut]
    jobs: list[JobWithRecordsOut]

    @staticmethod
    def resolve_referral_received(obj: Customer) -> Referral | None:
        return getattr(obj, "referral_received", None)

    @staticmethod
    def resolve_referred_customers(obj: Customer) -> Any:
        return obj.referral_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_technician_ratings(obj: Customer) -> Any:
        return obj.rating_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_payments(obj: Customer) -> Any:
        return obj.payment_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_expenses(obj: Customer) -> Any:
        return obj.expense_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_appliances(obj: Customer) -> Any:
        return obj.appliance_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_jobs(obj: Customer) -> Any:
        return obj.job_rows  # type: ignore[attr-defined]

    @staticmethod
    def resolve_consents(obj: Customer) -> Any:
        return obj.consent_rows  # type: ignore[attr-defined]


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
