"""The customer's summary columns that the customer list filters and sorts on (docs/adr/0005).

Each is kept by the service that changes its source: money by crm.jobs.services, the next
service day by crm.appliances.services, the last contact here (called by the timeline and the
follow-up log); `manage.py customer_summaries_rebuild` recomputes them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from crm.customers.models import Customer


def customer_contact_record(*, customer_ids: Iterable[int], at: dt.datetime) -> None:
    """Move these customers' last contact forward to `at` (a message in or out, a logged
    follow-up); an older moment leaves it as it is."""
    Customer.objects.filter(pk__in=list(customer_ids)).filter(
        Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    ).update(last_contact_at=at)
