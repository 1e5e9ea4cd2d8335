"""The customer list's selector: each filter alone and combined, sorts both ways, phone search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.money import Classification, plan_classification, profit_margin_floor
from crm.customers.models import Customer
from crm.customers.selectors import CustomerFilters, customer_export_rows, customer_search
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


def names(filters: CustomerFilters) -> list[str]:
    return [c.name for c in customer_search(filters=filters, today=TODAY)]


def money(revenue: str, expenses: str) -> dict[str, Decimal | None]:
    net = Decimal(revenue) - Decimal(expenses)
    return {
        "revenue_total": Decimal(revenue),
        "expenses_total": Decimal(expenses),
        "net_profit": net,
        "profit_margin": profit_margin_floor(revenue=Decimal(revenue), net_profit=net),
    }


def reminder(customer: Customer, status: str, key: str) -> Reminder:
    return Reminder.objects.create(
        customer=customer, kind="Manual", title="Call back", due_date=TODAY, status=status,
        snoozed_until=TODAY + dt.timedelta(days=3) if status == "Snoozed" else None,
        source_key=key,
    )  # fmt: skip


@pytest.fixture
def people() -> dict[str, Customer]:
    """Five customers, each standing out on some filters."""
    now = timezone.now()
    tech = TechnicianFactory(name="Sara Lopez")
    ana = CustomerFactory(
        name="Ana Diaz", phone="+15552340001", email="ana@example.com",
        address="12 Oak Street, Springfield", referral_code="ANA23456",
        preferred_technician=tech, last_contact_at=now - dt.timedelta(days=5),
        next_service_due=dt.date(2026, 10, 1), **money("1000.00", "400.00"),
    )  # fmt: skip
    bob = CustomerFactory(
        name="Bob Lee", phone="+15552340002", email="bob@example.org", address="9 Elm Road",
        last_contact_at=now - dt.timedelta(days=40), next_service_due=dt.date(2027, 1, 1),
        **money("1000.00", "700.00"),
    )  # fmt: skip
    carl = CustomerFactory(
        name="Carl Day", phone="+442071838750", email="carl@example.net", address="1 Oak Lane",
        preferred_technician=tech, last_contact_at=None, **money("100.00", "95.00"),
    )  # fmt: skip
    dora = CustomerFactory(
        name="Dora Diaz", phone="", email="dora@example.com", address="",
        last_contact_at=now - dt.timedelta(days=200), next_service_due=dt.date(2026, 11, 22),
        **money("0.00", "50.00"),
    )  # fmt: skip
    eve = CustomerFactory(name="Eve Stone", phone="+15559990000", email="eve@example.com",
                          address="", **money("0.00", "0.00"))  # fmt: skip
    ApplianceFactory(customer=ana, type="Refrigerator")
    ApplianceFactory(customer=bob, type="Dryer")
    ApplianceFactory(customer=dora, type="Refrigerator")
    ContactConsentFactory(customer=ana, channel="WhatsApp", marketing_opt_in=True)
    ContactConsentFactory(customer=bob, channel="WhatsApp", marketing_opt_in=False)
    ContactConsentFactory(customer=carl, channel="WhatsApp", marketing_opt_in=True,
                          opted_out_at=now)  # fmt: skip
    ContactConsentFactory(customer=dora, channel="Email", marketing_opt_in=True)
    reminder(ana, "Open", "a")
    reminder(bob, "Done", "b")
    reminder(carl, "Snoozed", "c")
    return {c.name.split()[0].lower(): c for c in (ana, bob, carl, dora, eve)}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CustomerFilters(), ["Ana Diaz", "Bob Lee", "Carl Day", "Dora Diaz", "Eve Stone"]),
        (CustomerFilters(search="diaz"), ["Ana Diaz", "Dora Diaz"]),
        (CustomerFilters(search="EXAMPLE.COM"), ["Ana Diaz", "Dora Diaz", "Eve Stone"]),
        (CustomerFilters(search="oak"), ["Ana Diaz", "Carl Day"]),
        (CustomerFilters(search="ana23456"), ["Ana Diaz"]),
        (CustomerFilters(profitability=Classification.HIGHLY), ["Ana Diaz"]),
        (CustomerFilters(profitability=Classification.MODERATELY), ["Bob Lee"]),
        (CustomerFilters(profitability=Classification.BREAK_EVEN), ["Carl Day", "Eve Stone"]),
        (CustomerFilters(profitability=Classification.LOSS), ["Dora Diaz"]),
        (CustomerFilters(maintenance_overdue=True), ["Ana Diaz", "Dora Diaz"]),
        (CustomerFilters(appliance_type="Refrigerator"), ["Ana Diaz", "Dora Diaz"]),
        (CustomerFilters(appliance_type="Dryer"), ["Bob Lee"]),
        (CustomerFilters(no_contact_days=30), ["Bob Lee", "Carl Day", "Dora Diaz", "Eve Stone"]),
        (CustomerFilters(no_contact_days=100), ["Carl Day", "Dora Diaz", "Eve Stone"]),
        (CustomerFilters(marketing_channel="WhatsApp"), ["Ana Diaz"]),
        (CustomerFilters(marketing_channel="Email"), ["Dora Diaz"]),
        (CustomerFilters(open_reminder=True), ["Ana Diaz", "Carl Day"]),
        (CustomerFilters(search="diaz", maintenance_overdue=True, appliance_type="Refrigerator",
                         profitability=Classification.LOSS), ["Dora Diaz"]),
        (CustomerFilters(open_reminder=True, no_contact_days=30), ["Carl Day"]),
        (CustomerFilters(search="oak", marketing_channel="WhatsApp"), ["Ana Diaz"]),
    ],
)  # fmt: skip
def test_each_filter_alone_and_combined(people, filters, expected):
    # when / then
    assert names(filters) == expected


def test_preferred_technician(people):
    # given
    tech_id = people["ana"].preferred_technician_id
    # when / then
    assert names(CustomerFilters(technician_id=tech_id)) == ["Ana Diaz", "Carl Day"]
    assert names(CustomerFilters(technician_id=tech_id, search="carl")) == ["Carl Day"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("+1 555 234 0001", ["Ana Diaz"]),
        ("(555) 234-0001", ["Ana Diaz"]),
        ("555.234.0001", ["Ana Diaz"]),
        ("0044 20 7183 8750", ["Carl Day"]),
        ("020 7183", []),  # read in the company's country: no number, and 0207183 no fragment
        ("7183 8750", ["Carl Day"]),
        ("234-000", ["Ana Diaz", "Bob Lee"]),
        ("99", []),  # two digits are no phone fragment
    ],
)
def test_phone_in_any_format(people, term, expected):
    # when / then
    assert names(CustomerFilters(search=term)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Ana Diaz", "Bob Lee", "Carl Day", "Dora Diaz", "Eve Stone"]),
        ("-name", ["Eve Stone", "Dora Diaz", "Carl Day", "Bob Lee", "Ana Diaz"]),
        # never contacted sorts as longest ago; Carl and Eve tie and go by id
        ("lastContact", ["Carl Day", "Eve Stone", "Dora Diaz", "Bob Lee", "Ana Diaz"]),
        ("-lastContact", ["Ana Diaz", "Bob Lee", "Dora Diaz", "Eve Stone", "Carl Day"]),
        ("netProfit", ["Dora Diaz", "Eve Stone", "Carl Day", "Bob Lee", "Ana Diaz"]),
        ("-netProfit", ["Ana Diaz", "Bob Lee", "Carl Day", "Eve Stone", "Dora Diaz"]),
        ("customerSince", ["Ana Diaz", "Bob Lee", "Carl Day", "Dora Diaz", "Eve Stone"]),
        ("-customerSince", ["Eve Stone", "Dora Diaz", "Carl Day", "Bob Lee", "Ana Diaz"]),
    ],
)
def test_sorts_both_ways(people, sort, expected):
    # when / then
    assert names(CustomerFilters(sort=sort)) == expected


def test_ties_go_by_id_both_ways(db):
    # given: three customers with the same net profit and created at the same moment
    moment = timezone.now()
    first, second, third = (
        CustomerFactory(name="Same", **money("10.00", "0.00")) for _ in range(3)
    )
    Customer.objects.update(created_at=moment)
    ids = [first.pk, second.pk, third.pk]
    # when / then
    for sort in ("name", "netProfit", "customerSince"):
        up = [c.pk for c in customer_search(filters=CustomerFilters(sort=sort))]
        down = [c.pk for c in customer_search(filters=CustomerFilters(sort=f"-{sort}"))]
        assert (up, down) == (ids, ids[::-1])


@pytest.mark.parametrize(
    ("revenue", "expenses"),
    [("0.00", "0.00"), ("0.00", "10.00"), ("100.00", "55.00"), ("100.00", "55.01"),
     ("100.00", "90.00"), ("100.00", "90.01"), ("100.00", "100.00"), ("100.00", "100.01"),
     ("333.33", "183.33"), ("10.00", "0.00")],
)  # fmt: skip
def test_the_profitability_filter_agrees_with_the_analyst(db, revenue, expenses):
    # given: the margin bands' edges (45% and 10%)
    customer = CustomerFactory(**money(revenue, expenses))
    expected = plan_classification(revenue=Decimal(revenue), net_profit=customer.net_profit)
    # when
    found = [
        value
        for value in Classification.PLAN_VALUES
        if customer_search(filters=CustomerFilters(profitability=value)).exists()
    ]
    # then
    assert found == [expected]
    assert customer.profitability_class == expected


def test_export_rows_are_the_filtered_list_in_its_order(people):
    # given
    filters = CustomerFilters(search="diaz", sort="-name")
    # when
    rows = list(customer_export_rows(filters=filters, today=TODAY))
    # then
    ana = people["ana"]
    assert [row[0] for row in rows] == ["Dora Diaz", "Ana Diaz"]
    assert rows[1] == (
        "Ana Diaz", "+15552340001", "ana@example.com", "12 Oak Street, Springfield", "Phone",
        "en", ana.timezone, "ANA23456", timezone.localdate(ana.created_at).isoformat(),
        timezone.localtime(ana.last_contact_at).isoformat(timespec="seconds"), "600.00",
        "Highly Profitable", "1000.00", "400.00", "2026-10-01", "Moderate",
    )  # fmt: skip
