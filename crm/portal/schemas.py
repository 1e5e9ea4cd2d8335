"""API shapes of the customer portal's links."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.core.schemas import OutSchema


class PortalLinkOut(OutSchema):
    """A new portal link: the URL to give the customer, and when it stops working."""

    url: str = Field(description="The customer's page: /p/<signed token>/ on PUBLIC_BASE_URL.")
    expires_at: dt.datetime


class PortalLinksRevokedOut(OutSchema):
    """How many of the customer's links were still open and now no longer work."""

    customer_id: int
    revoked: int
