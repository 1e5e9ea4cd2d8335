"""Every route refuses anonymous access, except an explicit public allow-list.

The URL resolver is walked, so a route added later is checked without editing this file; the API's
operations come from its OpenAPI document, each called with its own method.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from config.api import api
from crm.core.services import api_token_create

# Routes anyone may call; each verifies what it receives in its own way.
PUBLIC = {
    "login/": "the login page",
    "logout/": "signing out",
    "healthz": "load balancer health check, no data",
    "favicon.ico": "a redirect to the icon, a static file",
    "webhooks/whatsapp": "signed by Meta (X-Hub-Signature-256) or the verify token",
    "webhooks/twilio/status": "signed by Twilio (X-Twilio-Signature)",
    "webhooks/twilio/inbound": "signed by Twilio (X-Twilio-Signature)",
    "s/<str:token>": "survey link: a signed one-time token",
    "u/<str:token>": "unsubscribe link: a signed token (CAN-SPAM one-click opt-out)",
    "p/<str:token>/": "customer portal: a signed link, checked against its revocable row",
    "p/<str:token>/visits/<int:job_id>/confirm/": "customer portal: link, and job is theirs",
    "p/<str:token>/visits/<int:job_id>/reschedule/": "customer portal: the link, the job is theirs",
    "p/<str:token>/preferences/": "customer portal: a signed link, checked against its row",
    "p/<str:token>/request/": "customer portal: a signed link, checked against its row",
    "admin/login/": "the admin's own login page",
    "admin/logout/": "signing out",
}
SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "path": "sample/x", "uuid": "0" * 32}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        route = prefix + _route_text(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _route_text(pattern: RoutePattern | RegexPattern) -> str:
    if isinstance(pattern, RoutePattern):
        return str(pattern._route)
    regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    # A named group of literal alternatives takes its first alternative, any other group "1".
    regex = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", regex)
    return re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex).replace("\\", "")


def _concrete(route: str) -> str:
    def sample(match: re.Match[str]) -> str:
        converter = match.group(1) or "str"
        return SAMPLE.get(converter, "sample")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, route)


PAGE_ROUTES = sorted(
    route for route in set(_walk(get_resolver().url_patterns)) if not route.startswith("api/")
)


def test_the_walk_finds_the_pages_and_the_allow_list_is_real() -> None:
    assert {"customers/", "admin/"} <= set(PAGE_ROUTES)
    assert set(PUBLIC) <= set(PAGE_ROUTES), "an allow-listed route no longer exists"


@pytest.mark.django_db
@pytest.mark.parametrize("route", [route for route in PAGE_ROUTES if route not in PUBLIC])
def test_page_refuses_anonymous(route: str) -> None:
    url = _concrete(route)
    response = Client().get(url)
    assert response.status_code in {302, 404}, f"{url} answered {response.status_code}"
    if response.status_code == 302:
        assert "login" in response["Location"], f"{url} redirects to {response['Location']}"


def _operations() -> list[tuple[str, str]]:
    document = api.get_openapi_schema()
    return sorted(
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    )


def test_every_api_operation_is_listed() -> None:
    assert len(_operations()) > 40


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _operations())
def test_api_operation_refuses_anonymous(method: str, path: str) -> None:
    url = re.sub(r"\{\w+\}", "1", path)
    response = Client().generic(method, url, data="{}", content_type="application/json")
    assert response.status_code == 401, f"{method} {url} answered {response.status_code}"
    assert response.json()["detail"]


# The API's routes that are no operation: its documents, and the root (always 404, no content).
API_DOCUMENTS = {"/api/": 404, "/api/docs": 302, "/api/openapi.json": 401}


def test_the_api_routes_outside_the_document_are_its_documents() -> None:
    api_routes = {route for route in _walk(get_resolver().url_patterns) if route.startswith("api/")}
    as_paths = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) for route in api_routes}
    assert as_paths - {path for _, path in _operations()} == set(API_DOCUMENTS)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), sorted(API_DOCUMENTS.items()))
def test_api_documents_refuse_anonymous(url: str, status: int) -> None:
    response = Client().get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    if status == 302:
        assert response["Location"] == f"/login/?next={url}"
    if status == 401:
        assert response.json()["detail"] == "Sign in or send an API token."


@pytest.mark.django_db
def test_api_documents_answer_a_session_and_a_token(staff_client: Client, staff_user: Any) -> None:
    # given
    _, raw = api_token_create(user=staff_user, name="docs")
    # when
    page = staff_client.get("/api/docs")
    by_token = Client().get("/api/openapi.json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    # then
    assert page.status_code == 200
    assert "swagger" in page.content.decode()
    assert by_token.status_code == 200
    assert by_token.json()["info"]["title"] == "ServiceCRM API"


@pytest.mark.django_db
def test_a_signed_in_user_gets_the_home_page(staff_client: Client) -> None:
    response = staff_client.get("/")
    assert response.status_code == 200
    assert response.resolver_match.url_name == "home"
    assert "<h1>Today</h1>" in response.content.decode()
