"""The customers API's duplicate check (409 naming the other customer) and merge endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import JobFactory, PaymentFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_add_customer_with_a_known_phone_is_a_409_naming_the_other(staff_client: Client) -> None:
    # given
    maria = CustomerFactory(name="Maria Gonzalez", phone="+13055550142")
    # when
    response = staff_client.post(
        "/api/add-customer", {"name": "Mario", "phone": "(305) 555-0142"}, content_type=JSON
    )
    # then
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Maria Gonzalez already has this phone number.",
        "errors": [{"field": "phone", "message": "Maria Gonzalez already has this phone number."}],
        "duplicateOf": {"id": maria.pk, "name": "Maria Gonzalez"},
    }
    assert Customer.objects.count() == 1


def test_add_customer_with_allow_duplicate_creates_it_in_e164(staff_client: Client) -> None:
    # given
    CustomerFactory(phone="+13055550142")
    body = {
        "name": "Mario",
        "phone": "305 555 0142",
        "email": "MARIO@X.COM",
        "allowDuplicate": True,
    }
    # when
    response = staff_client.post("/api/add-customer", body, content_type=JSON)
    # then
    assert response.status_code == 201
    assert (response.json()["phone"], response.json()["email"]) == ("+13055550142", "mario@x.com")


def test_an_unreadable_phone_is_a_422_with_the_reason(staff_client: Client) -> None:
    # when
    response = staff_client.post(
        "/api/add-customer", {"name": "Ana", "phone": "call me"}, content_type=JSON
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "phone"
    assert "cannot be read" in response.json()["errors"][0]["message"]
    assert Customer.objects.count() == 0


def test_update_customer_stores_the_phone_in_e164(staff_client: Client) -> None:
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.put(
        f"/api/update-customer/{customer.pk}", {"phone": "305-555-0177"}, content_type=JSON
    )
    # then
    assert response.status_code == 200
    assert Customer.objects.get(pk=customer.pk).phone == "+13055550177"


def test_merge_moves_everything_and_reports_the_counts(staff_client: Client) -> None:
    # given
    kept, merged = CustomerFactory(), CustomerFactory()
    JobFactory.create_batch(2, customer=merged)
    PaymentFactory(customer=merged)
    # when
    response = staff_client.post(
        f"/api/customer/{merged.pk}/merge", {"intoId": kept.pk}, content_type=JSON
    )
    # then
    assert response.status_code == 200
    assert response.json() == {"keptId": kept.pk, "mergedId": merged.pk,
                               "moved": {"jobs": 2, "payments": 1}, "removed": {}}  # fmt: skip
    assert list(Customer.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.parametrize(
    ("case", "status"), [("self", 422), ("missing-into", 422), ("missing", 404)]
)
def test_merge_refusals_change_nothing(staff_client: Client, case: str, status: int) -> None:
    # given
    customer = CustomerFactory()
    JobFactory(customer=customer)
    path_id, into_id = {
        "self": (customer.pk, customer.pk),
        "missing-into": (customer.pk, customer.pk + 100),
        "missing": (customer.pk + 100, customer.pk),
    }[case]
    # when
    response = staff_client.post(
        f"/api/customer/{path_id}/merge", {"intoId": into_id}, content_type=JSON
    )
    # then
    assert response.status_code == status
    assert Customer.objects.get().jobs.count() == 1
    assert Customer.objects.count() == 1
