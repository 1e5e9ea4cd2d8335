"""The customers API: the customer fetch in a fixed number of queries, and refusals."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.services import api_token_create
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import JobFactory, PaymentFactory
from crm.referrals.models import Referral
from crm.referrals.services import referral_create
from crm.reviews.services import review_create
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

# Token lookup, then customer (with referredBy, preferred technician, referral received),
# payments, expenses, appliances, jobs (technician, review), referrals made,
# technician ratings, consents.
CUSTOMER_FETCH_QUERIES = 9


@pytest.fixture
def bearer_client(staff_user: Any) -> Client:
    _, raw = api_token_create(user=staff_user, name="api test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _customer_with_jobs(count: int) -> Customer:
    """A customer with `count` jobs, each with a payment and an expense; every relation filled."""
    technician = TechnicianFactory(name="Sam Ortiz")
    referrer, customer, referred = CustomerFactory.create_batch(3, preferred_technician=technician)
    referral_create(referrer_id=referrer.pk, referred_customer_id=customer.pk)
    referral_create(referrer_id=customer.pk, referred_customer_id=referred.pk)
    ContactConsentFactory(customer=customer)
    appliance = ApplianceFactory(customer=customer)
    done = timezone.now() - dt.timedelta(days=30)
    jobs = Job.objects.bulk_create(
        Job(customer=customer, technician=technician, appliance=appliance, status="Completed",
            description=f"visit {n}", scheduled_for=done, completed_at=done)
        for n in range(count)
    )  # fmt: skip
    Payment.objects.bulk_create(
        Payment(customer=customer, job=job, amount=Decimal("100.00"), date=dt.date(2026, 1, 5),
                payment_method="Card")
        for job in jobs
    )  # fmt: skip
    Expense.objects.bulk_create(
        Expense(customer=customer, job=job, amount=Decimal("30.00"), date=dt.date(2026, 1, 5),
                category="Parts")
        for job in jobs
    )  # fmt: skip
    review_create(job_id=jobs[0].pk, rating=4, comment="Fine")
    CustomerTechnicianRatingFactory(customer=customer, technician=technician, job=jobs[-1])
    return customer


@pytest.mark.parametrize("jobs", [5, 500])
def test_customer_fetch_takes_the_same_pinned_number_of_queries_for_5_and_500_jobs(
    jobs: int, bearer_client: Client
) -> None:
    # given: a customer with every relation filled, and a token already used once
    customer = _customer_with_jobs(jobs)
    bearer_client.get(f"/api/customer/{customer.pk}")
    # when
    with CaptureQueriesContext(connection) as queries:
        response = bearer_client.get(f"/api/customer/{customer.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert (len(body["jobs"]), len(body["payments"]), len(body["expenses"])) == (jobs,) * 3
    assert sum(job["review"] is not None for job in body["jobs"]) == 1
    assert body["jobs"][0]["financials"]["netProfit"] == "70.00"
    assert (len(body["referredCustomers"]), len(body["technicianRatings"])) == (1, 2)
    assert len(queries) == CUSTOMER_FETCH_QUERIES, [q["sql"] for q in queries]


def test_unknown_customer_is_a_404_with_the_error_body(bearer_client: Client) -> None:
    # when
    response = bearer_client.get("/api/customer/999999")
    # then
    assert response.status_code == 404
    assert response.json() == {"detail": "Customer not found.", "errors": []}


def test_malformed_json_is_a_400_and_creates_nothing(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-customer", data='{"name": "Ana', content_type="application/json"
    )
    # then
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert not Customer.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x" * 201}, "name"),
        ({"name": "Ana", "preferredContactMethod": "Pigeon"}, "preferredContactMethod"),
        ({"name": "Ana", "referredById": False}, "referredById"),
        ({"name": "Ana", "nickname": "A"}, "nickname"),
        ({"name": 12}, "name"),
    ],
    ids=["oversize text", "unknown enum value", "false for an id", "unknown field", "number"],
)
def test_invalid_customer_is_a_422_naming_the_field_and_creates_nothing(
    body: dict[str, Any], field: str, staff_client: Client
) -> None:
    # when
    response = staff_client.post("/api/add-customer", body, content_type="application/json")
    # then
    assert response.status_code == 422
    assert response.json()["detail"] == "The request is not valid."
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Customer.objects.exists()


def test_unknown_referrer_is_a_422_and_creates_nothing(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-customer",
        json.dumps({"name": "Ana", "referredById": 999999}),
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["referredById"]
    assert (Customer.objects.count(), Referral.objects.count()) == (0, 0)


def test_update_of_an_unknown_customer_is_a_404(staff_client: Client) -> None:
    # when
    response = staff_client.put(
        "/api/update-customer/999999", {"name": "Ana"}, content_type="application/json"
    )
    # then
    assert response.status_code == 404


def test_customer_fetch_lists_rows_newest_first_and_unscheduled_jobs_last(
    bearer_client: Client,
) -> None:
    # given
    customer = CustomerFactory()
    day = timezone.make_aware(dt.datetime(2026, 1, 1, 9))
    january = JobFactory(customer=customer, scheduled_for=day)
    unscheduled = JobFactory(customer=customer, scheduled_for=None)
    february = JobFactory(customer=customer, scheduled_for=day + dt.timedelta(days=31))
    february_too = JobFactory(customer=customer, scheduled_for=day + dt.timedelta(days=31))
    early = PaymentFactory(customer=customer, date=dt.date(2026, 1, 5))
    late = PaymentFactory(customer=customer, date=dt.date(2026, 1, 7))
    early_too = PaymentFactory(customer=customer, date=dt.date(2026, 1, 5))
    washer = ApplianceFactory(customer=customer, type="WashingMachine", brand="LG")
    fridge_ge = ApplianceFactory(customer=customer, type="Refrigerator", brand="GE")
    fridge_bosch = ApplianceFactory(customer=customer, type="Refrigerator", brand="Bosch")
    bearer_client.get(f"/api/customer/{customer.pk}")  # the token records its first use
    # when
    with CaptureQueriesContext(connection) as queries:
        body = bearer_client.get(f"/api/customer/{customer.pk}").json()
    # then: no referrer, preferred technician, review or referral, and no query to find out
    assert len(queries) == CUSTOMER_FETCH_QUERIES
    assert (body["referredBy"], body["preferredTechnician"], body["referralReceived"]) == (
        None,
        None,
        None,
    )
    assert [job["review"] for job in body["jobs"]] == [None] * 4
    assert [job["id"] for job in body["jobs"]] == [
        february_too.pk,
        february.pk,
        january.pk,
        unscheduled.pk,
    ]
    assert [p["id"] for p in body["payments"]] == [late.pk, early_too.pk, early.pk]
    assert [a["id"] for a in body["appliances"]] == [fridge_bosch.pk, fridge_ge.pk, washer.pk]


def test_a_session_write_without_the_csrf_token_is_a_403_and_creates_nothing(
    staff_user: Any,
) -> None:
    # given: a signed-in browser that sends no CSRF token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_user)
    # when
    response = browser.post("/api/add-customer", {"name": "Ana"}, content_type="application/json")
    # then
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed", "errors": []}
    assert not Customer.objects.exists()


# --- the customer list --------------------------------------------------------------------
# Session and user, the count, the page.
LIST_QUERIES = 4


def test_list_filters_and_sort_combine(staff_client: Client) -> None:
    # given
    tech = TechnicianFactory()
    loss = {"revenue_total": Decimal("5.00"), "expenses_total": Decimal("9.00"),
            "net_profit": Decimal("-4.00"), "profit_margin": Decimal("-0.8")}  # fmt: skip
    ana = CustomerFactory(name="Ana Ruiz", preferred_technician=tech, **loss)
    CustomerFactory(name="Bea Ruiz", **loss)
    cruz = CustomerFactory(name="Cruz Ruiz", preferred_technician=tech, **loss)
    CustomerFactory(name="Dan Ruiz", preferred_technician=tech)
    # when
    body = staff_client.get(
        "/api/customers",
        {"search": "ruiz", "profitability": "Loss-Making", "technicianId": tech.pk,
         "sort": "-name"},
    ).json()  # fmt: skip
    # then
    assert body["total"] == 2
    assert [item["id"] for item in body["items"]] == [cruz.pk, ana.pk]
    assert {key: body["items"][1][key] for key in (
        "revenueTotal", "expensesTotal", "netProfit", "profitabilityClass", "lastContactAt",
        "nextServiceDue")} == {
        "revenueTotal": "5.00", "expensesTotal": "9.00", "netProfit": "-4.00",
        "profitabilityClass": "Loss-Making", "lastContactAt": None, "nextServiceDue": None,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"profitability": "Rich"}, "profitability"),
        ({"noContactDays": "-1"}, "noContactDays"),
        ({"applianceType": "Boat"}, "applianceType"),
        ({"marketingChannel": "Fax"}, "marketingChannel"),
        ({"maintenanceOverdue": "maybe"}, "maintenanceOverdue"),
        ({"openReminder": "2"}, "openReminder"),
        ({"technicianId": "0"}, "technicianId"),
        ({"sort": "age"}, "sort"),
    ],
)
def test_list_refuses_bad_filter_values_with_422(
    staff_client: Client, params: dict[str, str], field: str
) -> None:
    # when
    response = staff_client.get("/api/customers", params)
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_count_is_pinned(
    staff_client: Client, django_assert_num_queries: Any, count: int
) -> None:
    # given
    for number in range(count):
        ApplianceFactory(customer=CustomerFactory(name=f"Customer {number:02d}"))
    staff_client.get("/api/customers")  # the session is warm
    # when / then
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get(
            "/api/customers",
            {"applianceType": "Refrigerator", "openReminder": "false", "sort": "-customerSince"},
        )
    assert len(response.json()["items"]) == min(count, 25)
