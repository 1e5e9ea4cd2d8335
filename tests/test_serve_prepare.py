"""`serve` computes the customer list's summaries once when an upgrade adds them."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from crm.core.management.commands.serve import (
    LIST_SUMMARIES_MIGRATION,
    Command,
    migration_applied,
)
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _prepare(monkeypatch: pytest.MonkeyPatch, *, summaries_were_there: bool) -> str:
    # collectstatic and migrate are not what this test is about (both run in test_serve.py)
    real = call_command
    monkeypatch.setattr(
        "crm.core.management.commands.serve.call_command",
        lambda name, *args, **kwargs: (
            None if name in {"migrate", "collectstatic"} else real(name, *args, **kwargs)
        ),
    )
    monkeypatch.setattr(
        "crm.core.management.commands.serve.migration_applied",
        lambda app_and_name: summaries_were_there,
    )
    out = StringIO()
    command = Command(stdout=out)
    command._prepare(demo=False)
    return out.getvalue()


def test_an_upgrade_computes_the_summaries_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a customer whose payment predates the summary columns (they read zero)
    customer = CustomerFactory()
    PaymentFactory(customer=customer, amount=Decimal("90.00"))
    Customer.objects.filter(pk=customer.pk).update(revenue_total=0, net_profit=0)

    # when serve starts on the upgraded database
    said = _prepare(monkeypatch, summaries_were_there=False)

    # then
    customer.refresh_from_db()
    assert (customer.revenue_total, customer.net_profit) == (Decimal("90.00"), Decimal("90.00"))
    assert "computing the customer list's summaries" in said


def test_a_database_that_had_them_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    customer = CustomerFactory()
    PaymentFactory(customer=customer, amount=Decimal("90.00"))
    Customer.objects.filter(pk=customer.pk).update(revenue_total=0, net_profit=0)

    # when
    said = _prepare(monkeypatch, summaries_were_there=True)

    # then
    customer.refresh_from_db()
    assert customer.revenue_total == Decimal("0.00")
    assert said == ""


def test_migration_applied_reads_the_database() -> None:
    assert migration_applied(LIST_SUMMARIES_MIGRATION) is True
    assert migration_applied(("customers", "9999_never")) is False
