"""JSON endpoint that anonymises a customer (instead of deleting them): the erasure spans every
app that keeps rows about the customer, so its door lives here, above them all."""

from __future__ import annotations

from django.http import HttpRequest

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import PathId
from crm.engagement.schemas import AnonymisedOut
from crm.engagement.services.anonymise import customer_anonymise

router = ApiRouter(tags=["customers"])


@router.post("/customer/{customer_id}/anonymise", response=AnonymisedOut)
def anonymise_customer(request: HttpRequest, customer_id: PathId) -> AnonymisedOut:
    """Erase the customer's personal data (name, phone, email, address, free text, message
    bodies) and keep their money, consent and counts; 409 when already anonymised. Owners only."""
    summary = customer_anonymise(customer_id=customer_id, user=request_user(request))
    customer = summary.customer
    assert customer.anonymised_at is not None
    return AnonymisedOut(
        customer_id=customer.pk, name=customer.name, anonymised_at=customer.anonymised_at,
        erased=summary.erased, kept=summary.kept, deleted=summary.deleted,
    )  # fmt: skip
