"""Customers, their communication preferences, consent per channel and referral code."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac

from crm.core.models import TimeStampedModel, choices_check, money_field, non_negative_check
from crm.core.money import plan_classification

# No 0/O/1/I: codes are read aloud on the phone.
REFERRAL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def referral_code_new() -> str:
    return "".join(secrets.choice(REFERRAL_ALPHABET) for _ in range(8))


class ContactMethod(models.TextChoices):
    WHATSAPP = "WhatsApp", "WhatsApp"
    EMAIL = "Email", "Email"
    PHONE = "Phone", "Phone"
    SMS = "SMS", "SMS"


class FrequencyPreference(models.TextChoices):
    MINIMAL = "Minimal", "Minimal"
    MODERATE = "Moderate", "Moderate"
    FREQUENT = "Frequent", "Frequent"


class MessageChannel(models.TextChoices):
    """Channels that carry written messages, each with its own consent."""

    WHATSAPP = "WhatsApp", "WhatsApp"
    EMAIL = "Email", "Email"
    SMS = "SMS", "SMS"


class Customer(TimeStampedModel):
    """A customer; `preferred_contact_times` lists {day, start, end} in their own time zone."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True)
    referral_code = models.CharField(max_length=16, unique=True, default=referral_code_new)
    referred_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="referred_customers"
    )
    preferred_technician = models.ForeignKey(
        "technicians.Technician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preferred_by",
    )
    preferred_contact_method = models.CharField(
        max_length=16, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    preferred_contact_times = models.JSONField(default=list, blank=True)
    communication_frequency_preference = models.CharField(
        max_length=16, choices=FrequencyPreference.choices, default=FrequencyPreference.MODERATE
    )
    language_preference = models.CharField(
        max_length=35, default="en", help_text="BCP 47 code, e.g. en, es-MX"
    )
    timezone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    # Summary numbers the customer list filters and sorts on, kept by the services that change
    # their sources and rebuilt by `manage.py customer_summaries_rebuild` (docs/adr/0006).
    revenue_total = money_field(default=0)
    expenses_total = money_field(default=0)
    net_profit = money_field(default=0)
    # net_profit / revenue_total rounded down to 6 places (NULL without revenue): one column
    # with statistics, so the planner sees how selective a profitability class is.
    profit_margin = models.DecimalField(max_digits=12, decimal_places=6, null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    next_service_due = models.DateField(null=True, blank=True)
    # Set when the customer's personal data was erased (customer_anonymise): the record stays
    # for its money and counts, and nothing more is written to it.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
            # The customer list's sort orders (each with id, its tie-breaker).
            models.Index(fields=["name", "id"], name="customer_name_idx"),
            models.Index(fields=["created_at", "id"], name="customer_since_idx"),
            models.Index(fields=["net_profit", "id"], name="customer_net_profit_idx"),
            models.Index(fields=["profit_margin"], name="customer_profit_margin_idx"),
            # customer_last_contact_idx is made by migration 0004: its NULLS FIRST order
            # (never contacted is longest ago) has no SQLite spelling.
            models.Index(fields=["next_service_due"], name="customer_service_due_idx"),
        ]
        constraints = [
            non_negative_check("revenue_total", "customer_revenue_total_non_negative"),
            non_negative_check("expenses_total", "customer_expenses_total_non_negative"),
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("id")),
                name="customer_not_referred_by_self",
            ),
            choices_check(
                "preferred_contact_method", ContactMethod.choices, "customer_contact_method_valid"
            ),
            choices_check(
                "communication_frequency_preference",
                FrequencyPreference.choices,
                "customer_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def profitability_class(self) -> str:
        """The plan's class from the stored revenue and net profit."""
        return plan_classification(revenue=self.revenue_total, net_profit=self.net_profit)


class ServiceLocation(TimeStampedModel):
    """An address where a customer has appliances serviced (a home, a rental, a second home).

    A customer's own address is their first location; landlords and families add more. Visits
    at a location are reminded in its time zone.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="locations")
    label = models.CharField(max_length=100)
    address = models.TextField()
    access_notes = models.TextField(blank=True)
    timezone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["customer", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(label=""), name="location_label_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(address=""), name="location_address_not_empty"
            ),
            models.UniqueConstraint(
                fields=["customer", "label"], name="location_label_unique_per_customer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.address.splitlines()[0] if self.address else ''}"


class ContactConsent(models.Model):
    """Consent for one channel: marketing opt-in, and when the customer opted out (if ever)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(max_length=16, choices=MessageChannel.choices)
    marketing_opt_in = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel"]
        constraints = [
            models.UniqueConstraint(fields=["customer", "channel"], name="one_consent_per_channel"),
            choices_check("channel", MessageChannel.choices, "consent_channel_valid"),
        ]

    def __str__(self) -> str:
        state = (
            "opted out"
            if self.opted_out_at
            else ("marketing ok" if self.marketing_opt_in else "service only")
        )
        return f"{self.customer} {self.channel}: {state}"


ADDRESS_HASH_SALT = "crm.customers.erased-address"


def address_hash(address: str, *, secret: str | bytes | None = None) -> str:
    """A keyed hash of a normalised phone number or email (HMAC-SHA256 with SECRET_KEY): it
    recognises the address again without keeping it (docs/adr: anonymising customers)."""
    return salted_hmac(ADDRESS_HASH_SALT, address, secret=secret, algorithm="sha256").hexdigest()


class ErasedAddressConsent(models.Model):
    """What an anonymised customer had said about one channel, kept under a hash of the address
    so that a later record with the same address is still opted out (consent evidence)."""

    channel = models.CharField(max_length=16, choices=MessageChannel.choices)
    address_hash = models.CharField(max_length=64)
    marketing_opt_in = models.BooleanField(default=False)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"], name="one_erased_consent_per_address"
            ),
            choices_check("channel", MessageChannel.choices, "erased_consent_channel_valid"),
        ]

    def __str__(self) -> str:
        state = "opted out" if self.opted_out_at else "not opted out"
        return f"{self.channel} {self.address_hash[:12]}…: {state}"


