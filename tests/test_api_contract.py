"""The plan's Phase-1 API: every endpoint at its path, called with the plan's field names.

One test per endpoint family drives the endpoints as the plan's Vue page would (camelCase
JSON in and out); the customer fetch goes through a Bearer token, the rest through a session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity
from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import add_months, company_today
from crm.core.services import api_token_create
from crm.customers.models import Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import FollowUpLog
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.referrals.models import Referral
from crm.referrals.services import referral_create, referral_update
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.services import review_create
from crm.technicians.models import CustomerTechnicianRating, Technician
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db

PLAN_ENDPOINTS = [
    ("GET", "/api/customer/{customer_id}"),
    ("GET", "/api/customers"),
    ("POST", "/api/add-customer"),
    ("PUT", "/api/update-customer/{customer_id}"),
    ("GET", "/api/technicians"),
    ("GET", "/api/jobs"),
    ("POST", "/api/add-job"),
    ("PUT", "/api/update-job/{job_id}"),
    ("POST", "/api/add-payment"),
    ("PUT", "/api/update-payment/{payment_id}"),
    ("POST", "/api/add-expense"),
    ("GET", "/api/expense/{expense_id}"),
    ("PUT", "/api/expense/{expense_id}"),
    ("GET", "/api/appliances"),
    ("GET", "/api/appliance/{appliance_id}"),
    ("POST", "/api/add-appliance"),
    ("PUT", "/api/update-appliance/{appliance_id}"),
    ("DELETE", "/api/delete-appliance/{appliance_id}"),
    ("POST", "/api/add-review"),
    ("GET", "/api/reviews"),
    ("PUT", "/api/update-review/{review_id}"),
    ("GET", "/api/referrals"),
    ("POST", "/api/add-referral"),
    ("PUT", "/api/update-referral/{referral_id}"),
    ("GET", "/api/job/{job_id}/profit"),
    ("GET", "/api/customer/{customer_id}/profit"),
    ("POST", "/api/customer/{customer_id}/preferred-technician"),
    ("GET", "/api/customer/{customer_id}/technician-ratings"),
    ("POST", "/api/customer/{customer_id}/technician-rating"),
    ("POST", "/api/job/{job_id}/follow-up"),
    ("PUT", "/api/follow-up/{follow_up_id}"),
    ("GET", "/api/follow-ups"),
    ("POST", "/api/followups"),
    ("GET", "/api/followups"),
    ("POST", "/api/add-activity"),
    ("GET", "/api/activities"),
    ("GET", "/api/appliance/{appliance_id}/maintenance-prediction"),
    ("GET", "/api/customer/{customer_id}/maintenance-alerts"),
]
# The plan's field names that each request body must accept.
PLAN_BODY_FIELDS = {
    ("POST", "/api/add-payment"): {"customerId", "jobId", "amount", "date", "paymentMethod"},
    ("PUT", "/api/update-payment/{payment_id}"): {"paymentMethod", "amount"},
    ("POST", "/api/add-expense"): {"customerId", "jobId", "amount", "date", "category"},
    ("PUT", "/api/expense/{expense_id}"): {"customerId", "jobId", "amount"},
    ("POST", "/api/add-appliance"): {
        "customerId",
        "type",
        "brand",
        "modelNumber",
        "serialNumber",
        "lastServiceDate",
        "jobId",
    },
    ("POST", "/api/add-review"): {"jobId", "customerId", "technicianId", "rating", "comment"},
    ("POST", "/api/add-referral"): {"referrerId", "referredCustomerId", "status", "rewardGiven"},
    ("PUT", "/api/update-referral/{referral_id}"): {"status", "rewardGiven"},
    ("POST", "/api/customer/{customer_id}/technician-rating"): {"technicianId", "rating", "jobId"},
    ("PUT", "/api/follow-up/{follow_up_id}"): {"status", "satisfactionRating", "feedback"},
    ("POST", "/api/add-customer"): {
        "name",
        "referredById",
        "preferredContactMethod",
        "preferredContactTimes",
        "communicationFrequencyPreference",
        "languagePreference",
    },
    ("PUT", "/api/update-customer/{customer_id}"): {
        "preferredContactMethod",
        "preferredContactTimes",
        "communicationFrequencyPreference",
        "languagePreference",
        "timezone",
        "consents",
    },
}
ERROR_STATUSES = {"400", "401", "403", "404", "409", "422"}


@dataclass
class World:
    """Ana, referred by Bob, who referred Carl; one completed job by Sam with money and a review."""

    sam: Technician
    bob: Customer
    ana: Customer
    carl: Customer
    fridge: Appliance
    job: Job
    payment: Payment
    job_expense: Expense
    loose_expense: Expense
    review: Review


@pytest.fixture
def world() -> World:
    sam = TechnicianFactory(
        name="Sam Ortiz", hourly_cost=Decimal("40.00"), specialties=["Refrigerator"]
    )
    bob = CustomerFactory(name="Bob Lee")
    ana = CustomerFactory(
        name="Ana Diaz",
        preferred_technician=sam,
        preferred_contact_method="WhatsApp",
        preferred_contact_times=[{"day": "mon", "start": "09:00", "end": "12:00"}],
        communication_frequency_preference="Minimal",
        language_preference="es-MX",
        timezone="America/Chicago",
    )
    carl = CustomerFactory(name="Carl Day")
    referral_create(referrer_id=bob.pk, referred_customer_id=ana.pk)
    made = referral_create(referrer_id=ana.pk, referred_customer_id=carl.pk)
    referral_update(
        referral_id=made.pk, status="Rewarded", reward_given=True, reward_amount=Decimal("25.00")
    )
    ContactConsentFactory(customer=ana, channel="WhatsApp", marketing_opt_in=True)
    fridge = ApplianceFactory(customer=ana, type="Refrigerator", brand="Whirlpool")
    job = JobFactory(
        customer=ana, technician=sam, appliance=fridge, completed=True, labor_hours=Decimal("1.50")
    )
    payment = PaymentFactory(
        customer=ana,
        job=job,
        amount=Decimal("150.00"),
        date=dt.date(2026, 1, 10),
        payment_method="Card",
    )
    job_expense = ExpenseFactory(
        customer=ana, job=job, amount=Decimal("40.00"), date=dt.date(2026, 1, 9), category="Parts"
    )
    loose_expense = ExpenseFactory(
        customer=ana, job=None, amount=Decimal("15.00"), date=dt.date(2026, 1, 8), category="Travel"
    )
    review = review_create(job_id=job.pk, rating=5, comment="Quick and friendly.")
    return World(sam, bob, ana, carl, fridge, job, payment, job_expense, loose_expense, review)


@pytest.fixture
def bearer_client(staff_user: Any) -> Client:
    _, raw = api_token_create(user=staff_user, name="contract test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def call(client: Client, method: str, path: str, body: Any = None) -> Any:
    """Send JSON like the plan's page does; return the response."""
    return client.generic(
        method, path, data="" if body is None else _json(body), content_type="application/json"
    )


