"""notes_bulk_create: internal notes only, with content."""

from __future__ import annotations

import pytest

from crm.activities.models import Activity, ActivityKind
from crm.activities.services import notes_bulk_create
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_notes_are_written_internal_and_other_kinds_are_refused() -> None:
    customer = CustomerFactory()

    notes_bulk_create(notes=[Activity(customer=customer, kind=ActivityKind.NOTE, content="Gate")])
    with pytest.raises(ValidationFailed):
        notes_bulk_create(notes=[Activity(customer=customer, kind=ActivityKind.CALL, content="x")])

    assert list(Activity.objects.values_list("kind", "direction", "content")) == [
        ("Note", "Internal", "Gate")
    ]
