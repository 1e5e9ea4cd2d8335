"""Send-time rules as pure functions: consent, contact hours in the customer's zone, frequency."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from crm.customers.models import ContactConsent, Customer
from crm.messaging.policy import consent_problem, contact_slot, day_windows, send_decision

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# 2026-11-23 is a Monday.
MONDAY_0700_NY = dt.datetime(2026, 11, 23, 7, 0, tzinfo=NEW_YORK)


def _customer(**fields: object) -> Customer:
    base: dict[str, object] = {
        "name": "Maria Gonzalez",
        "email": "maria@example.com",
        "phone": "+13055550100",
        "timezone": "America/New_York",
    }
    return Customer(**(base | fields))


@pytest.fixture
def quiet_nights(settings):  # type: ignore[no-untyped-def]
    settings.QUIET_HOURS_START = "21:00"
    settings.QUIET_HOURS_END = "08:00"


@pytest.mark.usefixtures("quiet_nights")
def test_before_eight_is_deferred_to_eight_in_the_customers_zone() -> None:
    # given a customer in New York and 07:00 there
    customer = _customer()
    # when
    slot = contact_slot(customer, MONDAY_0700_NY)
    # then 08:00 New York time, same day
    assert slot == dt.datetime(2026, 11, 23, 8, 0, tzinfo=NEW_YORK)


@pytest.mark.usefixtures("quiet_nights")
def test_the_same_instant_is_fine_for_a_customer_in_another_zone() -> None:
    # given 07:00 in New York is 13:00 in Madrid
    customer = _customer(timezone="Europe/Madrid")
    # when
    slot = contact_slot(customer, MONDAY_0700_NY)
    # then it goes at once
    assert slot == MONDAY_0700_NY


@pytest.mark.usefixtures("quiet_nights")
def test_preferred_times_narrow_the_window_to_the_next_matching_day() -> None:
    # given the customer takes messages on Wednesdays 18:00-22:00 only
    customer = _customer(preferred_contact_times=[{"day": "wed", "start": "18:00", "end": "22:00"}])
    # when asked on Monday morning
    slot = contact_slot(customer, MONDAY_0700_NY)
    # then Wednesday 18:00 (and their 22:00 is cut to 21:00 by the floor)
    assert slot == dt.datetime(2026, 11, 25, 18, 0, tzinfo=NEW_YORK)
    assert day_windows(customer.preferred_contact_times, 2) == [(18 * 60, 21 * 60)]


@pytest.mark.usefixtures("quiet_nights")
def test_preferred_times_that_never_meet_the_floor_fall_back_to_it() -> None:
    # given a preference entirely inside quiet hours
    customer = _customer(preferred_contact_times=[{"day": "mon", "start": "22:00", "end": "23:00"}])
    # when
    slot = contact_slot(customer, MONDAY_0700_NY)
    # then the floor alone decides: 08:00
    assert slot == dt.datetime(2026, 11, 23, 8, 0, tzinfo=NEW_YORK)


def test_opt_out_stops_service_messages_too() -> None:
    # given an opt-out on WhatsApp
    consent = ContactConsent(channel="WhatsApp", marketing_opt_in=True, opted_out_at=MONDAY_0700_NY)
    # when / then
    assert consent_problem(consent, channel="WhatsApp", purpose="Service") == (
        "The customer opted out of WhatsApp on Mon, Nov 23, 2026."
    )


def test_marketing_needs_an_explicit_opt_in_service_does_not() -> None:
    assert consent_problem(None, channel="SMS", purpose="Marketing") == (
        "The customer has not opted in to marketing by SMS."
    )
    assert consent_problem(None, channel="SMS", purpose="Service") == ""


def test_marketing_waits_for_the_frequency_gap() -> None:
    # given a Moderate customer (one marketing message per 14 days) messaged 3 days ago
    customer = _customer(communication_frequency_preference="Moderate")
    consent = ContactConsent(channel="Email", marketing_opt_in=True)
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    # when
    decision = send_decision(
        customer=customer,
        channel="Email",
        purpose="Marketing",
        consent=consent,
        last_marketing_at=now - dt.timedelta(days=3),
        now=now,
    )
    # then deferred to 14 days after the last one
    assert decision.action == "defer"
    assert decision.until == now + dt.timedelta(days=11)
    assert decision.reason.startswith("Frequency preference Moderate")


def test_service_messages_ignore_the_frequency_gap() -> None:
    customer = _customer(communication_frequency_preference="Minimal")
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    decision = send_decision(
        customer=customer,
        channel="Email",
        purpose="Service",
        consent=None,
        last_marketing_at=now - dt.timedelta(days=1),
        now=now,
    )
    assert decision.action == "send"


def test_no_address_cancels() -> None:
    customer = _customer(phone="")
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    decision = send_decision(
        customer=customer,
        channel="SMS",
        purpose="Service",
        consent=None,
        last_marketing_at=None,
        now=now,
    )
    assert (decision.action, decision.reason) == (
        "cancel",
        "The customer has no phone number for SMS.",
    )
