"""Reads for engagement."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.engagement.models import FollowUpLog


def follow_up_log_list(*, customer_id: int) -> QuerySet[FollowUpLog]:
    """Follow-ups logged by hand, newest first, with who made them."""
    return (
        FollowUpLog.objects.filter(customer_id=customer_id)
        .select_related("staff_user", "technician")
        .order_by("-occurred_at", "-id")
    )
