"""The portal page: one customer's own records, in their language, nothing of the office's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.models import Reminder, ReminderKind
from crm.jobs.tests.factories import ExpenseFactory, JobFactory
from crm.plans.models import MaintenancePlan
from crm.portal.tests.conftest import Portal, portal_for

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_customers_own_records(portal: Portal) -> None:
    # given another customer's visit, an expense and the office's own job text
    other = JobFactory(customer=CustomerFactory(name="Zed Other"), description="Zed's gate code")
    ExpenseFactory(customer=portal.customer, job=portal.past, amount="40.00")
    plan = MaintenancePlan.objects.create(
        customer=portal.customer, name="Fridge care", visits_per_year=2, price_per_year="199.00",
        starts_on="2026-01-01", ends_on="2026-12-31", auto_renew=True,
    )  # fmt: skip
    plan.appliances.add(portal.appliance)
    # when
    response = Client().get(portal.path)
    # then
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hello, Ana" in text
    assert '<html lang="en">' in text
    assert "Whirlpool · Refrigerator" in text
    assert "WRF555SDFZ" in text
    assert "between 10:00\N{EN DASH}12:00" in text
    assert f'id="visit-{portal.booked.pk}-confirm"' in text
    past_day = timezone.localtime(portal.past.completed_at).date()
    assert f"{past_day:%A, %B} {past_day.day}, {past_day.year}" in text
    assert "Replaced the defrost thermostat" in text
    assert "$185.50" in text
    assert "Fridge care" in text
    assert "$199.00 a year" in text
    assert "Refrigerator not cooling" not in text  # the job's description is the office's
    assert "40.00" not in text
    assert "Zed" not in text
    assert f"visit-{other.pk}" not in text


def test_the_page_reads_its_records_in_a_fixed_number_of_queries(
    portal: Portal, django_assert_num_queries: Any
) -> None:
    # given a few more visits
    JobFactory.create_batch(3, customer=portal.customer, appliance=portal.appliance)
    client = Client()
    # then: the link and its use, appliances, two visit lists, plans (2), consents, places
    with django_assert_num_queries(8):
        client.get(portal.path)


def test_a_spanish_customer_reads_the_page_in_spanish(db: None) -> None:
    portal = portal_for("es-MX")
    text = Client().get(portal.path).content.decode()
    assert '<html lang="es">' in text
    assert "Hola, Ana" in text
    assert "Próximas visitas" in text
    assert "Confirmar esta visita" in text
    assert "Whirlpool · Refrigerador" in text
    assert "Pedir servicio" in text


def test_confirming_a_visit_records_it_as_the_customers_own(portal: Portal) -> None:
    # when
    response = Client().post(portal.path + f"visits/{portal.booked.pk}/confirm/", follow=True)
    # then
    portal.booked.refresh_from_db()
    assert portal.booked.confirmed_at is not None
    assert "your visit is confirmed" in response.content.decode()
    assert Activity.objects.filter(
        customer=portal.customer, content__contains="confirmed the visit (the customer portal)"
    ).exists()


def test_another_customers_visit_cannot_be_confirmed_or_moved(portal: Portal) -> None:
    # given a visit of someone else
    foreign = JobFactory(customer=CustomerFactory())
    client = Client()
    # when
    confirm = client.post(portal.path + f"visits/{foreign.pk}/confirm/")
    move = client.post(portal.path + f"visits/{foreign.pk}/reschedule/", {"note": "Friday"})
    # then
    assert (confirm.status_code, move.status_code) == (404, 404)
    foreign.refresh_from_db()
    assert foreign.confirmed_at is None
    assert not Reminder.objects.exists()


def test_asking_to_reschedule_raises_the_offices_reminder(portal: Portal) -> None:
    Client().post(portal.path + f"visits/{portal.booked.pk}/reschedule/", {"note": "Friday pm"})
    reminder = Reminder.objects.get()
    assert reminder.kind == ReminderKind.RESCHEDULE_REQUEST
    assert "Friday pm" in reminder.details


def test_a_finished_visit_cannot_be_confirmed(portal: Portal) -> None:
    response = Client().post(portal.path + f"visits/{portal.past.pk}/confirm/", follow=True)
    assert "no longer booked" in response.content.decode()
    portal.past.refresh_from_db()
    assert portal.past.confirmed_at is None


def test_get_on_a_form_door_is_refused(portal: Portal) -> None:
    assert Client().get(portal.path + "request/").status_code == 405


def test_the_portal_is_rate_limited(portal: Portal, settings: Any) -> None:
    # given a budget of three requests a minute
    settings.PUBLIC_PAGE_REQUESTS_PER_MINUTE = 3
    cache.clear()
    client = Client(REMOTE_ADDR="10.7.0.1")
    # when
    codes = [client.get(portal.path).status_code for _ in range(4)]
    # then
    assert codes == [200, 200, 200, 429]
    assert Client(REMOTE_ADDR="10.7.0.2").get(portal.path).status_code == 200


def test_locations_name_where_each_appliance_is(portal: Portal) -> None:
    # given two addresses; the fridge has none (so it is at the first), the heater at the beach
    from crm.appliances.tests.factories import ApplianceFactory
    from crm.customers.models import ServiceLocation

    home = ServiceLocation.objects.create(customer=portal.customer, label="Home", address="1 Main")
    beach = ServiceLocation.objects.create(
        customer=portal.customer, label="Beach house", address="9 Ocean Dr"
    )
    heater = ApplianceFactory(
        customer=portal.customer, type="WaterHeater", location=beach,
        warranty_expires_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    # when
    text = Client().get(portal.path).content.decode()
    # then
    assert "Home: 1 Main" in text
    assert "Beach house: 9 Ocean Dr" in text
    fridge_row = text.split(f'id="appliance-{portal.appliance.pk}"')[1].split("</li>")[0]
    heater_row = text.split(f'id="appliance-{heater.pk}"')[1].split("</li>")[0]
    assert home.label in fridge_row
    assert beach.label in heater_row
    assert "Warranty ended January 1, 2020" in heater_row


def test_both_phrase_tables_say_the_same_things() -> None:
    from crm.portal.phrases import ENGLISH, SPANISH

    assert set(ENGLISH) == set(SPANISH)
    assert all(text.strip() for text in [*ENGLISH.values(), *SPANISH.values()])


def test_a_reschedule_note_over_the_limit_is_refused_in_the_customers_words(db: None) -> None:
    portal = portal_for("es")
    path = portal.path + f"visits/{portal.booked.pk}/reschedule/"
    response = Client().post(path, {"note": "x" * 501}, follow=True)
    assert "como máximo 500 caracteres" in response.content.decode()
    assert not Reminder.objects.exists()
