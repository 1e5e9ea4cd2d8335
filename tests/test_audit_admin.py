"""Money and consent records cannot be deleted in the admin: one at a time, in bulk, inline,
or by deleting the customer who holds them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from crm.core.tests.factories import UserFactory
from crm.customers.models import ContactConsent, Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.models import Expense, Payment
from crm.jobs.tests.factories import ExpenseFactory, PaymentFactory
from crm.messaging.models import MessageEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("factory", "model"),
    [
        (PaymentFactory, Payment),
        (ExpenseFactory, Expense),
        (ContactConsentFactory, ContactConsent),
        (
            lambda: MessageEvent.objects.create(customer=CustomerFactory(), kind="Consent"),
            MessageEvent,
        ),
    ],
    ids=["payment", "expense", "consent", "consent event"],
)
def test_the_admin_refuses_to_delete(admin_client, factory, model):
    # given
    row = factory()
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    # when
    page = admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk])
    )
    posted = admin_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk]), {"post": "yes"}
    )
    bulk = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    # then
    assert (page.status_code, posted.status_code) == (403, 403)
    assert b"delete_selected" not in admin_client.get(changelist).content
    assert bulk.status_code in (200, 302)
    assert model.objects.filter(pk=row.pk).exists()


def test_a_customer_with_consent_records_cannot_be_deleted_in_the_admin(admin_client):
    # given
    consent = ContactConsentFactory()
    url = reverse("admin:customers_customer_delete", args=[consent.customer_id])
    # when
    page = admin_client.get(url)
    admin_client.post(url, {"post": "yes"})
    # then the admin refuses (a customer is anonymised, never deleted), and nothing is deleted
    assert page.status_code == 403
    assert Customer.objects.filter(pk=consent.customer_id).exists()
    assert ContactConsent.objects.filter(pk=consent.pk).exists()
