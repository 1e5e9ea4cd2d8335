"""Writes for appliances."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from crm.appliances.lifespans import LIFESPANS
from crm.appliances.maintenance import last_job_days, lifespan_for, service_due
from crm.appliances.models import Appliance, ApplianceLifespan
from crm.appliances.selectors import lifespan_table
from crm.core.bulk import rows_set
from crm.core.dates import company_today
from crm.core.errors import NotFound, ValidationFailed
from crm.core.validation import model_validate
from crm.customers.models import Customer, ServiceLocation
from crm.customers.selectors import location_check
from crm.jobs.models import Job

APPLIANCE_FIELDS = {
    "type", "brand", "model_number", "serial_number", "install_date", "warranty_expires_on",
    "last_service_date", "job_id", "location_id",
    "manufactured_on", "manufactured_on_rule",
}  # fmt: skip


def _check(appliance: Appliance, *, location_was: int | None = None) -> None:
    """Refuse what breaks a rule; a location is checked when it is new to the appliance (one
    taken out of use keeps the appliances it had, so an unchanged one is not re-checked)."""
    if not appliance.brand.strip():
        raise ValidationFailed("Brand is required.", field="brand")
    if (
        appliance.job_id is not None
        and not Job.objects.filter(pk=appliance.job_id, customer_id=appliance.customer_id).exists()
    ):
        raise ValidationFailed("No job with that id for this customer.", field="jobId")
    if appliance.location_id is not None and appliance.location_id != location_was:
        location_check(customer_id=appliance.customer_id, location_id=appliance.location_id)
    if (
        appliance.install_date
        and appliance.last_service_date
        and appliance.last_service_date < appliance.install_date
    ):
        raise ValidationFailed(
            "Last service cannot be before the install date.", field="lastServiceDate"
        )
    _check_manufactured_on(appliance)
    model_validate(appliance, exclude=["customer", "job"])


def _check_manufactured_on(appliance: Appliance) -> None:
    made = appliance.manufactured_on
    if made is None:
        return
    if made > company_today():
        raise ValidationFailed("The date of manufacture cannot be in the future.",
                               field="manufacturedOn")  # fmt: skip
    if appliance.install_date and appliance.install_date < made:
        raise ValidationFailed("It cannot be installed before it was made.",
                               field="manufacturedOn")  # fmt: skip


@transaction.atomic
def appliance_create(*, customer_id: int, fields: dict[str, Any]) -> Appliance:
    """Record an appliance a customer owns."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise ValidationFailed("No customer with that id.", field="customerId")
    appliance = Appliance(
        customer_id=customer_id, **{k: v for k, v in fields.items() if k in APPLIANCE_FIELDS}
    )
    _check(appliance)
    appliance.save()
    customer_service_due_refresh(customer_ids=[customer_id])
    return appliance


@transaction.atomic
def appliance_update(*, appliance_id: int, fields: dict[str, Any]) -> Appliance:
    """Change an appliance's details; only the given fields change."""
    appliance = Appliance.objects.select_for_update().filter(pk=appliance_id).first()
    if appliance is None:
        raise NotFound("Appliance not found.")
    location_was = appliance.location_id
    for name, value in fields.items():
        if name in APPLIANCE_FIELDS:
            setattr(appliance, name, value)
    _check(appliance, location_was=location_was)
    appliance.save()
    customer_service_due_refresh(customer_ids=[appliance.customer_id])
    return appliance


@transaction.atomic
def appliance_delete(*, appliance_id: int) -> None:
    """Remove an appliance record; its jobs stay, no longer linked to it."""
    owner = Appliance.objects.filter(pk=appliance_id).values_list("customer_id", flat=True)
    customer_ids = list(owner)
    deleted, _ = Appliance.objects.filter(pk=appliance_id).delete()
    if not deleted:
        raise NotFound("Appliance not found.")
    customer_service_due_refresh(customer_ids=customer_ids)


# What Undo of a removal needs to put the appliance back (crm/engagement/services/undo.py).
SNAPSHOT_FIELDS = (
    "type", "brand", "model_number", "serial_number", "install_date", "warranty_expires_on",
    "last_service_date", "job_id", "location_id",
    "manufactured_on", "manufactured_on_rule",
)  # fmt: skip
DATE_FIELDS = ("install_date", "warranty_expires_on", "last_service_date", "manufactured_on")


