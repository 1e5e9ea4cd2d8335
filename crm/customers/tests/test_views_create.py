"""The new-customer page: saving opens the Customer View; a duplicate asks first."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from crm.customers.models import ContactConsent, Customer
from crm.customers.tests.factories import CustomerFactory
from crm.referrals.models import Referral

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Ana Ruiz", "phone": "(305) 555-0142", "email": "Ana@Example.com",
        "address": "1 Ocean Drive", "preferred_contact_method": "WhatsApp",
        "language_preference": "es", "timezone": "America/New_York", "referred_by": "",
        "whatsapp_marketing": "yes", "email_marketing": "no", "sms_marketing": "no",
    }  # fmt: skip
    return {**data, **changes}


def test_the_page_shows_the_form(staff_client: Client) -> None:
    response = staff_client.get("/customers/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/customers/new/"' in html
    assert 'name="referred_by"' in html
    assert "WhatsApp marketing" in html


def test_saving_creates_the_customer_and_opens_their_page(staff_client: Client) -> None:
    # given
    referrer = CustomerFactory(name="Maria")
    # when
    response = staff_client.post("/customers/new/", _form(referred_by=str(referrer.pk)))
    # then
    customer = Customer.objects.get(name="Ana Ruiz")
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert (customer.phone, customer.email) == ("+13055550142", "ana@example.com")
    assert (customer.preferred_contact_method, customer.language_preference) == ("WhatsApp", "es")
    assert Referral.objects.get(referred_customer=customer).referrer_id == referrer.pk
    consents = dict(
        ContactConsent.objects.filter(customer=customer).values_list("channel", "marketing_opt_in")
    )
    assert consents == {"WhatsApp": True, "Email": False, "SMS": False}


def test_a_duplicate_phone_shows_the_other_customer_and_create_anyway(staff_client: Client) -> None:
    # given
    maria = CustomerFactory(name="Maria Gonzalez", phone="+13055550142")
    # when
    response = staff_client.post("/customers/new/", _form())
    # then
    html = response.content.decode()
    assert response.status_code == 422
    assert "Possible duplicate:" in html
    assert f'<a href="/customers/{maria.pk}/">Maria Gonzalez</a>' in html
    assert 'name="allow_duplicate" value="on"' in html
    assert Customer.objects.count() == 1
    # when: Create anyway
    response = staff_client.post("/customers/new/", _form(allow_duplicate="on"))
    # then
    assert response.status_code == 302
    assert Customer.objects.filter(phone="+13055550142").count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "call me"}, "cannot be read"),
        ({"name": ""}, "This field is required."),
        ({"timezone": "Mars/Olympus"}, "Unknown time zone"),
        ({"referred_by": "999999"}, "Choose the referrer among the search results."),
        ({"email": "not-an-email"}, "valid email"),
    ],
)
def test_bad_input_comes_back_inline_with_422_and_creates_nothing(
    staff_client: Client, changes: dict[str, str], message: str
) -> None:
    # when
    response = staff_client.post("/customers/new/", _form(**changes))
    # then
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Customer.objects.count() == 0


def test_the_referrer_search_lists_matching_customers_as_choices(staff_client: Client) -> None:
    # given
    maria = CustomerFactory(name="Maria Gonzalez")
    CustomerFactory(name="Ben Stone")
    # when
    response = staff_client.get("/customers/pick/", {"q": "maria"}, **HTMX)
    # then
    html = response.content.decode()
    assert f'name="referred_by" value="{maria.pk}"' in html
    assert "Ben Stone" not in html
