"""rows_set stores each row's own values, prepared as a save would prepare them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm.core.bulk import rows_set
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_rows_set_gives_each_row_its_own_values_and_leaves_others_alone() -> None:
    # given
    ana, ben, cy = CustomerFactory(), CustomerFactory(), CustomerFactory()

    # when
    count = rows_set(
        Customer,
        fields=["next_service_due", "profit_margin"],
        rows=[(ana.pk, [dt.date(2027, 1, 2), Decimal("0.5")]), (ben.pk, [None, None])],
    )

    # then
    assert count == 2
    values = dict(Customer.objects.values_list("pk", "next_service_due"))
    assert values == {ana.pk: dt.date(2027, 1, 2), ben.pk: None, cy.pk: None}
    ana.refresh_from_db()
    assert ana.profit_margin == Decimal("0.500000")


def test_rows_set_refuses_a_row_with_the_wrong_number_of_values() -> None:
    ana = CustomerFactory()
    with pytest.raises(ValueError, match="zip"):
        rows_set(Customer, fields=["next_service_due", "profit_margin"], rows=[(ana.pk, [None])])
    assert Customer.objects.get(pk=ana.pk).profit_margin is None


def test_rows_set_with_no_rows_runs_nothing(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(0):
        assert rows_set(Customer, fields=["next_service_due"], rows=[]) == 0