def _json(body: Any) -> str:
    import json

    return json.dumps(body)


def picked(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: item[key] for key in keys}


# --- the document ----------------------------------------------------------------------------


def test_every_plan_endpoint_is_in_the_openapi_document_with_its_errors(
    staff_client: Client,
) -> None:
    # when
    spec = staff_client.get("/api/openapi.json").json()
    # then
    for method, path in PLAN_ENDPOINTS:
        operation = spec["paths"][path][method.lower()]
        assert set(operation["responses"]) >= ERROR_STATUSES, (method, path)
        assert operation["security"] == [{"BearerTokenAuth": []}, {"SessionAuth": []}]


# Ids name the endpoint only: a set's order differs between processes (xdist workers).
@pytest.mark.parametrize(
    ("endpoint", "fields"), PLAN_BODY_FIELDS.items(), ids=[" ".join(e) for e in PLAN_BODY_FIELDS]
)
def test_request_bodies_use_the_plans_field_names(
    endpoint: tuple[str, str], fields: set[str], staff_client: Client
) -> None:
    # given
    method, path = endpoint
    spec = staff_client.get("/api/openapi.json").json()
    # when
    reference = spec["paths"][path][method.lower()]["requestBody"]["content"]["application/json"]
    schema = spec["components"]["schemas"][reference["schema"]["$ref"].split("/")[-1]]
    # then
    assert fields <= set(schema["properties"])
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(("method", "path"), PLAN_ENDPOINTS)
def test_every_endpoint_refuses_an_anonymous_caller(method: str, path: str, world: World) -> None:
    # given
    concrete = path.format(
        **dict.fromkeys(
            (
                "customer_id",
                "job_id",
                "payment_id",
                "expense_id",
                "appliance_id",
                "review_id",
                "referral_id",
                "follow_up_id",
            ),
            1,
        )
    )
    # when
    response = call(Client(), method, concrete, {})
    # then
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in or send an API token.", "errors": []}


def test_a_wrong_bearer_token_is_refused(world: World) -> None:
    # when
    response = Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(f"/api/customer/{world.ana.pk}")
    # then
    assert response.status_code == 401


