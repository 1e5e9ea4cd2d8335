"""The suppression list is evidence: the admin shows it and can neither add nor delete rows."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.core.tests.factories import UserFactory
from crm.customers.models import AddressSuppression
from crm.customers.services.consent import address_opt_out

pytestmark = pytest.mark.django_db


def test_suppressions_are_listed_and_cannot_be_deleted_or_added() -> None:
    # given a superuser and a suppressed number
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    address_opt_out(channel="SMS", address="+13055550100", source="Keyword", detail="STOP")
    row = AddressSuppression.objects.get()
    base = "/admin/customers/addresssuppression/"
    # when / then
    assert "+13055550100" in client.get(base).content.decode()
    assert client.get(f"{base}{row.pk}/change/").status_code == 200
    assert client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{base}add/").status_code == 403
    assert AddressSuppression.objects.filter(pk=row.pk, lifted_at__isnull=True).exists()
