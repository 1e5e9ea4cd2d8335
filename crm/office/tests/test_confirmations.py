"""Every save names what changed: htmx gets it in the crm:confirmed event (the toast), a plain
post finds it on the page it is sent back to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from crm.appliances.tests.factories import ApplianceFactory
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PAYMENT = {"amount": "120.00", "date": "2026-11-20", "payment_method": "Card", "reference": ""}


def said(response: Any) -> str:
    return str(json.loads(response["HX-Trigger"])["crm:confirmed"]["text"])


def test_a_payment_names_its_amount(staff_client: Client) -> None:
    # given
    job = JobFactory(completed=True)
    # when
    response = staff_client.post(
        f"/customers/{job.customer_id}/jobs/{job.pk}/payments/new/", PAYMENT, **HTMX
    )
    # then
    assert said(response) == "Payment of $120.00 added"


def test_removing_an_appliance_names_it(staff_client: Client) -> None:
    # given
    appliance = ApplianceFactory(brand="Bosch", type="Dishwasher")
    # when
    response = staff_client.post(
        f"/customers/{appliance.customer_id}/appliances/{appliance.pk}/delete/", **HTMX
    )
    # then
    assert said(response) == f"Appliance removed: {appliance}"


def test_a_plain_post_shows_the_confirmation_on_the_next_page(staff_client: Client) -> None:
    # given
    job = JobFactory(completed=True)
    # when
    response = staff_client.post(
        f"/customers/{job.customer_id}/jobs/{job.pk}/payments/new/", PAYMENT, follow=True
    )
    # then once, as a status message at the top of the page
    html = response.content.decode()
    assert '<ul class="messages" id="confirmations" role="status">' in html
    assert "Payment of $120.00 added" in html
    again = staff_client.get(f"/customers/{job.customer_id}/").content.decode()
    assert "Payment of $120.00 added" not in again