# --- customers --------------------------------------------------------------------------------


def test_customer_fetch_returns_everything_the_page_shows(
    world: World, bearer_client: Client
) -> None:
    # when
    response = bearer_client.get(f"/api/customer/{world.ana.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert picked(body, "id", "name", "referredById", "preferredTechnicianId") == {
        "id": world.ana.pk,
        "name": "Ana Diaz",
        "referredById": world.bob.pk,
        "preferredTechnicianId": world.sam.pk,
    }
    assert picked(
        body,
        "preferredContactMethod",
        "preferredContactTimes",
        "communicationFrequencyPreference",
        "languagePreference",
        "timezone",
    ) == {
        "preferredContactMethod": "WhatsApp",
        "preferredContactTimes": [{"day": "mon", "start": "09:00", "end": "12:00"}],
        "communicationFrequencyPreference": "Minimal",
        "languagePreference": "es-MX",
        "timezone": "America/Chicago",
    }
    assert [
        picked(c, "channel", "marketingOptIn", "optedOut", "optedOutAt") for c in body["consents"]
    ] == [{"channel": "WhatsApp", "marketingOptIn": True, "optedOut": False, "optedOutAt": None}]
    assert body["referredBy"] == {"id": world.bob.pk, "name": "Bob Lee"}
    assert picked(body["referralReceived"], "referrerId", "referrerName", "status") == {
        "referrerId": world.bob.pk,
        "referrerName": "Bob Lee",
        "status": "Pending",
    }
    assert [
        picked(r, "id", "name", "status", "rewardGiven", "rewardAmount")
        for r in body["referredCustomers"]
    ] == [
        {
            "id": world.carl.pk,
            "name": "Carl Day",
            "status": "Rewarded",
            "rewardGiven": True,
            "rewardAmount": "25.00",
        }
    ]
    assert picked(body["preferredTechnician"], "id", "name", "specialties") == {
        "id": world.sam.pk,
        "name": "Sam Ortiz",
        "specialties": ["Refrigerator"],
    }
    assert [
        picked(r, "technicianId", "technicianName", "jobId", "rating")
        for r in body["technicianRatings"]
    ] == [
        {
            "technicianId": world.sam.pk,
            "technicianName": "Sam Ortiz",
            "jobId": world.job.pk,
            "rating": 5,
        }
    ]
    assert body["payments"] == [
        {
            "id": world.payment.pk,
            "customerId": world.ana.pk,
            "jobId": world.job.pk,
            "amount": "150.00",
            "date": "2026-01-10",
            "paymentMethod": "Card",
            "reference": "",
            "createdAt": body["payments"][0]["createdAt"],
        }
    ]
    assert [
        picked(e, "id", "customerId", "jobId", "amount", "category") for e in body["expenses"]
    ] == [
        {
            "id": world.job_expense.pk,
            "customerId": world.ana.pk,
            "jobId": world.job.pk,
            "amount": "40.00",
            "category": "Parts",
        },
        {
            "id": world.loose_expense.pk,
            "customerId": world.ana.pk,
            "jobId": None,
            "amount": "15.00",
            "category": "Travel",
        },
    ]
    assert [
        picked(a, "id", "type", "brand", "modelNumber", "serialNumber", "lastServiceDate")
        for a in body["appliances"]
    ] == [
        {
            "id": world.fridge.pk,
            "type": "Refrigerator",
            "brand": "Whirlpool",
            "modelNumber": world.fridge.model_number,
            "serialNumber": world.fridge.serial_number,
            "lastServiceDate": None,
        }
    ]
    [job] = body["jobs"]
    assert picked(job, "id", "technicianName", "status", "laborHours") == {
        "id": world.job.pk,
        "technicianName": "Sam Ortiz",
        "status": "Completed",
        "laborHours": "1.50",
    }
    assert picked(job["review"], "id", "rating", "comment") == {
        "id": world.review.pk,
        "rating": 5,
        "comment": "Quick and friendly.",
    }
    assert [p["id"] for p in job["payments"]] == [world.payment.pk]
    assert [e["id"] for e in job["expenses"]] == [world.job_expense.pk]
    assert job["financials"] == {
        "revenue": "150.00",
        "expenses": "40.00",
        "netProfit": "110.00",
        "margin": "73.33",
        "status": "Profitable",
        "classification": "Highly Profitable",
        "laborCost": "60.00",
        "netProfitAfterLabor": "50.00",
        "paymentCount": 1,
        "expenseCount": 1,
    }


