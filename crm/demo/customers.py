"""Demo customers: who they are, how long they have been with us, how they like to be reached."""

from __future__ import annotations

import datetime as dt
import unicodedata

from faker import Faker

from crm.customers.models import (
    ContactConsent,
    ContactMethod,
    Customer,
    FrequencyPreference,
    MessageChannel,
)
from crm.demo.context import SeedContext
from crm.demo.plans import CustomerPlan

SPANISH_SHARE = 0.12
NO_EMAIL_SHARE = 0.05
UNHAPPY_SHARE = 0.15
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved: no real inbox
# The 555 exchange is not given to subscribers (555-1212 aside): demo messages reach no one.
AREA_CODES = ("305", "786", "954")
DIRECTORY_ASSISTANCE = 1212
# The service area: Miami-Dade, where the showcase customer lives too.
SERVICE_AREA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Miami", ("33125", "33130", "33133", "33135", "33145")), ("Coral Gables", ("33134", "33146")),
    ("Hialeah", ("33010", "33012", "33016")), ("Doral", ("33172", "33178")),
    ("Kendall", ("33176", "33183")), ("Miami Beach", ("33139", "33140", "33141")),
    ("Homestead", ("33030", "33033")), ("Miami Gardens", ("33055", "33056")),
    ("Aventura", ("33180",)), ("North Miami", ("33161", "33181")), ("Pinecrest", ("33156",)),
    ("Cutler Bay", ("33157", "33189")), ("Miami Lakes", ("33014",)),
    ("Key Biscayne", ("33149",)), ("South Miami", ("33143",)),
)  # fmt: skip

CHANNELS: list[tuple[str, float]] = [
    (ContactMethod.WHATSAPP, 30), (ContactMethod.EMAIL, 25), (ContactMethod.PHONE, 25),
    (ContactMethod.SMS, 20),
]  # fmt: skip
CHANNELS_ES: list[tuple[str, float]] = [
    (ContactMethod.WHATSAPP, 60), (ContactMethod.PHONE, 20), (ContactMethod.SMS, 15),
    (ContactMethod.EMAIL, 5),
]  # fmt: skip
FREQUENCIES: list[tuple[str, float]] = [
    (FrequencyPreference.MINIMAL, 25), (FrequencyPreference.MODERATE, 55),
    (FrequencyPreference.FREQUENT, 20),
]  # fmt: skip
MARKETING_OPT_IN = {
    FrequencyPreference.MINIMAL: 0.25, FrequencyPreference.MODERATE: 0.55,
    FrequencyPreference.FREQUENT: 0.85,
}  # fmt: skip

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# Contact-time habits: (days, start, end); an empty list means "any time".
CONTACT_HABITS: list[tuple[tuple[tuple[tuple[str, ...], str, str], ...], float]] = [
    ((), 25),
    (((WEEKDAYS, "09:00", "17:00"),), 30),
    (((WEEKDAYS, "18:00", "20:00"),), 15),
    (((("sat",), "10:00", "14:00"), (("sun",), "12:00", "16:00")), 10),
    ((((*WEEKDAYS, "sat"), "08:00", "12:00"),), 10),
    (((("tue", "thu"), "13:00", "18:00"),), 10),
]


def contact_times_pick(ctx: SeedContext) -> list[dict[str, str]]:
    """Windows as the API stores them: one {day, start, end} per day."""
    habit = ctx.weighted(CONTACT_HABITS)
    return [{"day": day, "start": start, "end": end} for days, start, end in habit for day in days]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in plain.lower() if char.isalnum())


def email_for(ctx: SeedContext, first: str, last: str) -> str:
    suffix = str(ctx.rng.randint(1, 99)) if ctx.chance(0.4) else ""
    return f"{_ascii(first)}.{_ascii(last)}{suffix}@{ctx.pick(EMAIL_DOMAINS)}"


def phone_for(ctx: SeedContext) -> str:
    line = ctx.rng.randint(0, 9999)
    return f"+1{ctx.pick(AREA_CODES)}555{line if line != DIRECTORY_ASSISTANCE else 1213:04d}"


def address_for(ctx: SeedContext, fake: Faker) -> str:
    city, postcodes = ctx.pick(SERVICE_AREA)
    return f"{fake.street_address()}, {city}, FL {ctx.pick(postcodes)}"


def tenure_days_pick(ctx: SeedContext) -> int:
    """1 to 15 years, more of the recent ones: the business has grown."""
    return int(365 * (1 + 14 * ctx.rng.random() ** 1.6))


def customer_plan_new(ctx: SeedContext) -> CustomerPlan:
    """A random customer of 1-15 years with their contact habits (unsaved)."""
    language = "es" if ctx.chance(SPANISH_SHARE) else "en"
    name_source = ctx.fake_es if language == "es" or ctx.chance(0.06) else ctx.fake_en
    first, last = name_source.first_name(), name_source.last_name()
    has_email = not ctx.chance(NO_EMAIL_SHARE)
    channels = CHANNELS_ES if language == "es" else CHANNELS
    channel = ctx.weighted([row for row in channels if has_email or row[0] != ContactMethod.EMAIL])
    tenure_days = tenure_days_pick(ctx)
    customer = Customer(
        name=f"{first} {last}",
        email=email_for(ctx, first, last) if has_email else "",
        phone=phone_for(ctx),
        address=address_for(ctx, ctx.fake_en),
        referral_code=ctx.referral_code(),
        preferred_contact_method=channel,
        preferred_contact_times=contact_times_pick(ctx),
        communication_frequency_preference=ctx.weighted(FREQUENCIES),
        language_preference=language,
        created_at=ctx.at(tenure_days, hour=ctx.rng.randint(8, 18), minute=ctx.rng.randint(0, 59)),
    )
    mood = ctx.rng.uniform(0.1, 0.49) if ctx.chance(UNHAPPY_SHARE) else ctx.rng.uniform(0.6, 1.0)
    return CustomerPlan(customer=customer, first_name=first, mood=mood, tenure_days=tenure_days)


def _opted_out_at(ctx: SeedContext, plan: CustomerPlan, channel: str) -> dt.datetime | None:
    """A few customers stopped one channel (never the one they prefer)."""
    if channel == plan.channel or not ctx.chance(0.04):
        return None
    return ctx.at(ctx.rng.randint(5, plan.tenure_days), hour=ctx.rng.randint(8, 20))


def _consent(ctx: SeedContext, plan: CustomerPlan, channel: str) -> ContactConsent:
    frequency = FrequencyPreference(plan.customer.communication_frequency_preference)
    opted_out_at = _opted_out_at(ctx, plan, channel)
    return ContactConsent(
        customer=plan.customer,
        channel=channel,
        marketing_opt_in=opted_out_at is None and ctx.chance(MARKETING_OPT_IN[frequency]),
        opted_out_at=opted_out_at,
    )


def consents_build(ctx: SeedContext, plan: CustomerPlan) -> list[ContactConsent]:
    """One consent row per written channel the customer can be reached on."""
    email = plan.customer.email
    channels = [ch for ch in MessageChannel.values if ch != MessageChannel.EMAIL or email]
    return [_consent(ctx, plan, channel) for channel in channels]
