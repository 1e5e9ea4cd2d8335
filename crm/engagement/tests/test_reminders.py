"""Reminders: list by customer and status, create by hand, done / dismiss / snooze / wake."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import company_today
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.reminders import (
    ReminderRow,
    reminder_create,
    reminders_upsert,
    reminders_wake,
)

pytestmark = pytest.mark.django_db


def _reminder(**fields: object) -> Reminder:
    base: dict[str, object] = {
        "kind": "MaintenanceDue",
        "title": "Clean the dryer vent",
        "due_date": dt.date(2026, 12, 1),
        "priority": "Medium",
    }
    if "customer_id" not in fields:
        base["customer_id"] = CustomerFactory().pk
    return reminder_create(**(base | fields))  # type: ignore[arg-type]


def test_list_by_customer_and_status_most_urgent_first(staff_client: Client) -> None:
    # given
    customer = CustomerFactory()
    low = _reminder(customer_id=customer.pk, priority="Low", source_key="a")
    high = _reminder(customer_id=customer.pk, priority="High", source_key="b")
    earlier = _reminder(customer_id=customer.pk, due_date=dt.date(2026, 11, 1), source_key="c")
    done = _reminder(customer_id=customer.pk, source_key="d")
    Reminder.objects.filter(pk=done.pk).update(status="Done")
    _reminder(source_key="other-customer")
    # when
    response = staff_client.get(f"/api/reminders?customerId={customer.pk}&status=Open")
    # then
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [earlier.pk, high.pk, low.pk]
    first = response.json()[0]
    assert (first["kind"], first["dueDate"], first["status"]) == (
        "MaintenanceDue",
        "2026-11-01",
        "Open",
    )


def test_done_dismiss_snooze_and_open_again(staff_client: Client) -> None:
    reminder = _reminder()
    url = f"/api/reminder/{reminder.pk}"
    later = (company_today() + dt.timedelta(days=7)).isoformat()
    snoozed = staff_client.put(
        url, {"status": "Snoozed", "snoozedUntil": later}, content_type="application/json"
    )
    assert (snoozed.json()["status"], snoozed.json()["snoozedUntil"]) == ("Snoozed", later)
    done = staff_client.put(url, {"status": "Done"}, content_type="application/json")
    assert (done.json()["status"], done.json()["snoozedUntil"]) == ("Done", None)
    assert done.json()["resolvedAt"] is not None
    reopened = staff_client.put(url, {"status": "Open"}, content_type="application/json")
    assert (reopened.json()["status"], reopened.json()["resolvedAt"]) == ("Open", None)
    dismissed = staff_client.put(url, {"status": "Dismissed"}, content_type="application/json")
    assert dismissed.json()["status"] == "Dismissed"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "Snoozed"}, "snoozedUntil"),
        ({"status": "Snoozed", "snoozedUntil": "2020-01-01"}, "snoozedUntil"),
        ({"status": "Done", "snoozedUntil": "2099-01-01"}, "snoozedUntil"),
        ({"status": "Finished"}, "status"),
        ({"status": "Done", "extra": 1}, "extra"),
    ],
)
def test_bad_updates_change_nothing(staff_client: Client, payload: dict, field: str) -> None:  # type: ignore[type-arg]
    reminder = _reminder()
    response = staff_client.put(
        f"/api/reminder/{reminder.pk}", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    reminder.refresh_from_db()
    assert (reminder.status, reminder.snoozed_until) == ("Open", None)


def test_create_by_hand_from_a_maintenance_alert(staff_client: Client, staff_user) -> None:  # type: ignore[no-untyped-def]
    appliance = ApplianceFactory()
    response = staff_client.post(
        "/api/reminders",
        {
            "customerId": appliance.customer_id,
            "title": "Call about the fridge coils",
            "dueDate": "2026-12-05",
            "priority": "High",
            "applianceId": appliance.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.priority, reminder.appliance_id) == (
        "Manual",
        "High",
        appliance.pk,
    )
    assert reminder.created_by == staff_user
    assert reminder.source_key.startswith("manual:")


def test_an_appliance_of_another_customer_is_refused(staff_client: Client) -> None:
    other = ApplianceFactory()
    response = staff_client.post(
        "/api/reminders",
        {
            "customerId": CustomerFactory().pk,
            "title": "x",
            "dueDate": "2026-12-05",
            "applianceId": other.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Reminder.objects.exists()


def test_same_source_key_gives_the_same_reminder() -> None:
    first = _reminder(source_key="low-score:7")
    second = _reminder(source_key="low-score:7", title="Something else")
    assert first.pk == second.pk
    assert Reminder.objects.count() == 1


def test_snoozed_reminders_wake_on_their_day() -> None:
    today = company_today()
    due = _reminder(source_key="due")
    not_yet = _reminder(source_key="later")
    Reminder.objects.filter(pk=due.pk).update(status="Snoozed", snoozed_until=today)
    Reminder.objects.filter(pk=not_yet.pk).update(
        status="Snoozed", snoozed_until=today + dt.timedelta(days=1)
    )
    assert reminders_wake(today=today) == 1
    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (due.status, due.snoozed_until) == ("Open", None)
    assert not_yet.status == "Snoozed"


def test_missing_reminder_is_404(staff_client: Client) -> None:
    response = staff_client.put(
        "/api/reminder/999", {"status": "Done"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_the_priority_rank_follows_the_priority_whoever_writes_it() -> None:
    # given: one reminder per priority by the service, one by the sweeps' bulk upsert
    made = {p: _reminder(source_key=f"rank-{p}", priority=p) for p in ("High", "Medium", "Low")}
    customer = CustomerFactory()
    row = ReminderRow(customer.pk, "MaintenanceDue", "Service the oven", dt.date(2026, 12, 1),
                      "Low", "sweep:1")  # fmt: skip
    reminders_upsert([row])
    # when: the sweep finds the cause more urgent, and a bulk update changes one by hand
    reminders_upsert([row._replace(priority="High")])
    Reminder.objects.filter(pk=made["High"].pk).update(priority="Low")
    # then
    ranks = dict(Reminder.objects.values_list("source_key", "priority_rank"))
    assert ranks == {"rank-High": 2, "rank-Medium": 1, "rank-Low": 2, "sweep:1": 0}