def test_customer_list_is_light_searchable_and_paged(world: World, staff_client: Client) -> None:
    # when
    everyone = staff_client.get("/api/customers").json()
    found = staff_client.get("/api/customers", {"search": "ana d"}).json()
    past_the_end = staff_client.get("/api/customers", {"page": 9}).json()
    # then
    assert picked(everyone, "total", "page", "pageSize", "pageCount") == {
        "total": 3,
        "page": 1,
        "pageSize": 25,
        "pageCount": 1,
    }
    assert [c["name"] for c in everyone["items"]] == ["Ana Diaz", "Bob Lee", "Carl Day"]
    assert set(everyone["items"][0]) == {
        "id",
        "name",
        "email",
        "phone",
        "referralCode",
        "preferredContactMethod",
        "createdAt",
        "revenueTotal",
        "expensesTotal",
        "netProfit",
        "profitabilityClass",
        "lastContactAt",
        "nextServiceDue",
    }
    assert (found["total"], [c["id"] for c in found["items"]]) == (1, [world.ana.pk])
    assert past_the_end["page"] == 1


def test_add_customer_with_referrer_records_the_referral(
    world: World, staff_client: Client
) -> None:
    # when
    response = call(
        staff_client,
        "POST",
        "/api/add-customer",
        {
            "name": "Dana Fox",
            "email": "dana@example.com",
            "phone": "+15550101",
            "referredById": world.ana.pk,
            "preferredContactMethod": "Email",
            "preferredContactTimes": [{"day": "tue", "start": "18:00", "end": "20:00"}],
            "communicationFrequencyPreference": "Frequent",
            "languagePreference": "en",
            "timezone": "Europe/Madrid",
            "consents": [{"channel": "Email", "marketingOptIn": True}],
        },
    )
    # then
    assert response.status_code == 201
    body = response.json()
    dana = Customer.objects.get(pk=body["id"])
    assert (dana.referred_by_id, body["referredById"]) == (world.ana.pk, world.ana.pk)
    assert Referral.objects.filter(referrer=world.ana, referred_customer=dana).exists()
    assert picked(
        body,
        "name",
        "preferredContactMethod",
        "preferredContactTimes",
        "communicationFrequencyPreference",
        "timezone",
    ) == {
        "name": "Dana Fox",
        "preferredContactMethod": "Email",
        "preferredContactTimes": [{"day": "tue", "start": "18:00", "end": "20:00"}],
        "communicationFrequencyPreference": "Frequent",
        "timezone": "Europe/Madrid",
    }
    assert [picked(c, "channel", "marketingOptIn", "optedOut") for c in body["consents"]] == [
        {"channel": "Email", "marketingOptIn": True, "optedOut": False}
    ]


def test_update_customer_changes_only_what_is_sent(world: World, staff_client: Client) -> None:
    # when
    response = call(
        staff_client,
        "PUT",
        f"/api/update-customer/{world.ana.pk}",
        {
            "phone": "+15559999",
            "preferredContactMethod": "SMS",
            "preferredContactTimes": [{"day": "sat", "start": "10:00", "end": "11:30"}],
            "communicationFrequencyPreference": "Moderate",
            "languagePreference": "pt-BR",
            "consents": [{"channel": "WhatsApp", "optedOut": True}],
        },
    )
    # then
    assert response.status_code == 200
    world.ana.refresh_from_db()
    assert (world.ana.name, world.ana.phone, world.ana.preferred_contact_method) == (
        "Ana Diaz",
        "+15559999",
        "SMS",
    )
    assert world.ana.preferred_contact_times == [{"day": "sat", "start": "10:00", "end": "11:30"}]
    assert (world.ana.language_preference, world.ana.timezone) == ("pt-BR", "America/Chicago")
    [consent] = response.json()["consents"]
    assert (consent["channel"], consent["marketingOptIn"], consent["optedOut"]) == (
        "WhatsApp",
        True,
        True,
    )
    assert consent["optedOutAt"] is not None


def test_technicians_and_the_preferred_technician(world: World, staff_client: Client) -> None:
    # given
    retired = TechnicianFactory(name="Ray Old", active=False)
    # when
    everyone = staff_client.get("/api/technicians").json()
    active = staff_client.get("/api/technicians", {"activeOnly": "true"}).json()
    chosen = call(
        staff_client,
        "POST",
        f"/api/customer/{world.carl.pk}/preferred-technician",
        {"technicianId": world.sam.pk},
    )
    cleared = call(
        staff_client,
        "POST",
        f"/api/customer/{world.ana.pk}/preferred-technician",
        {"technicianId": None},
    )
    # then
    assert [t["name"] for t in everyone] == ["Ray Old", "Sam Ortiz"]
    assert [t["id"] for t in active] == [world.sam.pk]
    assert picked(everyone[1], "hourlyCost", "active", "specialties") == {
        "hourlyCost": "40.00",
        "active": True,
        "specialties": ["Refrigerator"],
    }
    assert (chosen.status_code, chosen.json()["preferredTechnicianId"]) == (200, world.sam.pk)
    assert (cleared.status_code, cleared.json()["preferredTechnicianId"]) == (200, None)
    assert retired.pk not in [t["id"] for t in active]


