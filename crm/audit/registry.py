"""What is audited: the models and fields the issue names, in one place.

Models are named by label, so this app imports no domain app (they import it, to record the
changes they make with QuerySet.update() or bulk_update(), which send no signals).
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

# label -> fields whose every change is recorded (creation and deletion record them all).
AUDITED_FIELDS: dict[str, tuple[str, ...]] = {
    "customers.Customer": (
        # contact details
        "name", "phone", "email", "address",
        "preferred_technician",
        # communication preferences
        "preferred_contact_method", "preferred_contact_times",
        "communication_frequency_preference", "language_preference", "timezone",
    ),
    "customers.ContactConsent": ("customer", "channel", "marketing_opt_in", "opted_out_at"),
    "jobs.Payment": ("customer", "job", "amount", "date", "payment_method", "reference"),
    "jobs.Expense": ("customer", "job", "amount", "date", "category", "description"),
    "jobs.Job": ("status",),
    # maintenance plans: their price, visits, dates and status are money like payments
    "plans.MaintenancePlan": (
        "customer", "name", "visits_per_year", "price_per_year", "starts_on", "ends_on",
        "auto_renew", "status", "cancelled_at",
    ),
    # the company's settings (the Settings page): who changed the name, hours, review link
    "core.CompanySettings": (
        "name", "address", "country", "subdivision", "working_hours", "quiet_hours_start",
        "quiet_hours_end", "arrival_windows", "currency_symbol", "review_link",
        "greeting_lead_days", "followup_delay_days", "checklist_hidden",
    ),
    # Done, Dismiss, Snooze and their Undo (a message's own events record its status changes).
    "engagement.Reminder": ("status", "snoozed_until"),
}  # fmt: skip

CUSTOMER_LABEL = "customers.Customer"


def audited_models_register() -> None:
    """Connect django-auditlog to each audited model, limited to its audited fields."""
    from auditlog.registry import auditlog

    for label, fields in AUDITED_FIELDS.items():
        auditlog.register(apps.get_model(label), include_fields=list(fields))


def audited_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The audited fields of `model` (empty when it is not audited)."""
    return AUDITED_FIELDS.get(model._meta.label, ())


def customer_id_of(instance: models.Model) -> int | None:
    """The customer a change concerns: the customer itself, or the row's customer."""
    if instance._meta.label == CUSTOMER_LABEL:
        return instance.pk  # type: ignore[no-any-return]
    customer_id = getattr(instance, "customer_id", None)
    return customer_id if isinstance(customer_id, int) else None
