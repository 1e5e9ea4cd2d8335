"""JSON endpoints of the customers app, at the plan's paths under /api."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.schemas import PathId
from crm.customers.models import Customer, ServiceLocation
from crm.customers.schemas import (
    ConsentIn,
    CustomerCreateIn,
    CustomerListQuery,
    CustomerOut,
    CustomerPageOut,
    CustomerUpdateIn,
    DuplicateOut,
    LocationIn,
    LocationOut,
    LocationUpdateIn,
    MergeIn,
    MergeOut,
    PreferredTechnicianIn,
)
from crm.customers.selectors import customer_get, customer_page, location_list
from crm.customers.services import (
    ConsentChange,
    customer_create,
    customer_merge,
    customer_preferred_technician_set,
    customer_update,
)
from crm.customers.services.locations import location_create, location_update

router = ApiRouter(tags=["customers"])
NOT_FIELDS = {"consents", "referred_by_id", "allow_duplicate", "consents_read_at"}


def _consent_changes(consents: list[ConsentIn]) -> list[ConsentChange]:
    return [
        ConsentChange(
            channel=consent.channel,
            marketing_opt_in=consent.marketing_opt_in,
            opted_out=consent.opted_out,
        )
        for consent in consents
    ]


@router.get("/customers", response=CustomerPageOut)
def customers(request: HttpRequest, filters: Query[CustomerListQuery]) -> dict[str, Any]:
    """The customer list: combinable filters and a sort; `search` matches a name, email or
    address fragment, the referral code, or the phone in any format."""
    page = customer_page(filters=filters.filters(), page=filters.page)
    return {
        "total": page.paginator.count,
        "total_is_exact": page.paginator.count_is_exact,  # type: ignore[attr-defined]
        "page": page.number,
        "page_size": page.paginator.per_page,
        "page_count": page.paginator.num_pages,
        "items": page.object_list,
    }


@router.post("/add-customer", response={201: CustomerOut, 409: DuplicateOut})
def add_customer(request: HttpRequest, payload: CustomerCreateIn) -> Status[Customer]:
    """Create a customer; referredById records the referral (and refuses an unknown id).

    A phone or email another customer has answers 409 naming them (duplicateOf), unless
    allowDuplicate is true.
    """
    customer = customer_create(
        fields=payload.model_dump(exclude=NOT_FIELDS, exclude_unset=True),
        consents=_consent_changes(payload.consents),
        referred_by_id=payload.referred_by_id,
        allow_duplicate=payload.allow_duplicate,
    )
    return Status(201, customer)


@router.put("/update-customer/{customer_id}", response=CustomerOut)
def update_customer(
    request: HttpRequest, customer_id: PathId, payload: CustomerUpdateIn
) -> Customer:
    """Change contact details, communication preferences and consents; only what is sent.

    Opting an opted-out channel back in (optedOut false, or marketingOptIn true) answers 409:
    clearing an opt-out is POST /api/customer/{id}/consent/clear, with the customer's request.
    """
    return customer_update(
        customer=customer_get(customer_id=customer_id),
        fields=payload.model_dump(exclude=NOT_FIELDS, exclude_unset=True),
        consents=_consent_changes(payload.consents),
        consents_read_at=payload.consents_read_at,
    )


@router.post("/customer/{customer_id}/preferred-technician", response=CustomerOut)
def set_preferred_technician(
    request: HttpRequest, customer_id: PathId, payload: PreferredTechnicianIn
) -> Customer:
    """Set the preferred technician (an active one), or clear it with null."""
    return customer_preferred_technician_set(
        customer=customer_get(customer_id=customer_id), technician_id=payload.technician_id
    )


@router.post("/customer/{customer_id}/merge", response=MergeOut)
def merge_customer(request: HttpRequest, customer_id: PathId, payload: MergeIn) -> dict[str, Any]:
    """Move everything of this customer into `intoId` and delete this one (one transaction)."""
    summary = customer_merge(customer_id=customer_id, into_id=payload.into_id)
    return {"kept_id": summary.kept.pk, "merged_id": summary.merged.pk,
            "moved": summary.moved, "removed": summary.dropped}  # fmt: skip


def _location_fields(payload: LocationIn | LocationUpdateIn) -> dict[str, Any]:
    """The fields sent, named as the model names them (timeZone is `timezone`)."""
    fields = payload.model_dump(exclude={"customer_id"}, exclude_unset=True)
    if "time_zone" in fields:
        fields["timezone"] = fields.pop("time_zone")
    return fields


@router.get("/customer/{customer_id}/locations", response=list[LocationOut])
def locations(request: HttpRequest, customer_id: PathId) -> list[ServiceLocation]:
    """The customer's service locations, their own address first, those out of use too."""
    customer_get(customer_id=customer_id)
    return list(location_list(customer_id=customer_id))


@router.post("/add-location", response={201: LocationOut})
def add_location(request: HttpRequest, payload: LocationIn) -> Status[ServiceLocation]:
    """Add a service location (a rental, a second home); the label is unique per customer."""
    location = location_create(customer_id=payload.customer_id, fields=_location_fields(payload))
    return Status(201, location)


@router.put("/update-location/{location_id}", response=LocationOut)
def update_location(
    request: HttpRequest, location_id: PathId, payload: LocationUpdateIn
) -> ServiceLocation:
    """Change a location; only the fields sent change. active false takes it out of use,
    refused (409) while appliances stand there or open jobs are booked there."""
    return location_update(location_id=location_id, fields=_location_fields(payload))
