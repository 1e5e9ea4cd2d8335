"""The audit trail: one row per recorded change, django-auditlog's entry plus whose customer
it concerns and how the change came in (docs/adr/0010)."""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models


class AuditEntryManager(LogEntryManager):
    """auditlog's manager, filling in the customer and the actor of the current context."""

    def log_create(self, instance: models.Model, force_log: bool = False, **kwargs: Any) -> Any:
        from crm.audit.context import actor_now
        from crm.audit.registry import customer_id_of

        kwargs.setdefault("customer_id", customer_id_of(instance))
        actor = actor_now()
        kwargs.setdefault("actor_id", actor.user_id)
        kwargs.setdefault("actor_email", actor.name)
        kwargs.setdefault("source", actor.source)
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """Who changed what of which record, when, with the old and new values (`changes`:
    {field: [old, new]}). Kept when the customer is deleted: the column has no constraint.
    `actor_email` keeps the actor's username (or "anonymous"), so a deleted user is still named."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    source = models.CharField(
        max_length=100, blank=True, help_text="How the change came in: page, API token, task."
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["customer", "-timestamp", "-id"], name="audit_customer_idx")
        ]
