"""A customer's service request (from the portal): the office's reminder and a timeline entry,
or a refusal with nothing saved."""

from __future__ import annotations

from typing import Any

import pytest

from crm.activities.models import Activity
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.engagement.services.service_request import service_request_create

pytestmark = pytest.mark.django_db


def test_a_request_makes_a_medium_reminder_due_today_and_a_timeline_entry() -> None:
    # given
    appliance = ApplianceFactory(brand="Bosch", type="Dishwasher")
    # when
    reminder = service_request_create(
        customer_id=appliance.customer_id, appliance_id=appliance.pk,
        problem="  Leaks at the door  ", preferred_days=["sat", "tue"], via="the portal",
    )  # fmt: skip
    # then
    assert (reminder.kind, reminder.priority) == (
        ReminderKind.SERVICE_REQUEST,
        ReminderPriority.MEDIUM,
    )
    assert reminder.title == "Service requested for Bosch dishwasher"
    assert reminder.details == (
        "Asked through the portal.\nProblem, in their words: Leaks at the door\n"
        "Preferred days: Tuesday, Saturday."
    )
    activity = Activity.objects.get(customer_id=appliance.customer_id)
    assert activity.content.startswith("The customer requested service for Bosch dishwasher")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"problem": "abc "}, "problem"),
        ({"problem": "x" * 2001}, "problem"),
        ({"preferred_days": ["mon", "holiday"]}, "preferredDays"),
        ({"appliance_id": "foreign"}, "appliance"),
    ],
)
def test_bad_requests_are_refused_with_nothing_saved(changes: dict[str, Any], field: str) -> None:
    # given
    customer = CustomerFactory()
    request: dict[str, Any] = {
        "customer_id": customer.pk, "appliance_id": None, "problem": "It is broken",
        "preferred_days": [], "via": "the portal", **changes,
    }  # fmt: skip
    if request["appliance_id"] == "foreign":
        request["appliance_id"] = ApplianceFactory().pk
    # when
    with pytest.raises(ValidationFailed) as refused:
        service_request_create(**request)
    # then
    assert refused.value.field == field
    assert not Reminder.objects.exists()
    assert not Activity.objects.exists()