def test_technician_ratings_of_a_customer(world: World, staff_client: Client) -> None:
    # given
    other_job = JobFactory(customer=world.ana, technician=world.sam, completed=True)
    # when
    created = call(
        staff_client,
        "POST",
        f"/api/customer/{world.ana.pk}/technician-rating",
        {"technicianId": world.sam.pk, "rating": 3, "jobId": other_job.pk},
    )
    listed = staff_client.get(f"/api/customer/{world.ana.pk}/technician-ratings").json()
    # then
    assert created.status_code == 201
    assert picked(created.json(), "customerId", "technicianId", "jobId", "rating") == {
        "customerId": world.ana.pk,
        "technicianId": world.sam.pk,
        "jobId": other_job.pk,
        "rating": 3,
    }
    assert sorted((r["jobId"], r["rating"]) for r in listed) == sorted(
        [(world.job.pk, 5), (other_job.pk, 3)]
    )


# --- jobs and money ---------------------------------------------------------------------------


def test_jobs_list_add_and_complete(world: World, staff_client: Client) -> None:
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-job",
        {
            "customerId": world.ana.pk,
            "technicianId": world.sam.pk,
            "applianceId": world.fridge.pk,
            "description": "Ice maker leaking",
            "scheduledFor": "2026-12-01T09:00:00-05:00",
            "laborHours": "2.25",
        },
    )
    job_id = added.json()["id"]
    completed = call(
        staff_client,
        "PUT",
        f"/api/update-job/{job_id}",
        {"status": "Completed", "outcome": "Replaced the inlet valve"},
    )
    listed = staff_client.get("/api/jobs", {"customerId": world.ana.pk}).json()
    only_completed = staff_client.get(
        "/api/jobs", {"customerId": world.ana.pk, "status": "Completed"}
    ).json()
    # then
    assert added.status_code == 201
    assert picked(
        added.json(),
        "customerId",
        "status",
        "completedAt",
        "laborHours",
        "technicianName",
        "scheduledFor",
    ) == {
        "customerId": world.ana.pk,
        "status": "Scheduled",
        "completedAt": None,
        "laborHours": "2.25",
        "technicianName": "Sam Ortiz",
        "scheduledFor": "2026-12-01T14:00:00Z",
    }
    assert completed.status_code == 200
    assert completed.json()["status"] == "Completed"
    assert completed.json()["completedAt"] is not None
    assert Job.objects.get(pk=job_id).completed_at is not None
    assert [j["id"] for j in listed] == [job_id, world.job.pk]
    assert len(only_completed) == 2
    assert listed[1]["financials"]["netProfit"] == "110.00"
    assert listed[1]["review"]["rating"] == 5


def test_payments_carry_the_payment_method(world: World, staff_client: Client) -> None:
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-payment",
        {
            "customerId": world.ana.pk,
            "jobId": world.job.pk,
            "amount": 49.5,
            "date": "2026-02-01",
            "paymentMethod": "BankTransfer",
            "reference": "TR-1",
        },
    )
    payment_id = added.json()["id"]
    updated = call(
        staff_client,
        "PUT",
        f"/api/update-payment/{payment_id}",
        {"paymentMethod": "Cash", "amount": "50.00"},
    )
    # then
    assert added.status_code == 201
    assert added.json() == {
        "id": payment_id,
        "customerId": world.ana.pk,
        "jobId": world.job.pk,
        "amount": "49.50",
        "date": "2026-02-01",
        "paymentMethod": "BankTransfer",
        "reference": "TR-1",
        "createdAt": added.json()["createdAt"],
    }
    assert picked(updated.json(), "amount", "paymentMethod", "reference") == {
        "amount": "50.00",
        "paymentMethod": "Cash",
        "reference": "TR-1",
    }
    payment = Payment.objects.get(pk=payment_id)
    assert (payment.amount, payment.payment_method) == (Decimal("50.00"), "Cash")