def consent_address(customer: Customer, channel: str) -> str:
    """The address a channel's consent follows: the lower-cased email for Email, the E.164
    phone for SMS and WhatsApp ('' when the customer has none)."""
    if channel == MessageChannel.EMAIL:
        return customer.email.strip().lower()
    return customer.phone


class SuppressionSource(models.TextChoices):
    KEYWORD = "Keyword", "The customer wrote a stop word"
    UNSUBSCRIBE_LINK = "Link", "The customer used the unsubscribe link"
    PROVIDER = "Provider", "The provider refused the address"
    PORTAL = "Portal", "The customer opted out on their portal page"


class AddressSuppression(models.Model):
    """An address (channel + E.164 phone or lower-cased email) that asked to hear nothing more.

    While a row is active (`lifted_at` empty) every customer record with the address is opted
    out of the channel, including records created later, and the send-time check refuses it.
    Only the address itself lifts it (START, the same unsubscribe link, or the office with the
    customer's recorded request); a lifted row stays as evidence, and a new opt-out makes a new
    row. At most one active row per address (a partial unique constraint).
    """

    channel = models.CharField(max_length=16, choices=MessageChannel.choices)
    address = models.CharField(max_length=254)
    source = models.CharField(max_length=16, choices=SuppressionSource.choices)
    detail = models.TextField(blank=True)
    opted_out_at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opted_out_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"],
                condition=models.Q(lifted_at__isnull=True),
                name="one_active_suppression_per_address",
            ),
            choices_check("channel", MessageChannel.choices, "suppression_channel_valid"),
            choices_check("source", SuppressionSource.choices, "suppression_source_valid"),
            models.CheckConstraint(
                condition=~models.Q(address=""), name="suppression_address_not_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True) | ~models.Q(lifted_reason=""),
                name="suppression_lift_has_reason",
            ),
        ]

    def __str__(self) -> str:
        state = f"lifted {self.lifted_at:%Y-%m-%d}" if self.lifted_at else "active"
        return f"{self.channel} {self.address}: suppressed {self.opted_out_at:%Y-%m-%d} ({state})"
