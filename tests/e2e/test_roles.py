"""Roles in headless Chromium: a Technician's My visits on a 390 px phone, an Owner's users page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from crm.activities.models import Activity, ActivityKind
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.roles import Role, user_role, user_technician_id
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job, JobStatus
from crm.jobs.tests.factories import JobFactory, PaymentFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory
from tests.e2e.conftest import PASSWORD, staff_user_create

# Script errors and dialogs are collected, and htmx waited for, as on the Customer View.
from tests.e2e.test_customer_view import opened, page_errors, settle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _sign_in(page: Page, url: str, username: str) -> None:
    page.set_default_timeout(10_000)
    # The live server's first request imports every view and the API (seconds on a busy machine).
    page.goto(f"{url}/login/", timeout=60_000)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def visit(transactional_db: None) -> Job:
    """Tess, a technician who signs in, with a visit to Ana in two hours; money on the job."""
    tess = TechnicianFactory(name="Tess Field")
    tess.user = staff_user_create("tess", Role.TECHNICIAN)
    tess.save()
    address = "12 Ocean Drive, Apartment 4B, Miami Beach, FL 33139"
    ana = CustomerFactory(name="Ana Ruiz", phone="+13055550101", address=address)
    dryer = ApplianceFactory(customer=ana, type="Dryer", brand="Bosch", model_number="WTG86400UC")
    JobFactory(customer=ana, technician=tess, appliance=dryer, status=JobStatus.COMPLETED,
               scheduled_for=timezone.now() - dt.timedelta(days=200),
               completed_at=timezone.now() - dt.timedelta(days=200),
               description="Squeaking drum", outcome="New drum belt")  # fmt: skip
    job = JobFactory(customer=ana, technician=tess, appliance=dryer,
                     scheduled_for=timezone.now() + dt.timedelta(hours=2),
                     description="Dryer does not heat")  # fmt: skip
    PaymentFactory(customer=ana, job=job, amount=Decimal("987.65"))
    return job


def test_my_visits_on_a_phone_start_complete_and_note(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    visit: Job,
    artifacts: Path,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given Tess signs in on a 390 px phone
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, "tess")
    # then she lands on My visits, with the visit, call and map links, the appliance's history
    page.wait_for_url("**/my-visits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My visits")
    card = page.locator(f"#visit-{visit.pk}")
    expect(card).to_contain_text("Ana Ruiz")
    expect(card.get_by_role("link", name="Call (305) 555-0101")).to_have_attribute(
        "href", "tel:+13055550101"
    )
    expect(card.locator("a.visit-map")).to_have_attribute(
        "href",
        "https://www.google.com/maps/search/?api=1&query=12+Ocean+Drive%2C+Apartment+4B%2C+Miami+Beach%2C+FL+33139",
    )
    card.get_by_text("Dryer · Bosch WTG86400UC").click()
    expect(card).to_contain_text("Squeaking drum — New drum belt")
    expect(page.locator("body")).not_to_contain_text("987.65")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Customers")
    # and nothing is wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=artifacts / "my-visits-390.png", full_page=True)
    # when she starts the visit
    card.get_by_role("button", name="Start").click()
    expect(card).to_contain_text("In progress")
    settle(page)
    # and adds a note
    card.get_by_role("link", name="Add note").click()
    dialog = opened(page, "Note: Ana Ruiz")
    dialog.get_by_label("Note").fill("Gate code 4411")
    dialog.get_by_role("button", name="Add note").click()
    expect(dialog).to_be_hidden()
    # and completes it with labour, parts and outcome
    settle(page)
    card.get_by_role("link", name="Complete").click()
    dialog = opened(page, "Complete: Ana Ruiz")
    dialog.get_by_label("Labour hours").fill("1.5")
    dialog.get_by_label("Parts used").fill("Thermal fuse")
    dialog.get_by_label("Outcome").fill("Replaced the fuse; heats again")
    page.screenshot(path=artifacts / "my-visits-complete-390.png")
    dialog.get_by_role("button", name="Complete visit").click()
    expect(dialog).to_be_hidden()
    expect(card).to_contain_text("Completed")
    expect(card.get_by_role("link", name="Complete")).to_have_count(0)
    # then the job and the timeline say so
    job = Job.objects.get(pk=visit.pk)
    assert (job.status, job.labor_hours) == (JobStatus.COMPLETED, Decimal("1.50"))
    assert job.outcome == "Replaced the fuse; heats again\nParts: Thermal fuse"
    note = Activity.objects.get(kind=ActivityKind.NOTE)
    assert (note.content, note.job_id) == ("Gate code 4411", visit.pk)
    assert page_errors == []


def test_an_owner_adds_a_technician_user_then_deactivates_an_office_user(  # type: ignore[no-untyped-def]
    page: Page,
    live_server,
    transactional_db: None,
    artifacts: Path,
    page_errors: list[str],  # noqa: F811
) -> None:
    # given an Owner, an Office user and a technician record with no user
    staff_user_create("boss", Role.OWNER)
    staff_user_create("olga", Role.OFFICE)
    tess = TechnicianFactory(name="Tess Field")
    _sign_in(page, live_server.url, "boss")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    # when the Owner adds Tess as a Technician linked to her record
    page.get_by_role("link", name="Add user").click()
    dialog = opened(page, "Add user")
    dialog.get_by_label("Username").fill("tess")
    dialog.get_by_label("Role").select_option("Technician")
    dialog.get_by_label("Technician record").select_option(label=f"Tess Field (#{tess.pk})")
    dialog.get_by_role("button", name="Save user").click()
    # then the dialog shows her generated password once, and the list has her
    created = opened(page, "User tess added")
    expect(created.locator("#new-password")).not_to_be_empty()
    page.screenshot(path=artifacts / "users-added.png")
    created.get_by_role("button", name="Done").click()
    row = page.locator("#results tbody tr", has_text="tess")
    expect(row).to_contain_text("Technician")
    expect(row).to_contain_text("Tess Field")
    user = get_user_model().objects.get(username="tess")
    assert (user_role(user), user_technician_id(user)) == (Role.TECHNICIAN, tess.pk)
    # when the Owner deactivates Olga
    olga = page.locator("#results tbody tr", has_text="olga")
    olga.get_by_role("button", name="Deactivate").click()
    # then she is shown deactivated and cannot sign in any more
    expect(olga).to_contain_text("Deactivated")
    assert not get_user_model().objects.get(username="olga").is_active
    assert Technician.objects.get(pk=tess.pk).user_id == user.pk
    assert page_errors == []
