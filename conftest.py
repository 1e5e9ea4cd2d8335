"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.core.company import company_forget
from crm.core.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _company_settings_from_environment() -> None:
    """Each test starts with no stored company settings, so company() follows django settings
    without reading the table (and a row stored by an earlier test is not remembered)."""
    company_forget(table_empty=True)


@pytest.fixture
def staff_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="office")


@pytest.fixture
def staff_client(staff_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def owner_client(db) -> Client:  # type: ignore[no-untyped-def]
    from crm.core.roles import Role

    client = Client()
    client.force_login(UserFactory(username="owner", role=Role.OWNER))
    return client
