"""GET /api/audit: who changed what of a customer's records, newest first."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query

from crm.audit.selectors import AuditPage
from crm.core.api import ApiRouter
from crm.office.schemas import AuditPageOut, AuditQuery
from crm.office.selectors.audit import customer_audit_page

router = ApiRouter(tags=["audit"])


@router.get("/audit", response=AuditPageOut)
def audit(request: HttpRequest, filters: Query[AuditQuery]) -> AuditPage:
    """A customer's changes to money, consent, contact details, preferences, preferred
    technician and job status, newest first, 20 a page (404 for an unknown customer)."""
    return customer_audit_page(customer_id=filters.customer_id, page=filters.page)
