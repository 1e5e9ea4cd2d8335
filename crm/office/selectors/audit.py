"""A customer's audit trail, for the API and the Customer View's Changes card."""

from __future__ import annotations

from crm.audit.selectors import AuditPage, audit_page
from crm.core.errors import NotFound
from crm.customers.models import Customer


def customer_audit_page(*, customer_id: int, page: int = 1) -> AuditPage:
    """One page of the customer's changes, newest first; NotFound for an unknown customer."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise NotFound("Customer not found.")
    return audit_page(customer_id=customer_id, page=page)
