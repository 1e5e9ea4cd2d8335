"""On my way on the Customer View's job card (issue 14), at desk and phone width: a refused
ETA stays in the modal with its error; a good one sends and the confirmation says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, ScheduledMessage
from crm.technicians.tests.factories import TechnicianFactory
from tests.e2e.conftest import (
    VIEWPORTS,
    signed_in_at,
    staff_user_create,
)
from tests.e2e.test_customer_view import opened, settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def visit(transactional_db: None) -> Job:
    """Maria's booked visit with Sam; Maria prefers SMS."""
    staff_user_create()
    maria = CustomerFactory(name="Maria Gonzalez", preferred_contact_method="SMS")
    job: Job = JobFactory(
        customer=maria, technician=TechnicianFactory(name="Sam Ortiz"),
        description="Fridge is warm",
    )  # fmt: skip
    return job


@pytest.fixture(params=list(VIEWPORTS))
def customer_view(
    request: pytest.FixtureRequest, page: Page, live_server: Any, visit: Job
) -> Iterator[Page]:
    with signed_in_at(page, live_server.url, request.param, visit.customer_id):
        yield page


def test_press_on_my_way_on_the_job_card_and_see_the_confirmation(
    customer_view: Page, visit: Job, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    page = customer_view
    card = page.locator(f"#job-{visit.pk}")
    settle(page)
    card.get_by_role("link", name="On my way").click()
    dialog = opened(page, "On my way")
    # a negative ETA is refused next to the field, nothing sent
    dialog.get_by_label("Arriving in (minutes)").fill("-5")
    dialog.get_by_role("button", name="Send now").click()
    expect(dialog.locator("#id_eta_minutes_error, .errorlist").first).to_contain_text(
        "greater than or equal to 1"
    )
    assert not ScheduledMessage.objects.filter(source=MessageSource.ON_MY_WAY).exists()
    # 25 minutes: sent, and the confirmation says so
    dialog.get_by_label("Arriving in (minutes)").fill("25")
    dialog.get_by_role("button", name="Send now").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#toast")).to_contain_text("On my way sent: arriving in about 25 minutes")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / f"on-my-way-{request.node.callspec.id}.png")
    message = ScheduledMessage.objects.get(source=MessageSource.ON_MY_WAY)
    assert message.body.startswith("Sam Ortiz from ")
    assert message.body.endswith("is on the way, arriving in about 25 minutes.")
