"""Django admin: every model of ours is registered with columns, search and filters, and its
list, search and edit pages render on demo data."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from crm.core.tests.factories import UserFactory
from crm.demo.seed import demo_seed

# Internal bookkeeping, not for people: the LLM rate limit's per-minute counter and the
# provider limits' next free moment per sending account.
INTERNAL = {"RateLimitWindow", "ChannelThrottle"}
OUR_MODELS = [
    model
    for model in apps.get_models()
    if model.__module__.startswith("crm.") and model.__name__ not in INTERNAL
]
# Rows the demo does not create (they appear when the app runs).
NOT_IN_DEMO = {
    "ApiToken", "ApplianceLifespan", "Reminder", "ScheduledMessage", "MessageEvent", "LLMCall",
    "InsightResult", "SurveyLink", "WebhookReceipt", "SuggestionDecision", "ErasedAddressConsent",
    "AuditEntry", "AddressSuppression", "CompanySettings",
    # A portal link is made for one customer when the office sends it; the demo makes none.
    "PortalLink",
}  # fmt: skip


def _admin_for(model: type[Model]) -> ModelAdmin[Model]:
    assert model in admin.site._registry, f"{model.__name__} is not in the admin"
    return admin.site._registry[model]


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda model: model.__name__)
def test_every_model_has_columns_search_and_filters(model: type[Model]) -> None:
    model_admin = _admin_for(model)
    assert tuple(model_admin.list_display) != ("__str__",), "no list columns"
    assert model_admin.search_fields, "no search"
    assert model_admin.list_filter or model.__name__ == "ApiToken"


@pytest.fixture
def admin_client(db: None) -> Client:
    demo_seed(customers=6, seed=3)
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_list_search_and_edit_pages_render_with_demo_rows(admin_client: Client) -> None:
    for model in OUR_MODELS:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = admin_client.get(changelist)
        assert response.status_code == 200, changelist
        assert admin_client.get(changelist, {"q": "a"}).status_code == 200, changelist
        row = model._default_manager.order_by("pk").first()
        if model.__name__ not in NOT_IN_DEMO:
            assert row is not None, f"the demo has no {model.__name__}"
        if row is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            assert admin_client.get(change).status_code == 200, change
