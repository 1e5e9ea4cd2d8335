"""Booking a visit in one form (issue 13): the service's refusals, who is free in a window (its
query count pinned), the Suggest reasons in words, and the views (422 saves nothing)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.choices import ApplianceType
from crm.core.company import company
from crm.core.dates import company_today
from crm.core.errors import ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.engagement.selectors.booking import (
    Availability,
    technician_slots,
    technician_suggest,
    visit_booked_text,
    window_bounds,
)
from crm.engagement.services.booking import VisitRequest, visit_book
from crm.jobs.models import Job, JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = dt.date(2030, 12, 10)  # a Tuesday, far enough ahead that no window has started
MORNING, LATE_MORNING = "08:00-10:00", "10:00-12:00"


def _window(key: str) -> Any:
    return next(w for w in company().arrival_windows if w.key == key)


def _at(key: str, day: dt.date = DAY) -> dt.datetime:
    return window_bounds(day, _window(key))[0]


def _request(customer_id: int, **changes: Any) -> VisitRequest:
    values: dict[str, Any] = {
        "customer_id": customer_id, "appliance_id": None, "problem": "Washer leaks",
        "day": DAY, "window_key": LATE_MORNING, "technician_id": None, "service_address": "",
        "estimated_price": Decimal("120.00"),
    }  # fmt: skip
    return VisitRequest(**(values | changes))


# ---- The service ---------------------------------------------------------------------------


def test_a_booking_is_a_scheduled_job_at_the_window_start_at_the_customers_address() -> None:
    # given a customer with a washer and a free technician
    customer = CustomerFactory(address="12 Elm St")
    washer = ApplianceFactory(customer=customer, type=ApplianceType.WASHING_MACHINE, brand="Bosch")
    ana = TechnicianFactory(name="Ana Ruiz")
    # when the office books the 10-12 window
    job = visit_book(request=_request(customer.pk, appliance_id=washer.pk, technician_id=ana.pk))
    # then the job holds the window, the address and the price
    job.refresh_from_db()
    assert (job.status, job.scheduled_for, job.arrival_window) == (
        JobStatus.SCHEDULED, _at(LATE_MORNING), LATE_MORNING,
    )  # fmt: skip
    assert (job.service_address, job.estimated_price, job.description) == (
        "12 Elm St", Decimal("120.00"), "Washer leaks",
    )  # fmt: skip
    assert (
        visit_booked_text(job)
        == "Visit booked: Tue, Dec 10, 10-12, Ana Ruiz, Bosch Washing machine"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day": DAY - dt.timedelta(days=3650)}, "arrivalWindow", "has already started"),
        ({"window_key": "09:00-11:00"}, "arrivalWindow", "Pick one of the arrival windows"),
        ({"estimated_price": Decimal("-1")}, "estimatedPrice", "below zero"),
    ],
)
def test_a_window_that_started_or_does_not_exist_is_refused(
    changes: dict[str, Any], field: str, message: str
) -> None:
    customer = CustomerFactory()
    with pytest.raises(ValidationFailed) as refused:
        visit_book(request=_request(customer.pk, **changes))
    assert refused.value.field == field
    assert message in refused.value.message
    assert Job.objects.count() == 0


def test_the_window_in_progress_today_is_refused() -> None:
    # given the 10-12 window has just begun
    customer = CustomerFactory()
    now = _at(LATE_MORNING) + dt.timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as refused:
        visit_book(request=_request(customer.pk), now=now)
    assert refused.value.message == (
        "The 10-12 window on Tue, Dec 10 has already started: pick a later one."
    )
    # while the next one is still open
    assert visit_book(request=_request(customer.pk, window_key="12:00-14:00"), now=now).pk


def test_an_inactive_busy_or_full_technician_is_refused_and_nothing_is_saved() -> None:
    customer = CustomerFactory()
    gone = TechnicianFactory(active=False)
    busy = TechnicianFactory(name="Lee Chan")
    full = TechnicianFactory(name="Tom Baker", daily_capacity=2)
    JobFactory(technician=busy, scheduled_for=_at(LATE_MORNING), arrival_window=LATE_MORNING)
    JobFactory(technician=full, scheduled_for=_at(MORNING), arrival_window=MORNING)
    JobFactory(technician=full, scheduled_for=_at("14:00-16:00"))
    before = Job.objects.count()
    expected = {
        gone.pk: "That technician no longer takes visits: pick another.",
        busy.pk: "Lee Chan already has a visit Tue, Dec 10, 10-12: pick another technician "
        "or window.",
        full.pk: "Tom Baker is full on Tue, Dec 10 (2 visits): pick another technician or day.",
    }
    for technician_id, message in expected.items():
        with pytest.raises(ValidationFailed) as refused:
            visit_book(request=_request(customer.pk, technician_id=technician_id))
        assert (refused.value.field, refused.value.message) == ("technicianId", message)
    assert Job.objects.count() == before


def test_an_appliance_of_another_customer_is_refused() -> None:
    customer = CustomerFactory()
    theirs = ApplianceFactory()
    with pytest.raises(ValidationFailed) as refused:
        visit_book(request=_request(customer.pk, appliance_id=theirs.pk))
    assert refused.value.field == "applianceId"
    assert Job.objects.count() == 0


def test_the_database_refuses_a_negative_estimated_price() -> None:
    job = JobFactory()
    with pytest.raises(IntegrityError):
        Job.objects.filter(pk=job.pk).update(estimated_price=Decimal("-0.01"))


# ---- Who is free ---------------------------------------------------------------------------


def test_who_is_free_in_a_window_in_two_queries_however_many_technicians() -> None:
    # given a free, a busy, a full and an inactive technician, and a cancelled visit
    free = TechnicianFactory(name="A Free")
    busy = TechnicianFactory(name="B Busy")
    full = TechnicianFactory(name="C Full", daily_capacity=1)
    TechnicianFactory(name="D Gone", active=False)
    JobFactory(technician=busy, scheduled_for=_at(MORNING) + dt.timedelta(hours=2, minutes=30))
    JobFactory(technician=full, scheduled_for=_at(MORNING), arrival_window=MORNING)
    JobFactory(technician=free, scheduled_for=_at(LATE_MORNING), status=JobStatus.CANCELLED)
    TechnicianFactory.create_batch(5)
    # when the 10-12 window is asked about
    with CaptureQueriesContext(connection) as queries:
        slots = technician_slots(day=DAY, window=_window(LATE_MORNING))
    # then every active technician is there with their state, in two queries
    assert len(queries) == 2
    assert [(s.technician.name, s.availability, s.label) for s in slots[:3]] == [
        ("A Free", Availability.FREE, "free"),
        ("B Busy", Availability.BUSY, "busy 10-12"),
        ("C Full", Availability.FULL, "full that day"),
    ]
    assert len(slots) == 8


def test_a_visit_booked_8_to_10_does_not_hold_the_10_to_12_window() -> None:
    technician = TechnicianFactory()
    JobFactory(technician=technician, scheduled_for=_at(MORNING), arrival_window=MORNING)
    (slot,) = technician_slots(day=DAY, window=_window(LATE_MORNING))
    assert slot.free
    (slot,) = technician_slots(day=DAY, window=_window(MORNING))
    assert slot.availability == Availability.BUSY


def test_suggest_picks_the_best_free_technician_with_reasons_in_words() -> None:
    # given a washer specialist who is busy then, and another who is free and well rated
    customer = CustomerFactory()
    washer = ApplianceFactory(customer=customer, type=ApplianceType.WASHING_MACHINE)
    busy = TechnicianFactory(name="Best But Busy", years_experience=20)
    free = TechnicianFactory(name="Ana Ruiz", years_experience=12)
    TechnicianFactory(name="Dryer Only", specialties=[ApplianceType.DRYER])
    CustomerTechnicianRatingFactory(customer=customer, technician=busy, rating=5)
    CustomerTechnicianRatingFactory(customer=customer, technician=free, rating=5)
    JobFactory(technician=busy, scheduled_for=_at(LATE_MORNING), arrival_window=LATE_MORNING)
    # when Suggest runs for 10-12
    suggestion = technician_suggest(
        customer=customer, appliance=washer, problem="", day=DAY, window=_window(LATE_MORNING)
    )
    # then the free specialist is chosen, the reasons are words without scores
    assert suggestion.technician == free
    assert suggestion.reasons == (
        "Repairs washing machines · Rated 5.0/5 over 1 rating · This customer rated them 5/5 · "
        "free Tue, Dec 10, 10-12"
    )


def test_suggest_says_which_evidence_broke_a_tie() -> None:
    # given two free washer specialists with the same record but their years
    customer = CustomerFactory()
    washer = ApplianceFactory(customer=customer, type=ApplianceType.WASHING_MACHINE)
    TechnicianFactory(name="Abel New", years_experience=2)
    veteran = TechnicianFactory(name="Zack Old", years_experience=15)
    # when
    suggestion = technician_suggest(
        customer=customer, appliance=washer, problem="", day=DAY, window=_window(LATE_MORNING)
    )
    # then the veteran, and the reason said (not the name that sorts first)
    assert suggestion.technician == veteran
    assert "Picked over Abel New (an even match): more years of experience (15 vs 2)" in (
        suggestion.reasons
    )


def test_suggest_says_so_when_nobody_is_free() -> None:
    customer = CustomerFactory()
    busy = TechnicianFactory()
    JobFactory(technician=busy, scheduled_for=_at(LATE_MORNING), arrival_window=LATE_MORNING)
    suggestion = technician_suggest(
        customer=customer, appliance=None, problem="oven", day=DAY, window=_window(LATE_MORNING)
    )
    assert suggestion.technician is None
    assert suggestion.reasons == (
        "No technician is free Tue, Dec 10, 10-12: pick another day or window."
    )


# ---- The views -----------------------------------------------------------------------------


def _form(**changes: Any) -> dict[str, Any]:
    return {"problem": "Washer leaks", "service_address": "12 Elm St", "day": DAY.isoformat(),
            "arrival_window": LATE_MORNING, "technician": "", "estimated_price": "95.50",
            "appliance": ""} | changes  # fmt: skip


def test_the_form_lists_who_is_free_and_the_customers_addresses(staff_client: Client) -> None:
    customer = CustomerFactory(address="12 Elm St")
    JobFactory(customer=customer, service_address="Lake cabin, 4 Shore Rd")
    TechnicianFactory(name="Ana Ruiz")
    page = staff_client.get(reverse("job-new", args=[customer.pk]), **HTMX).content.decode()
    assert 'id="modal-title">New job for' in page
    assert "Ana Ruiz · free" in page
    assert '<option value="Lake cabin, 4 Shore Rd">' in page
    assert 'value="12 Elm St"' in page
    for name in ("appliance", "problem", "service_address", "day", "arrival_window",
                 "technician-select", "estimated_price"):  # fmt: skip
        assert f'for="booking-{name}"' in page


def test_a_booked_window_comes_back_422_next_to_the_technician_and_saves_nothing(
    staff_client: Client,
) -> None:
    customer = CustomerFactory()
    lee = TechnicianFactory(name="Lee Chan")
    JobFactory(technician=lee, scheduled_for=_at(LATE_MORNING), arrival_window=LATE_MORNING)
    url = reverse("job-new", args=[customer.pk])
    response = staff_client.post(url, _form(technician=str(lee.pk)), **HTMX)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="booking-technician-error"' in page
    assert "Lee Chan already has a visit Tue, Dec 10, 10-12" in page
    assert "Lee Chan · busy 10-12" in page
    assert not Job.objects.filter(customer=customer).exists()


def test_a_past_window_comes_back_422_next_to_the_window(staff_client: Client) -> None:
    customer = CustomerFactory()
    yesterday = (company_today() - dt.timedelta(days=1)).isoformat()
    url = reverse("job-new", args=[customer.pk])
    response = staff_client.post(url, _form(day=yesterday), **HTMX)
    assert response.status_code == 422
    assert 'id="booking-arrival_window_error"' in response.content.decode()
    assert not Job.objects.filter(customer=customer).exists()


def test_a_booking_answers_204_with_the_confirmation_and_the_jobs_card_reloads(
    staff_client: Client,
) -> None:
    customer = CustomerFactory()
    ana = TechnicianFactory(name="Ana Ruiz")
    url = reverse("job-new", args=[customer.pk])
    response = staff_client.post(url, _form(technician=str(ana.pk)), **HTMX)
    assert response.status_code == 204
    job = Job.objects.get(customer=customer)
    events = json.loads(response["HX-Trigger"])
    assert {"jobs-changed", "today-visits-changed"} <= set(events)
    assert events["crm:confirmed"]["text"] == "Visit booked: Tue, Dec 10, 10-12, Ana Ruiz"
    assert events["crm:confirmed"]["link"].endswith(f"/customers/{customer.pk}/#job-{job.pk}")
    assert job.estimated_price == Decimal("95.50")


def test_a_plain_post_lands_on_the_customer_view_with_the_confirmation(
    staff_client: Client,
) -> None:
    customer = CustomerFactory()
    url = reverse("job-new", args=[customer.pk])
    response = staff_client.post(url, _form(), follow=True)
    assert "Visit booked: Tue, Dec 10, 10-12, no technician yet" in response.content.decode()


def test_the_technician_field_reloads_for_the_window_and_suggest_fills_it(
    staff_client: Client,
) -> None:
    customer = CustomerFactory()
    lee = TechnicianFactory(name="Lee Chan", years_experience=3)
    JobFactory(technician=lee, scheduled_for=_at(MORNING), arrival_window=MORNING)
    url = reverse("job-technicians", args=[customer.pk])
    morning = staff_client.get(url, _form(arrival_window=MORNING), **HTMX).content.decode()
    assert "Lee Chan · busy 8-10" in morning
    later = staff_client.get(url, _form(problem="fridge warm", suggest="1"), **HTMX)
    page = later.content.decode()
    assert f'<option value="{lee.pk}" selected>Lee Chan · free</option>' in page
    assert (
        "Repairs refrigerators · No ratings yet · Has not served this customer yet · "
        "free Tue, Dec 10, 10-12"
    ) in page
    assert "0." not in page.split('id="booking-suggestion"')[1]


# Session, user, customer, appliance; matching: the customer's ratings, rating totals, the
# day's visits, the customer's visits, the technicians; Suggest's window (visits, technicians);
# the field's window again (visits, technicians).
SUGGEST_QUERIES = 13


@pytest.mark.parametrize("technicians", [1, 6])
def test_the_suggest_query_count_is_pinned(
    staff_client: Client, django_assert_num_queries: Any, technicians: int
) -> None:
    # given a customer with history, and any number of technicians with ratings and visits
    customer = CustomerFactory()
    fridge = ApplianceFactory(customer=customer)
    for _ in range(technicians):
        technician = TechnicianFactory()
        CustomerTechnicianRatingFactory(customer=customer, technician=technician, rating=4)
        JobFactory(customer=customer, appliance=fridge, technician=technician, status="Completed",
                   completed_at=_at(MORNING) - dt.timedelta(days=90))  # fmt: skip
        JobFactory(technician=technician, scheduled_for=_at(MORNING), arrival_window=MORNING)
    url = reverse("job-technicians", args=[customer.pk])
    form = _form(problem="fridge warm", suggest="1", appliance=str(fridge.pk))
    # when / then
    with django_assert_num_queries(SUGGEST_QUERIES):
        response = staff_client.get(url, form, **HTMX)
    assert 'id="booking-suggestion"' in response.content.decode()


def test_new_job_from_today_finds_the_customer_first(staff_client: Client) -> None:
    customer = CustomerFactory(name="Maria Gonzalez")
    page = staff_client.get(reverse("job-book"), {"q": "Maria"}).content.decode()
    assert f'href="{reverse("job-new", args=[customer.pk])}"' in page
    assert 'for="booking-customer-search"' in page


def test_the_window_defaults_to_the_next_open_one() -> None:
    from crm.engagement.selectors.booking import next_open_window

    late = timezone.make_aware(dt.datetime.combine(DAY, dt.time(23, 0)))
    assert next_open_window(now=late) == (DAY + dt.timedelta(days=1), _window(MORNING))
    early = timezone.make_aware(dt.datetime.combine(DAY, dt.time(9, 0)))
    assert next_open_window(now=early) == (DAY, _window(LATE_MORNING))


# ---- The API: the new fields are optional, the old contract stands ---------------------------


def test_the_api_takes_and_shows_the_address_and_estimated_price(staff_client: Client) -> None:
    customer = CustomerFactory(address="12 Elm St")
    plain = staff_client.post(
        "/api/add-job", {"customerId": customer.pk, "description": "Noisy dryer"},
        content_type="application/json",
    )  # fmt: skip
    priced = staff_client.post(
        "/api/add-job",
        {"customerId": customer.pk, "description": "Leak", "serviceAddress": "Lake cabin",
         "estimatedPrice": "80"},
        content_type="application/json",
    )  # fmt: skip
    negative = staff_client.post(
        "/api/add-job",
        {"customerId": customer.pk, "description": "Leak", "estimatedPrice": "-1"},
        content_type="application/json",
    )  # fmt: skip
    assert plain.status_code == 201
    assert {k: plain.json()[k] for k in ("arrivalWindow", "serviceAddress", "estimatedPrice")} == {
        "arrivalWindow": "", "serviceAddress": "", "estimatedPrice": None,
    }  # fmt: skip
    assert (priced.json()["serviceAddress"], priced.json()["estimatedPrice"]) == (
        "Lake cabin", "80.00",
    )  # fmt: skip
    assert negative.status_code == 422
    assert Job.objects.count() == 2


def test_the_technician_field_costs_the_same_queries_for_three_or_thirty_technicians(
    staff_client: Client,
) -> None:
    customer = CustomerFactory()
    url = reverse("job-technicians", args=[customer.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url, _form(), **HTMX).status_code == 200
        return len(captured)

    TechnicianFactory.create_batch(3)
    few = queries()
    for technician in TechnicianFactory.create_batch(27):
        JobFactory(technician=technician, scheduled_for=_at(LATE_MORNING))
    # session, user, customer; the technicians and that day's visits
    assert (few, queries()) == (5, 5)
