"""schemathesis over the whole OpenAPI document: no server error, every answer as documented.

Generated requests (valid and invalid) go to the WSGI application with a Bearer token, inside
an ordinary rolled-back test, so it runs the same on SQLite and PostgreSQL and leaves the rows
of data migrations alone. Ids in the document are narrowed to 1..ID_RANGE + 1; before each
call a generated id k is replaced by the real id of the k-th row of its kind created for the
test (ID_RANGE + 1 becomes an id that exists nowhere), so requests hit real rows whatever the
sequences say. Deterministic (derandomized); set FUZZ_EXAMPLES to explore more.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models import Model
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from config.wsgi import application
from crm.activities.tests.factories import ActivityFactory
from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.schemas import MAX_ID
from crm.core.services import api_token_create
from crm.core.tests.factories import UserFactory
from crm.customers.models import Customer, ServiceLocation
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.reminders import reminder_create
from crm.engagement.tests.factories import FollowUpLogFactory
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.messaging.models import ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.plans.models import MaintenancePlan
from crm.plans.tests.factories import MaintenancePlanFactory
from crm.referrals.models import Referral
from crm.referrals.tests.factories import ReferralFactory
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.tests.factories import ReviewFactory, ServiceFollowUpFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory

ID_RANGE = 4  # rows of each kind; a generated id of ID_RANGE + 1 names a missing row
MISSING_ID = MAX_ID
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Every id-valued parameter or body field of the document, by name, and what it names.
ID_KINDS: dict[str, type[Model]] = {
    "customer_id": Customer,
    "customerId": Customer,
    "referrerId": Customer,
    "referredCustomerId": Customer,
    "referredById": Customer,
    "intoId": Customer,
    "technicianId": Technician,
    "technician_id": Technician,
    "job_id": Job,
    "jobId": Job,
    "appliance_id": Appliance,
    "applianceId": Appliance,
    "payment_id": Payment,
    "expense_id": Expense,
    "review_id": Review,
    "follow_up_id": ServiceFollowUp,
    "referral_id": Referral,
    "reminder_id": Reminder,
    "message_id": ScheduledMessage,
    "location_id": ServiceLocation,
    "locationId": ServiceLocation,
    # maintenance plans (issue 14)
    "plan_id": MaintenancePlan,
    "applianceIds": Appliance,
}


def _id_names(node: Any, name: str | None = None) -> set[str | None]:
    """Names of the parameters and properties that hold ids (integers bounded by MAX_ID)."""
    names: set[str | None] = set()
    if isinstance(node, dict):
        if node.get("maximum") == MAX_ID:
            names.add(name)
        for key, child in node.items():
            if key == "properties":
                for prop, prop_schema in child.items():
                    names |= _id_names(prop_schema, prop)
            elif key == "parameters":
                for parameter in child:
                    names |= _id_names(parameter.get("schema"), parameter["name"])
            else:
                names |= _id_names(child, name)
    elif isinstance(node, list):
        for child in node:
            names |= _id_names(child, name)
    return names


def _narrow_ids(node: Any) -> None:
    """Every id (integer bounded by MAX_ID) is narrowed to 1..ID_RANGE + 1."""
    if isinstance(node, dict):
        if node.get("maximum") == MAX_ID:
            node["maximum"] = ID_RANGE + 1
        for child in node.values():
            _narrow_ids(child)
    elif isinstance(node, list):
        for child in node:
            _narrow_ids(child)


def _document() -> dict[str, Any]:
    # Generated in-process: the served document is for signed-in users only.
    document: dict[str, Any] = json.loads(
        json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder)
    )
    return document


def _narrowed_document() -> dict[str, Any]:
    document = _document()
    _narrow_ids(document)
    return document


schema = schemathesis.openapi.from_dict(_narrowed_document())
schema.app = application


def _real_ids(value: Any, rows: dict[type[Model], list[int]], name: str | None = None) -> Any:
    """`value` with each generated id k (of a known name) replaced by the k-th row's id."""
    if isinstance(value, dict):
        return {key: _real_ids(item, rows, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_real_ids(item, rows, name) for item in value]
    kind = ID_KINDS.get(name or "")
    # bool is an int in Python, but `true` for an id is a generated type error: keep it.
    if kind is None or type(value) is not int or not 1 <= value <= ID_RANGE + 1:
        return value
    ids = rows[kind][:ID_RANGE]
    return ids[value - 1] if value <= len(ids) else MISSING_ID


def _rows() -> dict[type[Model], list[int]]:
    """ID_RANGE of each kind of row, linked like real data (one customer referring the next)."""
    technicians = TechnicianFactory.create_batch(ID_RANGE)
    customers = CustomerFactory.create_batch(ID_RANGE, preferred_technician=technicians[0])
    for index, customer in enumerate(customers):
        ContactConsentFactory(customer=customer)
        home = ServiceLocation.objects.create(customer=customer, label="Home", address="1 Elm St")
        appliance = ApplianceFactory(customer=customer, last_service_date=dt.date(2025, 5, 1),
                                     location=home)  # fmt: skip
        job = JobFactory(customer=customer, technician=technicians[index], appliance=appliance,
                         completed=index % 2 == 0)  # fmt: skip
        PaymentFactory(customer=customer, job=job, amount=Decimal("120.00"))
        ExpenseFactory(customer=customer, job=job if index % 3 else None)
        ReviewFactory(job=JobFactory(customer=customer, technician=technicians[index],
                                     completed=True), rating=index % 5 + 1)  # fmt: skip
        ServiceFollowUpFactory(job=job)
        FollowUpLogFactory(customer=customer, technician=technicians[index])
        ActivityFactory(customer=customer, job=job)
        ScheduledMessageFactory(customer=customer)
        reminder_create(customer_id=customer.pk, kind="Manual", title="Call back",
                        due_date=dt.date(2026, 12, 1), appliance_id=appliance.pk)  # fmt: skip
        MaintenancePlanFactory(customer=customer, appliances=[appliance])
        if index:  # a chain, never a circle: c1 referred c2, c2 referred c3 ...
            ReferralFactory(referrer=customers[index - 1], referred_customer=customer)
    return {model: list(model.objects.order_by("pk").values_list("pk", flat=True))
            for model in set(ID_KINDS.values())}  # fmt: skip


@pytest.fixture
def rows(db: None) -> dict[type[Model], list[int]]:
    return _rows()


@pytest.fixture
def bearer(db: None) -> Iterator[dict[str, str]]:
    """A token, and no connection closing between WSGI calls."""
    _, raw = api_token_create(user=UserFactory(username="fuzzer"), name="fuzz")
    # Django's test client does the same: on PostgreSQL the test's connection would be closed.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {"Authorization": f"Bearer {raw}"}
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_id_in_the_document_is_mapped_onto_rows() -> None:
    """A new id parameter must be named in ID_KINDS, or the fuzzer would only hit missing rows."""
    names = _id_names(_document())

    assert names <= set(ID_KINDS), names - set(ID_KINDS)


@pytest.mark.django_db
def test_generated_ids_become_the_ids_of_the_rows_made_for_the_test(
    rows: dict[type[Model], list[int]],
) -> None:
    # given a body with ids in the narrowed range, one out of it and a boolean
    body = {"customerId": 1, "jobId": ID_RANGE + 1, "technicianId": ID_RANGE + 2, "x": 1,
            "consents": [{"customerId": 2}], "referredById": True}  # fmt: skip

    # when
    mapped = _real_ids(body, rows)

    # then
    assert len(rows[Customer]) == ID_RANGE
    assert mapped == {
        "customerId": rows[Customer][0],
        "jobId": MISSING_ID,
        "technicianId": ID_RANGE + 2,
        "x": 1,
        "consents": [{"customerId": rows[Customer][1]}],
        "referredById": True,
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request_as_documented(
    case: schemathesis.Case, rows: dict[type[Model], list[int]], bearer: dict[str, str]
) -> None:
    case.path_parameters = _real_ids(case.path_parameters, rows)
    case.query = _real_ids(case.query, rows)
    case.body = _real_ids(case.body, rows)
    case.call_and_validate(headers=bearer, checks=CHECKS)