def appliance_snapshot(appliance: Appliance) -> dict[str, Any]:
    """The appliance's own fields as plain JSON values, and the jobs linked to it."""
    values = {name: getattr(appliance, name) for name in SNAPSHOT_FIELDS}
    for name in DATE_FIELDS:
        values[name] = values[name].isoformat() if values[name] else None
    values["photo"] = appliance.photo.name  # the file stays in storage until Undo runs out
    values["job_ids"] = list(
        Job.objects.filter(appliance_id=appliance.pk).values_list("pk", flat=True)
    )
    return values


@transaction.atomic
def appliance_restore(
    *, appliance_id: int, customer_id: int, snapshot: dict[str, Any]
) -> Appliance:
    """Put a removed appliance back under its old id, relinking its jobs that are still unlinked
    (Undo of Remove). Running it twice is harmless; an id taken by another customer is refused."""
    existing = Appliance.objects.filter(pk=appliance_id).first()
    if existing is not None:
        if existing.customer_id != customer_id:
            raise NotFound("Appliance not found.")
        return existing
    fields = {name: snapshot.get(name) for name in SNAPSHOT_FIELDS}
    fields["manufactured_on_rule"] = fields["manufactured_on_rule"] or ""
    fields["photo"] = snapshot.get("photo") or ""
    for name in DATE_FIELDS:
        day = snapshot.get(name)
        fields[name] = date.fromisoformat(str(day)) if day else None
    if fields["job_id"] is not None and not Job.objects.filter(pk=fields["job_id"]).exists():
        fields["job_id"] = None
    location_id = fields["location_id"]
    if not ServiceLocation.objects.filter(pk=location_id or 0, customer_id=customer_id).exists():
        fields["location_id"] = None  # not theirs since: the customer's own address
    appliance = Appliance.objects.create(pk=appliance_id, customer_id=customer_id, **fields)
    Job.objects.filter(
        pk__in=[int(pk) for pk in snapshot.get("job_ids", [])], customer_id=customer_id,
        appliance__isnull=True,
    ).update(appliance_id=appliance.pk)  # fmt: skip
    customer_service_due_refresh(customer_ids=[customer_id])
    return appliance


def customer_service_due_refresh(*, customer_ids: Iterable[int]) -> None:
    """Store each customer's earliest next service day over their appliances (None when no
    appliance has a service or install date): the list's "maintenance overdue" filter."""
    due: dict[int, date | None] = dict.fromkeys(customer_ids)
    appliances = list(Appliance.objects.filter(customer_id__in=list(due)).order_by())
    table = lifespan_table()
    last_days = last_job_days([appliance.pk for appliance in appliances])
    for appliance in appliances:
        day = service_due(
            appliance, lifespan_for(table, appliance.type), last_days.get(appliance.pk)
        )
        earliest = due[appliance.customer_id]
        if day is not None and (earliest is None or day < earliest):
            due[appliance.customer_id] = day
    rows_set(Customer, fields=["next_service_due"], rows=((pk, [day]) for pk, day in due.items()))


@transaction.atomic
def lifespans_load() -> int:
    """Write the published lifespan table (crm/appliances/lifespans.py); safe to run again.

    Migration 0004 loads it once; tests that flush the database (live-server browser tests)
    call this to put it back. It overwrites edits made in admin. Returns the number of rows.
    """
    for row in LIFESPANS:
        values = {**row, "expected_lifespan_years": Decimal(str(row["expected_lifespan_years"]))}
        ApplianceLifespan.objects.update_or_create(
            appliance_type=values.pop("appliance_type"), defaults=values
        )
    return len(LIFESPANS)


def appliances_bulk_create(*, appliances: list[Appliance]) -> list[Appliance]:
    """Insert validated appliances in batches (the CSV import; the caller owns the transaction)."""
    for appliance in appliances:
        if not appliance.brand.strip():
            raise ValidationFailed("Brand is required.", field="brand")
    return Appliance.objects.bulk_create(appliances, batch_size=500)
