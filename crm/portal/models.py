"""The customer's own portal: signed, expiring, revocable links to one customer's page."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def portal_nonce_new() -> str:
    return secrets.token_urlsafe(16)


class PortalLink(models.Model):
    """One link given to one customer. The URL carries a signature over `nonce`; revoking the
    row (or its expiry) ends the link whatever the signature says."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="portal_links"
    )
    nonce = models.CharField(max_length=40, unique=True, default=portal_nonce_new)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="portal_link_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"Portal link {self.pk} for customer {self.customer_id}"
