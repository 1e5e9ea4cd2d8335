"""JSON endpoints of the customer portal: make a link (the caller gives it to the customer
themselves; the Customer View's button also sends it), and revoke every open link."""

from __future__ import annotations

from django.http import HttpRequest

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import PathId
from crm.portal.schemas import PortalLinkOut, PortalLinksRevokedOut
from crm.portal.services.links import portal_link_create, portal_links_revoke

router = ApiRouter(tags=["portal"])


@router.post("/customer/{customer_id}/portal-link", response=PortalLinkOut)
def portal_link_make(request: HttpRequest, customer_id: PathId) -> PortalLinkOut:
    """A new signed link to the customer's own page, expiring after PORTAL_LINK_DAYS; older
    links keep working until they expire or are revoked. 404 for an unknown customer."""
    issued = portal_link_create(customer_id=customer_id, user=request_user(request))
    return PortalLinkOut(url=issued.url, expires_at=issued.link.expires_at)


@router.post("/customer/{customer_id}/portal-link/revoke", response=PortalLinksRevokedOut)
def portal_links_end(request: HttpRequest, customer_id: PathId) -> PortalLinksRevokedOut:
    """End every open portal link of the customer now (they show "this link no longer works")."""
    return PortalLinksRevokedOut(
        customer_id=customer_id, revoked=portal_links_revoke(customer_id=customer_id)
    )
