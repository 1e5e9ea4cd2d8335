"""The Settings page: Owners only, grouped values marked when they follow the environment,
a save that names what changed, a refusal that stores nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from crm.core.company import company
from crm.core.models import CompanySettings
from crm.core.roles import Role
from crm.core.tests.factories import UserFactory
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.selectors.occasions import ANNIVERSARY, Occasion
from crm.engagement.services.greetings import greeting_fixed
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
URL = "/settings/"


def _posted(**changes: Any) -> dict[str, Any]:
    """The form as the page shows it with nothing stored (the environment's values), changed."""
    firm = company()
    values = {
        "name": firm.name, "address": firm.address, "country": firm.country,
        "subdivision": firm.subdivision, "currency_symbol": firm.currency_symbol,
        "working_hours": "Mon-Fri 08:00-18:00",
        "arrival_windows": ",".join(w.key for w in firm.arrival_windows),
        "quiet_hours_start": firm.quiet_hours_start, "quiet_hours_end": firm.quiet_hours_end,
        "review_link": firm.review_link, "greeting_lead_days": firm.greeting_lead_days,
        "followup_delay_days": firm.followup_delay_days,
    }  # fmt: skip
    return {**values, **changes}


@pytest.fixture(autouse=True)
def _environment(settings):  # type: ignore[no-untyped-def]
    settings.COMPANY_NAME = "Env Appliance Care"
    settings.COMPANY_WORKING_HOURS = settings.COMPANY_WORKING_HOURS  # the default week
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"
    settings.COMPANY_REVIEW_LINK = ""


def test_an_owner_sees_the_groups_and_which_values_are_the_environment_s(owner_client):
    # when
    response = owner_client.get(URL)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    for group in ("Company", "Hours", "Messages", "Reviews", "Reminders", "Channels"):
        assert f"<legend>{group}</legend>" in html
    assert 'value="Env Appliance Care"' in html
    assert 'id="name-default"' in html
    assert "(COMPANY_NAME)" in html
    assert 'href="/settings/" id="nav-settings"' in html


def test_a_save_stores_what_changed_and_says_so(owner_client):
    # when
    response = owner_client.post(
        URL, _posted(name="Frost & Sons", quiet_hours_start="20:00"), follow=True
    )
    # then
    html = response.content.decode()
    assert response.redirect_chain == [(URL, 302)]
    assert "Settings saved: company name, quiet hours" in html
    row = CompanySettings.objects.get()
    assert (row.name, row.quiet_hours_end, row.country) == ("Frost & Sons", None, None)
    assert 'id="name-default"' not in html
    assert 'id="country-default"' in html


def test_a_greeting_drafted_after_the_save_signs_with_the_new_name(owner_client):
    # given
    owner_client.post(URL, _posted(name="Frost & Sons"))
    # when
    text = greeting_fixed(
        first_name="Ana", occasion=Occasion(ANNIVERSARY, dt.date(2026, 5, 1), 2), language="en"
    )
    # then
    assert text.endswith("Warm regards,\nThe Frost & Sons Team")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "Select a valid choice"),
        ("subdivision", "ZZ", "ZZ is not a region of United States"),
        ("working_hours", "Mon-Fri 18:00-08:00", "Mon-Fri 08:00-18:00"),
        ("arrival_windows", "10:00 to 12:00", "Write windows like"),
        ("review_link", "http://example.com/r", "Enter a valid URL"),
        ("greeting_lead_days", "91", "less than or equal to 90"),
        ("currency_symbol", "dollars", "at most 4 characters"),
        ("name", "", "This field is required"),
    ],
)
def test_a_bad_value_answers_422_and_stores_nothing(owner_client, field, value, message):
    # when
    response = owner_client.post(URL, {**_posted(name="Frost & Sons"), field: value})
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not CompanySettings.objects.exists()
    assert company().name == "Env Appliance Care"


def test_office_and_technicians_cannot_open_settings(staff_client):
    # given
    technician = Client()
    technician.force_login(UserFactory(username="tech", role=Role.TECHNICIAN))
    # when
    answers = [c.get(URL).status_code for c in (staff_client, technician)]
    posted = staff_client.post(URL, _posted(name="Office Was Here")).status_code
    # then
    assert (answers, posted) == ([403, 403], 403)
    assert not CompanySettings.objects.exists()
    assert 'id="nav-settings"' not in staff_client.get("/today/").content.decode()


def test_the_checklist_points_an_owner_to_settings_for_the_review_link(owner_client):
    # given
    TechnicianFactory()
    CustomerFactory()
    # when
    html = owner_client.get("/today/").content.decode()
    # then
    assert 'id="first-run-review-link"' in html
    assert 'href="/settings/#settings-reviews"' in html
