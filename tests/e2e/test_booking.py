"""Booking a visit in one form (issue 13), in headless Chromium at desk and phone width: a refused
window first (a technician already booked then, a day already past), the error next to its
field and nothing saved; then the booking, its confirmation and the new visit on the Jobs card."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType
from crm.core.dates import company_today
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory
from tests.e2e.conftest import (
    VIEWPORTS,
    signed_in_at,
    staff_user_create,
)
from tests.e2e.test_customer_view import opened, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DAY = company_today() + dt.timedelta(days=7)
TOUCH = 44  # px: the least height of a control a thumb can hit


@pytest.fixture
def maria(transactional_db: None) -> Customer:
    """Maria with a washer; Lee is booked 10-12 on DAY, Ana (washers, 12 years) is free."""
    staff_user_create()
    maria = CustomerFactory(name="Maria Gonzalez", address="12 Elm St")
    ApplianceFactory(customer=maria, type=ApplianceType.WASHING_MACHINE, brand="Bosch")
    lee = TechnicianFactory(name="Lee Chan", years_experience=3, specialties=["Dryer"])
    TechnicianFactory(name="Ana Ruiz", years_experience=12, specialties=["WashingMachine"])
    start = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10)))
    JobFactory(technician=lee, scheduled_for=start, arrival_window="10:00-12:00")
    return maria


@pytest.fixture(params=list(VIEWPORTS))
def signed_in(
    request: pytest.FixtureRequest, page: Page, live_server: Any, maria: Customer
) -> Iterator[Page]:
    """Signed in through the login form (landing on Today), at desk or phone width."""
    with signed_in_at(page, live_server.url, request.param):
        yield page


def fits_a_phone(page: Page, dialog: Locator) -> None:
    """No sideways scrolling, and every control of the form is a thumb's height."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    controls = dialog.locator("form input:visible, form select:visible, form button:visible")
    assert controls.count() >= 9
    for index in range(controls.count()):
        box = controls.nth(index).bounding_box()
        assert box is not None
        assert box["height"] >= TOUCH - 0.5, controls.nth(index).get_attribute("id")


def choose_when(dialog: Locator, page: Page, day: dt.date, window: str) -> None:
    """Pick the day and the window; the technician list reloads for them."""
    dialog.get_by_label("Date").fill(day.isoformat())
    dialog.get_by_label("Date").dispatch_event("change")
    settle(page)
    dialog.get_by_label("Arrival window").select_option(label=window)
    settle(page)


def booked(page: Page, dialog: Locator) -> dict[str, Any]:
    """Press Book visit; the save's confirmation, as it travels to the page (crm:confirmed)."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        dialog.get_by_role("button", name="Book visit").click()
    assert answer.value.status == 204
    confirmation: dict[str, Any] = json.loads(answer.value.headers["hx-trigger"])["crm:confirmed"]
    expect(dialog).to_be_hidden()
    return confirmation


def test_booking_from_the_customer_view_refuses_a_booked_technician_then_suggests_one(
    signed_in: Page, live_server: Any, maria: Customer, artifacts: Path
) -> None:
    page = signed_in
    page.goto(f"{live_server.url}/customers/{maria.pk}/")
    page.evaluate("window.notReloaded = true")  # from here on, htmx only
    page.locator("#page-header").get_by_role("link", name="New job").click()
    dialog = opened(page, "New job for Maria Gonzalez")
    expect(dialog.get_by_label("Service address")).to_have_value("12 Elm St")
    dialog.get_by_label("Appliance").select_option(label="Bosch Washing machine")
    dialog.get_by_label("Problem").fill("Washer leaks at the door")
    choose_when(dialog, page, DAY, "10-12")
    technician = dialog.get_by_label("Technician")
    expect(technician).to_contain_text("Lee Chan · busy 10-12")
    expect(technician).to_contain_text("Ana Ruiz · free")
    fits_a_phone(page, dialog)
    # Lee is already booked 10-12: refused next to the field, nothing saved
    lee = Technician.objects.get(name="Lee Chan")
    technician.select_option(value=str(lee.pk))
    dialog.get_by_label("Estimated price ($)").fill("95.50")
    dialog.get_by_role("button", name="Book visit").click()
    error = dialog.locator("#booking-technician-error")
    expect(error).to_contain_text("Lee Chan already has a visit")
    expect(technician).to_have_attribute("aria-invalid", "true")
    assert not Job.objects.filter(customer=maria).exists()
    page.screenshot(path=str(artifacts / f"booking-refused-{page.viewport_size['width']}.png"))
    # Suggest: the best free technician, with reasons in words
    dialog.get_by_role("button", name="Suggest").click()
    suggestion = dialog.locator("#booking-suggestion")
    expect(suggestion).to_contain_text("Ana Ruiz")
    expect(suggestion).to_contain_text("Repairs washing machines · No ratings yet")
    ana = Technician.objects.get(name="Ana Ruiz")
    expect(dialog.get_by_label("Technician")).to_have_value(str(ana.pk))
    fits_a_phone(page, dialog)
    # Book: the confirmation says what was booked, with a link to it; the Jobs card shows it
    confirmation = booked(page, dialog)
    job = Job.objects.get(customer=maria)
    assert confirmation["text"] == (
        f"Visit booked: {DAY:%a}, {DAY:%b} {DAY.day}, 10-12, Ana Ruiz, Bosch Washing machine"
    )
    assert confirmation["link"] == f"/customers/{maria.pk}/#job-{job.pk}"
    # ... and the page shows it: the toast with the words and the link to the visit
    expect(page.locator("#toast .toast-text")).to_have_text(confirmation["text"])
    expect(page.locator("#toast .toast-link")).to_have_attribute("href", confirmation["link"])
    expect(page.locator(f"#job-{job.pk}")).to_contain_text("Ana Ruiz")
    expect(page.locator(f"#job-{job.pk}")).to_contain_text("Washer leaks at the door")
    assert (job.arrival_window, str(job.estimated_price), job.service_address) == (
        "10:00-12:00", "95.50", "12 Elm St",
    )  # fmt: skip


def test_booking_from_today_finds_the_customer_and_refuses_a_day_gone_by(
    signed_in: Page, maria: Customer, artifacts: Path
) -> None:
    page = signed_in
    page.locator("main").get_by_role("link", name="New job").click()
    picker = opened(page, "New job")
    picker.get_by_label("Customer").fill("Maria")
    picker.get_by_role("link", name="Maria Gonzalez").click()
    dialog = opened(page, "New job for Maria Gonzalez")
    dialog.get_by_label("Problem").fill("Washer will not drain")
    # A day already past: refused next to the window, nothing saved
    choose_when(dialog, page, company_today() - dt.timedelta(days=1), "8-10")
    dialog.get_by_role("button", name="Book visit").click()
    expect(dialog.locator("#booking-arrival_window_error")).to_contain_text("already started")
    assert not Job.objects.filter(customer=maria).exists()
    fits_a_phone(page, dialog)
    page.screenshot(path=str(artifacts / f"booking-today-{page.viewport_size['width']}.png"))
    # The next week's 2-4 window: booked, without a technician yet
    choose_when(dialog, page, DAY, "2-4")
    confirmation = booked(page, dialog)
    assert confirmation["text"] == (
        f"Visit booked: {DAY:%a}, {DAY:%b} {DAY.day}, 2-4, no technician yet"
    )
    job = Job.objects.get(customer=maria)
    assert (job.description, job.arrival_window) == ("Washer will not drain", "14:00-16:00")