def test_expenses_link_a_customer_and_a_job(world: World, staff_client: Client) -> None:
    # when: an expense given only the job takes the job's customer
    added = call(
        staff_client,
        "POST",
        "/api/add-expense",
        {
            "jobId": world.job.pk,
            "amount": "12.34",
            "date": "2026-02-02",
            "category": "Travel",
            "description": "Tolls",
        },
    )
    expense_id = added.json()["id"]
    fetched = staff_client.get(f"/api/expense/{expense_id}").json()
    unlinked = call(
        staff_client,
        "PUT",
        f"/api/expense/{expense_id}",
        {"jobId": None, "customerId": world.ana.pk, "amount": 13},
    )
    # then
    assert added.status_code == 201
    assert picked(fetched, "customerId", "jobId", "amount", "category", "description") == {
        "customerId": world.ana.pk,
        "jobId": world.job.pk,
        "amount": "12.34",
        "category": "Travel",
        "description": "Tolls",
    }
    assert picked(unlinked.json(), "customerId", "jobId", "amount") == {
        "customerId": world.ana.pk,
        "jobId": None,
        "amount": "13.00",
    }


def test_profit_of_a_job_and_of_a_customer(world: World, staff_client: Client) -> None:
    # when
    job = staff_client.get(f"/api/job/{world.job.pk}/profit").json()
    customer = staff_client.get(f"/api/customer/{world.ana.pk}/profit").json()
    # then: the customer's loose 15.00 travel expense counts for the customer, not the job
    assert job == {
        "revenue": "150.00",
        "expenses": "40.00",
        "netProfit": "110.00",
        "margin": "73.33",
        "status": "Profitable",
        "classification": "Highly Profitable",
        "laborCost": "60.00",
        "netProfitAfterLabor": "50.00",
        "paymentCount": 1,
        "expenseCount": 1,
    }
    assert customer == {
        "revenue": "150.00",
        "expenses": "55.00",
        "netProfit": "95.00",
        "margin": "63.33",
        "status": "Profitable",
        "classification": "Highly Profitable",
        "laborCost": "60.00",
        "netProfitAfterLabor": "35.00",
        "paymentCount": 1,
        "expenseCount": 2,
    }


# --- appliances and maintenance ---------------------------------------------------------------


def test_appliance_crud(world: World, staff_client: Client) -> None:
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-appliance",
        {
            "customerId": world.ana.pk,
            "type": "WashingMachine",
            "brand": "LG",
            "modelNumber": "WM3400",
            "serialNumber": "LG-77",
            "lastServiceDate": "2026-03-01",
            "jobId": world.job.pk,
        },
    )
    appliance_id = added.json()["id"]
    fetched = staff_client.get(f"/api/appliance/{appliance_id}").json()
    updated = call(
        staff_client,
        "PUT",
        f"/api/update-appliance/{appliance_id}",
        {"brand": "LG Electronics", "lastServiceDate": None},
    )
    listed = staff_client.get("/api/appliances", {"customerId": world.ana.pk}).json()
    deleted = call(staff_client, "DELETE", f"/api/delete-appliance/{appliance_id}")
    # then
    assert added.status_code == 201
    assert picked(
        fetched,
        "customerId",
        "type",
        "brand",
        "modelNumber",
        "serialNumber",
        "lastServiceDate",
        "jobId",
    ) == {
        "customerId": world.ana.pk,
        "type": "WashingMachine",
        "brand": "LG",
        "modelNumber": "WM3400",
        "serialNumber": "LG-77",
        "lastServiceDate": "2026-03-01",
        "jobId": world.job.pk,
    }
    assert picked(updated.json(), "brand", "lastServiceDate", "modelNumber") == {
        "brand": "LG Electronics",
        "lastServiceDate": None,
        "modelNumber": "WM3400",
    }
    assert [a["id"] for a in listed] == [world.fridge.pk, appliance_id]
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert not Appliance.objects.filter(pk=appliance_id).exists()


