"""The customer's summary columns that the customer list filters and sorts on (docs/adr/0006).

Each is kept by the service that changes its source: money by crm.jobs.services, the next
service day by crm.appliances.services, the last contact here (called by the timeline and the
follow-up log); `manage.py customer_summaries_rebuild` recomputes them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.functions import Coalesce, Greatest

from crm.customers.models import Customer


def customer_contact_record(*, moments: Mapping[int, dt.datetime]) -> None:
    """Move each customer's last contact forward to its moment (a message in or out, a logged
    follow-up); an older moment leaves it as it is. One UPDATE however many customers."""
    if not moments:
        return
    new = Case(
        *(When(pk=pk, then=Value(at)) for pk, at in moments.items()),
        output_field=DateTimeField(),
    )
    # SQLite's MAX(a, b) is NULL when either is, hence the Coalesce.
    Customer.objects.filter(pk__in=list(moments)).update(
        last_contact_at=Greatest(Coalesce(F("last_contact_at"), new), new)
    )
