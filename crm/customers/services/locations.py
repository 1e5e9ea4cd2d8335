"""Writes for service locations: the addresses where a customer's appliances stand.

A customer's own address is their first location ("Home"); landlords and families add more.
A location is never deleted (appliances and jobs keep pointing at it): it stops being used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.customers.models import Customer, ServiceLocation
from crm.customers.preferences import timezone_clean
from crm.customers.selectors import OPEN_JOB_STATUSES

LOCATION_FIELDS = {"label", "address", "access_notes", "timezone", "active"}
LABEL_MAX_LENGTH = 100
HOME_LABEL = "Home"
BATCH = 500


def _zone(name: str) -> str:
    try:
        return timezone_clean(name)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field="timeZone") from None


def _clean(location: ServiceLocation) -> None:
    location.label = location.label.strip()
    location.address = location.address.strip()
    if not location.label or len(location.label) > LABEL_MAX_LENGTH:
        raise ValidationFailed("Give the location a name of 1 to 100 characters.", field="label")
    if not location.address:
        raise ValidationFailed("Address is required.", field="address")
    location.timezone = _zone(location.timezone)
    taken = ServiceLocation.objects.filter(customer_id=location.customer_id, label=location.label)
    if taken.exclude(pk=location.pk).exists():
        raise ValidationFailed(
            f'This customer already has a location called "{location.label}": '
            "give this one another name.",
            field="label",
        )


def _in_use_refusal(location: ServiceLocation) -> Conflict | None:
    """Why the location cannot stop being used (appliances stand there, visits are booked)."""
    appliances = location.appliances.count()
    visits = location.jobs.filter(status__in=OPEN_JOB_STATUSES).count()
    if not appliances and not visits:
        return None
    held = [f"{appliances} appliance{'s' if appliances != 1 else ''}"] if appliances else []
    held += [f"{visits} open job{'s' if visits != 1 else ''}"] if visits else []
    return Conflict(
        f"{location.label} still has {' and '.join(held)}: move or finish them first.",
        field="active",
    )


def _saved(location: ServiceLocation) -> ServiceLocation:
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:  # two requests racing for one label
        raise ValidationFailed(
            f'This customer already has a location called "{location.label}".', field="label"
        ) from None
    return location


@transaction.atomic
def location_create(*, customer_id: int, fields: dict[str, Any]) -> ServiceLocation:
    """Add a location to a customer (time zone: the customer's unless given); the label is
    unique per customer, the address required, the zone an IANA name."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed("No customer with that id.", field="customerId")
    values = {name: value for name, value in fields.items() if name in LOCATION_FIELDS}
    values.setdefault("timezone", customer.timezone)
    location = ServiceLocation(customer=customer, **values)
    _clean(location)
    return _saved(location)


@transaction.atomic
def location_update(*, location_id: int, fields: dict[str, Any]) -> ServiceLocation:
    """Change a location; only the given fields change. Taking it out of use (active False) is
    refused (Conflict, 409) while appliances stand there or open jobs are booked there."""
    location = ServiceLocation.objects.select_for_update().filter(pk=location_id).first()
    if location is None:
        raise NotFound("Location not found.")
    was_active = location.active
    for name, value in fields.items():
        if name in LOCATION_FIELDS:
            setattr(location, name, value)
    _clean(location)
    if was_active and not location.active and (refusal := _in_use_refusal(location)):
        raise refusal
    return _saved(location)


def _first_locations(customer_ids: list[int]) -> dict[int, ServiceLocation]:
    firsts: dict[int, ServiceLocation] = {}
    for start in range(0, len(customer_ids), BATCH):
        for location in ServiceLocation.objects.filter(
            customer_id__in=customer_ids[start : start + BATCH]
        ).order_by("-id"):
            firsts[location.customer_id] = location  # the lowest id comes last and stays
    return firsts


def home_locations_follow(*, customers: Sequence[Customer], old_addresses: dict[int, str]) -> None:
    """Keep each customer's first location their own address after a create or an address
    change: a customer with an address and no location gets "Home" (in their time zone); a
    first location whose address was still the customer's old one takes the new one. A first
    location the office has edited to another address is left alone, and so is its time zone.
    """
    with_address = [customer for customer in customers if customer.address.strip()]
    firsts = _first_locations([customer.pk for customer in with_address])
    new, changed, now = [], [], timezone.now()
    for customer in with_address:
        first, address = firsts.get(customer.pk), customer.address.strip()
        old = old_addresses.get(customer.pk, "").strip()
        if first is None:
            new.append(ServiceLocation(customer=customer, label=HOME_LABEL, address=address,
                                       timezone=customer.timezone))  # fmt: skip
        elif first.address == old and old != address:
            first.address, first.updated_at = address, now
            changed.append(first)
    ServiceLocation.objects.bulk_create(new, batch_size=BATCH)
    ServiceLocation.objects.bulk_update(changed, ["address", "updated_at"], batch_size=BATCH)