def test_maintenance_prediction_and_alerts(world: World, staff_client: Client) -> None:
    # given: a 12-year-old refrigerator (13 expected) serviced 30 days ago
    today = company_today()
    old = ApplianceFactory(
        customer=world.ana,
        type="Refrigerator",
        brand="GE",
        install_date=add_months(today, -144),
        last_service_date=today - dt.timedelta(days=30),
    )
    # when
    prediction = staff_client.get(f"/api/appliance/{old.pk}/maintenance-prediction").json()
    alerts = staff_client.get(f"/api/customer/{world.ana.pk}/maintenance-alerts").json()
    # then
    assert picked(
        prediction,
        "applianceId",
        "risk",
        "ageYears",
        "expectedLifespanYears",
        "lifeUsedRatio",
        "serviceIntervalMonths",
        "nextServiceDue",
        "daysSinceLastService",
        "serviceOverdue",
        "method",
    ) == {
        "applianceId": old.pk,
        "risk": "High",
        "ageYears": 12.0,
        "expectedLifespanYears": 13.0,
        "lifeUsedRatio": 0.92,
        "serviceIntervalMonths": 12,
        "nextServiceDue": add_months(today - dt.timedelta(days=30), 12).isoformat(),
        "daysSinceLastService": 30,
        "serviceOverdue": False,
        "method": "rules",
    }
    assert prediction["reasons"][0] == "12.0 years old of an expected 13.0 (92% of its life)."
    assert prediction["seasonalFactor"] == "No strong seasonal factor for this appliance type."
    assert "NAHB" in prediction["source"]
    assert prediction["appliance"]["brand"] == "GE"
    assert alerts[0]["applianceId"] == old.pk
    assert {a["applianceId"] for a in alerts} == {old.pk, world.fridge.pk}


# --- reviews, referrals, follow-ups, timeline -------------------------------------------------


def test_reviews_add_list_and_update(world: World, staff_client: Client) -> None:
    # given
    second = JobFactory(customer=world.ana, technician=world.sam, completed=True)
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-review",
        {
            "jobId": second.pk,
            "customerId": world.ana.pk,
            "rating": 4,
            "comment": "Good",
        },
    )
    by_job = staff_client.get("/api/reviews", {"jobId": second.pk}).json()
    by_customer = staff_client.get("/api/reviews", {"customerId": world.ana.pk}).json()
    updated = call(
        staff_client,
        "PUT",
        f"/api/update-review/{added.json()['id']}",
        {"rating": 2, "comment": "The leak came back"},
    )
    # then
    assert added.status_code == 201
    assert picked(added.json(), "jobId", "customerId", "technicianId", "rating", "comment") == {
        "jobId": second.pk,
        "customerId": world.ana.pk,
        "technicianId": world.sam.pk,
        "rating": 4,
        "comment": "Good",
    }
    assert [(r["jobId"], r["technicianName"]) for r in by_job] == [(second.pk, "Sam Ortiz")]
    assert {r["jobId"] for r in by_customer} == {world.job.pk, second.pk}
    assert picked(updated.json(), "rating", "comment") == {
        "rating": 2,
        "comment": "The leak came back",
    }
    # the review also rates the technician, and the rating follows the update
    assert CustomerTechnicianRating.objects.get(job=second).rating == 2


def test_referrals_list_add_and_update(world: World, staff_client: Client) -> None:
    # given
    eve = CustomerFactory(name="Eve Park")
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-referral",
        {
            "referrerId": world.carl.pk,
            "referredCustomerId": eve.pk,
            "status": "Qualified",
            "rewardGiven": False,
        },
    )
    updated = call(
        staff_client,
        "PUT",
        f"/api/update-referral/{added.json()['id']}",
        {"status": "Rewarded", "rewardGiven": True, "rewardAmount": "20.00"},
    )
    made = staff_client.get("/api/referrals", {"referrerId": world.ana.pk}).json()
    received = staff_client.get("/api/referrals", {"referredCustomerId": eve.pk}).json()
    # then
    assert added.status_code == 201
    assert picked(
        added.json(),
        "referrerId",
        "referrerName",
        "referredCustomerId",
        "referredCustomerName",
        "status",
        "rewardGiven",
        "rewardAmount",
    ) == {
        "referrerId": world.carl.pk,
        "referrerName": "Carl Day",
        "referredCustomerId": eve.pk,
        "referredCustomerName": "Eve Park",
        "status": "Qualified",
        "rewardGiven": False,
        "rewardAmount": None,
    }
    assert picked(updated.json(), "status", "rewardGiven", "rewardAmount") == {
        "status": "Rewarded",
        "rewardGiven": True,
        "rewardAmount": "20.00",
    }
    assert [r["referredCustomerId"] for r in made] == [world.carl.pk]
    assert [r["referrerId"] for r in received] == [world.carl.pk]
    eve.refresh_from_db()
    assert eve.referred_by_id == world.carl.pk


