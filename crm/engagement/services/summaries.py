"""Rebuild of the customers' summary columns (docs/adr/0006): after a bulk load, an upgrade,
or a change to the lifespan table. Services keep them right one customer at a time."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from crm.activities.models import Activity, Direction
from crm.appliances.services import customer_service_due_refresh
from crm.customers.models import Customer
from crm.engagement.models import FollowUpLog
from crm.jobs.services import customer_money_refresh

REBUILD_BATCH = 2000


def customer_last_contacts_refresh(*, customer_ids: Iterable[int]) -> None:
    """Store each customer's last message in or out or logged follow-up (one UPDATE)."""
    message = Subquery(
        Activity.objects.filter(
            customer_id=OuterRef("pk"), direction__in=[Direction.INBOUND, Direction.OUTBOUND]
        )
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    logged = Subquery(
        FollowUpLog.objects.filter(customer_id=OuterRef("pk"))
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    # SQLite's MAX(a, b) is NULL when either is: each side falls back to the other.
    Customer.objects.filter(pk__in=list(customer_ids)).update(
        last_contact_at=Greatest(Coalesce(message, logged), Coalesce(logged, message))
    )


def customer_summaries_rebuild(*, batch: int = REBUILD_BATCH) -> int:
    """Recompute every customer's summary columns in batches of ids; returns the count."""
    ids = Customer.objects.order_by("pk").values_list("pk", flat=True)
    return customer_summaries_refresh(customer_ids=ids.iterator(chunk_size=batch), batch=batch)


def customer_summaries_refresh(*, customer_ids: Iterable[int], batch: int = REBUILD_BATCH) -> int:
    """Recompute these customers' summary columns from their rows (three UPDATEs a batch, so
    a long list stays under the database's limit on query parameters); returns the count."""
    ids = sorted(set(customer_ids))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        customer_money_refresh(customer_ids=chunk)
        customer_last_contacts_refresh(customer_ids=chunk)
        customer_service_due_refresh(customer_ids=chunk)
    return len(ids)
