"""With no install date, the date of manufacture confirmed from the serial gives the age."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from crm.appliances.maintenance import appliance_maintenance_prediction
from crm.appliances.selectors import appliance_cards
from crm.appliances.tests.factories import ApplianceFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)
MADE = {"manufactured_on": dt.date(2015, 4, 1), "manufactured_on_rule": "Rheem month+year"}


def test_the_prediction_takes_the_age_from_the_serial_and_says_so() -> None:
    # given: a water heater (11 years expected) made April 2015, install date unknown
    heater = ApplianceFactory(type="WaterHeater", brand="Rheem", install_date=None, **MADE)
    # when
    prediction = appliance_maintenance_prediction(appliance_id=heater.pk, today=TODAY)
    # then
    assert prediction.age_years == Decimal("11.6")
    assert prediction.risk == "High"
    assert prediction.reasons[0] == (
        "11.6 years old of an expected 11.0 (105% of its life)."
        " Age from serial: made April 2015 (Rheem month+year)."
    )


def test_an_install_date_wins_over_the_serial() -> None:
    # given
    heater = ApplianceFactory(type="WaterHeater", install_date=dt.date(2020, 11, 23), **MADE)
    # when
    prediction = appliance_maintenance_prediction(appliance_id=heater.pk, today=TODAY)
    # then
    assert prediction.age_years == Decimal("6.0")
    assert "Age from serial" not in prediction.reasons[0]


def test_the_lifespan_bar_shows_the_age_from_serial(staff_client: Client) -> None:
    # given
    heater = ApplianceFactory(type="WaterHeater", install_date=None, **MADE)
    # when
    cards = appliance_cards(customer_id=heater.customer_id, today=TODAY)
    html = staff_client.get(
        f"/customers/{heater.customer_id}/cards/client-appliances/", HTTP_HX_REQUEST="true"
    ).content.decode()
    # then
    assert (cards.items[0].age_years, cards.items[0].age_from_serial) == (Decimal("11.6"), True)
    assert "age from serial (made April 2015)" in html