def test_service_follow_ups(world: World, staff_client: Client) -> None:
    # when
    scheduled = call(
        staff_client, "POST", f"/api/job/{world.job.pk}/follow-up", {"followUpDate": "2026-12-03"}
    )
    follow_up_id = scheduled.json()["id"]
    done = call(
        staff_client,
        "PUT",
        f"/api/follow-up/{follow_up_id}",
        {"status": "Completed", "satisfactionRating": 5, "feedback": "All good"},
    )
    listed = staff_client.get("/api/follow-ups", {"customerId": world.ana.pk}).json()
    # then
    assert scheduled.status_code == 201
    assert picked(scheduled.json(), "jobId", "customerId", "status") == {
        "jobId": world.job.pk,
        "customerId": world.ana.pk,
        "status": "Pending",
    }
    # a plain date is midnight in the company time zone (America/New_York)
    assert dt.datetime.fromisoformat(scheduled.json()["followUpDate"]) == dt.datetime(
        2026, 12, 3, 5, tzinfo=dt.UTC
    )
    assert picked(done.json(), "status", "satisfactionRating", "feedback") == {
        "status": "Completed",
        "satisfactionRating": 5,
        "feedback": "All good",
    }
    assert [f["id"] for f in listed] == [follow_up_id]
    assert ServiceFollowUp.objects.get(pk=follow_up_id).satisfaction_rating == 5


def test_logged_follow_ups_say_who_and_when(
    world: World, staff_client: Client, staff_user: Any
) -> None:
    # given
    staff_user.first_name, staff_user.last_name = "Olga", "Office"
    staff_user.save()
    # when
    by_staff = call(
        staff_client,
        "POST",
        "/api/followups",
        {
            "customerId": world.ana.pk,
            "channel": "Phone",
            "notes": "Called about the fridge",
            "occurredAt": "2026-01-05T15:30:00+00:00",
        },
    )
    by_technician = call(
        staff_client,
        "POST",
        "/api/followups",
        {
            "customerId": world.ana.pk,
            "channel": "WhatsApp",
            "notes": "Sent care tips",
            "technicianId": world.sam.pk,
            "occurredAt": "2026-01-06T10:00:00+00:00",
        },
    )
    listed = staff_client.get("/api/followups", {"customerId": world.ana.pk}).json()
    # then
    assert (by_staff.status_code, by_technician.status_code) == (201, 201)
    assert [
        picked(f, "channel", "notes", "occurredAt", "loggedBy", "staffUserName", "technicianName")
        for f in listed
    ] == [
        {
            "channel": "WhatsApp",
            "notes": "Sent care tips",
            "occurredAt": "2026-01-06T10:00:00Z",
            "loggedBy": "Sam Ortiz",
            "staffUserName": "Olga Office",
            "technicianName": "Sam Ortiz",
        },
        {
            "channel": "Phone",
            "notes": "Called about the fridge",
            "occurredAt": "2026-01-05T15:30:00Z",
            "loggedBy": "Olga Office",
            "staffUserName": "Olga Office",
            "technicianName": None,
        },
    ]
    assert listed[0]["createdAt"] is not None
    assert FollowUpLog.objects.filter(customer=world.ana, staff_user=staff_user).count() == 2


def test_timeline_add_and_page(world: World, staff_client: Client, staff_user: Any) -> None:
    # given: 21 notes, one more than a page
    for day in range(1, 22):
        Activity.objects.create(
            customer=world.ana,
            kind="Note",
            direction="Internal",
            content=f"note {day}",
            occurred_at=timezone.make_aware(dt.datetime(2025, 1, day)),
        )
    # when
    added = call(
        staff_client,
        "POST",
        "/api/add-activity",
        {
            "customerId": world.ana.pk,
            "kind": "WhatsApp",
            "direction": "Inbound",
            "content": "Is Tuesday fine?",
            "occurredAt": "2026-01-02T10:00:00+00:00",
            "jobId": world.job.pk,
        },
    )
    first = staff_client.get("/api/activities", {"customerId": world.ana.pk}).json()
    second = staff_client.get("/api/activities", {"customerId": world.ana.pk, "page": 2}).json()
    whatsapp = staff_client.get(
        "/api/activities", {"customerId": world.ana.pk, "kind": "WhatsApp"}
    ).json()
    # then
    assert added.status_code == 201
    assert picked(added.json(), "kind", "direction", "content", "jobId", "authorId") == {
        "kind": "WhatsApp",
        "direction": "Inbound",
        "content": "Is Tuesday fine?",
        "jobId": world.job.pk,
        "authorId": staff_user.pk,
    }
    assert picked(first, "page", "pageSize", "hasNext") == {
        "page": 1,
        "pageSize": 20,
        "hasNext": True,
    }
    assert first["items"][0]["content"] == "Is Tuesday fine?"
    assert [a["content"] for a in second["items"]] == ["note 2", "note 1"]
    assert second["hasNext"] is False
    assert [a["content"] for a in whatsapp["items"]] == ["Is Tuesday fine?"]
