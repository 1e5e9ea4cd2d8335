"""A visit at one of the customer's service locations (issue 14): the job API's locationId, the
Edit job form and the booking form, which offers the locations and fills in the address."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.services.booking import VisitRequest, visit_book
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = "application/json"
DAY = dt.date(2030, 12, 10)


def _landlord() -> tuple[Customer, ServiceLocation, ServiceLocation]:
    customer = CustomerFactory(name="Lena Landlord", address="1 Main St")
    home = ServiceLocation.objects.create(customer=customer, label="Home", address="1 Main St")
    rental = ServiceLocation.objects.create(
        customer=customer, label="Rental", address="12 Oak St", timezone="America/Chicago"
    )
    return customer, home, rental


# ---- The job API ---------------------------------------------------------------------------


def test_a_job_is_created_and_moved_at_the_customers_locations(staff_client: Client) -> None:
    # given
    customer, home, rental = _landlord()
    # when
    created = staff_client.post(
        "/api/add-job", {"customerId": customer.pk, "description": "Leak", "locationId": rental.pk},
        content_type=JSON,
    )  # fmt: skip
    job_id = created.json()["id"]
    moved = staff_client.put(f"/api/update-job/{job_id}", {"locationId": home.pk},
                             content_type=JSON)  # fmt: skip
    # then
    assert (created.status_code, created.json()["locationId"]) == (201, rental.pk)
    assert (moved.status_code, moved.json()["locationId"]) == (200, home.pk)
    assert Job.objects.get().location == home


def test_a_job_at_another_customers_or_an_unused_location_is_a_422(staff_client: Client) -> None:
    # given
    customer, home, rental = _landlord()
    _, others, _ = _landlord()
    ServiceLocation.objects.filter(pk=rental.pk).update(active=False)
    job = JobFactory(customer=customer, location=home)
    # when
    responses = [
        staff_client.post("/api/add-job", {"customerId": customer.pk, "description": "Leak",
                                           "locationId": location.pk}, content_type=JSON)
        for location in (others, rental)
    ] + [staff_client.put(f"/api/update-job/{job.pk}", {"locationId": others.pk},
                          content_type=JSON)]  # fmt: skip
    # then
    assert [response.status_code for response in responses] == [422, 422, 422]
    assert {error["field"] for r in responses for error in r.json()["errors"]} == {"locationId"}
    assert list(Job.objects.values_list("pk", "location_id")) == [(job.pk, home.pk)]


def test_the_edit_job_form_offers_the_locations_and_saves_one(staff_client: Client) -> None:
    # given
    customer, _, rental = _landlord()
    job = JobFactory(customer=customer, description="Leak", location=None)
    url = reverse("job-edit", args=[customer.pk, job.pk])
    # when
    page = staff_client.get(url, **HTMX).content.decode()
    data = {"status": job.status, "labor_hours": "1.00", "description": "Leak",
            "location": str(rental.pk)}  # fmt: skip
    saved = staff_client.post(url, data, **HTMX)
    # then
    assert "The customer&#x27;s own address" in page
    assert f'<option value="{rental.pk}">Rental: 12 Oak St</option>' in page
    assert saved.status_code == 204
    job.refresh_from_db()
    assert job.location == rental


# ---- Booking ---------------------------------------------------------------------------


def _request(customer_id: int, **changes: Any) -> VisitRequest:
    values: dict[str, Any] = {
        "customer_id": customer_id, "appliance_id": None, "problem": "Washer leaks",
        "day": DAY, "window_key": "10:00-12:00", "technician_id": None, "service_address": "",
        "estimated_price": Decimal("120.00"),
    }  # fmt: skip
    return VisitRequest(**(values | changes))


def test_a_visit_at_a_location_goes_to_its_address_unless_another_is_given() -> None:
    # given
    customer, _, rental = _landlord()
    # when
    at_rental = visit_book(request=_request(customer.pk, location_id=rental.pk))
    typed = visit_book(
        request=_request(customer.pk, location_id=rental.pk, service_address="Flat 2, 12 Oak St",
                         window_key="14:00-16:00")
    )  # fmt: skip
    at_home = visit_book(request=_request(customer.pk, window_key="12:00-14:00"))
    # then
    assert (at_rental.location, at_rental.service_address) == (rental, "12 Oak St")
    assert (typed.location, typed.service_address) == (rental, "Flat 2, 12 Oak St")
    assert (at_home.location, at_home.service_address) == (None, "1 Main St")


def test_the_booking_form_offers_the_locations_each_with_its_address(
    staff_client: Client,
) -> None:
    # given
    customer, home, rental = _landlord()
    ServiceLocation.objects.create(customer=customer, label="Old", address="9 Elm", active=False)
    # when
    page = staff_client.get(reverse("job-new", args=[customer.pk]), **HTMX).content.decode()
    # then the select fills the service address from the chosen one (app.js), Home chosen
    assert 'data-fills="booking-service_address"' in page
    options = re.findall(r'<option value="(\d+)"( selected)? data-fill="([^"]*)">([^<]*)<', page)
    assert options == [
        (str(home.pk), " selected", "1 Main St", "Home: 1 Main St"),
        (str(rental.pk), "", "12 Oak St", "Rental: 12 Oak St"),
    ]


def test_the_booking_form_books_at_the_chosen_location_and_refuses_anothers(
    staff_client: Client,
) -> None:
    # given
    customer, _, rental = _landlord()
    _, others, _ = _landlord()
    url = reverse("job-new", args=[customer.pk])
    data = {"problem": "Leak", "service_address": "", "day": DAY.isoformat(),
            "arrival_window": "10:00-12:00", "technician": "", "estimated_price": "",
            "appliance": ""}  # fmt: skip
    # when
    refused = staff_client.post(url, data | {"location": str(others.pk)}, **HTMX)
    booked = staff_client.post(url, data | {"location": str(rental.pk)}, **HTMX)
    # then
    assert refused.status_code == 422
    assert 'id="booking-location_error"' in refused.content.decode()
    assert booked.status_code == 204
    job = Job.objects.get()
    assert (job.location, job.service_address) == (rental, "12 Oak St")


def test_a_customer_with_no_location_is_asked_none(staff_client: Client) -> None:
    # given
    customer = CustomerFactory(address="")
    # when
    page = staff_client.get(reverse("job-new", args=[customer.pk]), **HTMX).content.decode()
    # then
    assert 'name="location"' not in page
