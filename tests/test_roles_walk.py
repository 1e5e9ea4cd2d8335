"""The role walk: every page, htmx partial and API operation, as every role.

Table-driven: PAGES and OPERATIONS name every route of the project with who may reach it. The URL
resolver and the API's OpenAPI document are walked, so a route added without a line here fails
`test_every_route_is_in_the_table` (add it, and to crm.core.policy if it is not for Owner and
Office alone). Each role then walks every route and gets 403 exactly where the table says.
The policy itself is crm/core/policy.py (docs/adr/0009-roles-policy.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from config.api import api
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.roles import Role
from crm.core.services import api_token_create
from crm.core.tests.factories import UserFactory
from crm.customers.models import ServiceLocation
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.technicians.tests.factories import TechnicianFactory

# Who reaches a route: S Owner and Office; OWNER Owner only; T every role, Technicians too (the view
# shows only their own things); P public (no sign-in; tests/test_login_required.py lists why).
S, OWNER, T, P = "staff", "owner", "every role", "public"
PAGES: dict[str, str] = {
    "login": P,
    "logout": P,
    "healthz": P,
    "favicon": P,
    "whatsapp-webhook": P,
    "twilio-status": P,
    "twilio-inbound": P,
    "survey": P,
    "unsubscribe": P,
    "admin:login": P,
    "admin:logout": P,
    # The home page: Today for Owner and Office; a Technician is sent to My visits.
    "home": S,
    "appliance-add": S,
    "appliance-delete": S,
    "appliance-edit": S,
    # maintenance plans (issue 14): the Plans card's actions
    "plan-new": S,
    "plan-renew": S,
    "plan-cancel": S,
    "communication-edit": S,
    "customer-card": S,
    "customer-create": S,
    "customer-detail": S,
    "customer-details-edit": S,
    "message-compose": S,
    "customer-export": S,
    "customer-import": S,
    "customer-list": S,
    "customer-anonymise": OWNER,
    "consent-clear": S,
    "customer-merge": S,
    "customer-merge-confirm": S,
    "customer-pick": S,
    # Service locations (issue 14)
    "location-add": S,
    "location-edit": S,
    "engagement-followup-add": S,
    "engagement-greeting-add": S,
    "engagement-hub": S,
    "engagement-message-cancel": S,
    "engagement-message-edit": S,
    "engagement-message-schedule": S,
    "engagement-message-send": S,
    "engagement-reminder": S,
    "engagement-reminder-add": S,
    "engagement-section": S,
    "engagement-suggestion-dismiss": S,
    "engagement-suggestion-log": S,
    "engagement-suggestion-schedule": S,
    "engagement-suggestions": S,
    "expense-add": S,
    "expense-edit": S,
    "insight-appliance": S,
    "insight-maintenance": S,
    "insight-maintenance-message": S,
    "insight-maintenance-reminder": S,
    "insight-panel": S,
    "insight-technician": S,
    "insight-technician-assign": S,
    "insight-value": S,
    "job-card": S,
    "job-edit": S,
    "job-new": S,
    "job-technicians": S,
    "job-book": S,
    "job-list-more": S,
    "note-add": S,
    "payment-add": S,
    "payment-edit": S,
    "preferred-technician-set": S,
    "referral-add": S,
    "referral-edit": S,
    "review-add": S,
    "technician-add": S,
    "technician-deactivate": S,
    "technician-edit": S,
    "technician-list": S,
    "technician-reactivate": S,
    "timeline-more": S,
    "today": S,
    "today-counts": S,
    "today-drafts-approve": S,
    "today-inbound-answered": S,
    "today-message": S,
    "today-reminder": S,
    "today-score-handled": S,
    "today-section": S,
    "undo": S,
    "user-list": OWNER,
    "user-add": OWNER,
    "user-edit": OWNER,
    "user-deactivate": OWNER,
    "company-settings": OWNER,
    "today-checklist-hide": OWNER,
    "token-list": T,
    "token-add": T,
    "token-revoke": T,
    "my-visits": T,
    "my-visit-start": T,
    "my-visit-complete": T,
    "my-visit-note": T,
    "my-visit-appliance": T,
    # Issue 14: appointment reminders and on my way.
    "job-on-my-way": S,
    "my-visit-on-my-way": T,
    # The customer portal (issue 14): the public page behind a signed link and its forms; the
    # Customer View's actions on portal links.
    "portal": P,
    "portal-visit-confirm": P,
    "portal-visit-reschedule": P,
    "portal-preferences": P,
    "portal-request": P,
    "portal-link-send": S,
    "portal-links-revoke": S,
    # Read nameplate (issue 15).
    "appliance-nameplate": S,
    "appliance-add-nameplate": S,
    "appliance-nameplate-save": S,
    "appliance-nameplate-photo": S,
}
# Every page of the admin site is for Owner and Office (the admin checks is_staff and the group's
# permissions itself); a Technician is refused at the door.
ADMIN_PREFIX = "admin:"
# The API's own documentation is left to the API's login (another door: its views are ninja's).
API_DOCS = {"api:openapi-json", "api:openapi-view"}
OPERATIONS: dict[str, str] = {
    "GET /api/activities": S,
    "GET /api/audit": S,
    "POST /api/add-activity": S,
    "POST /api/add-appliance": S,
    "POST /api/add-customer": S,
    "POST /api/add-expense": S,
    "POST /api/add-job": S,
    "POST /api/add-payment": S,
    "POST /api/add-referral": S,
    "POST /api/add-review": S,
    "POST /api/customer/{customer_id}/anonymise": OWNER,
    "POST /api/customer/{customer_id}/consent/clear": S,
    "GET /api/appliance/{appliance_id}": S,
    "GET /api/appliance/{appliance_id}/maintenance-prediction": S,
    "POST /api/appliance/{appliance_id}/predict-maintenance": S,
    "GET /api/appliances": S,
    "GET /api/customer/{customer_id}": T,
    "POST /api/customer/{customer_id}/analyze-sentiment": S,
    "POST /api/customer/{customer_id}/followup-suggestions": S,
    "POST /api/customer/{customer_id}/generate-greeting": S,
    "GET /api/customer/{customer_id}/maintenance-alerts": S,
    "POST /api/customer/{customer_id}/match-technician": S,
    "POST /api/customer/{customer_id}/merge": S,
    "POST /api/customer/{customer_id}/preferred-technician": S,
    "GET /api/customer/{customer_id}/profit": S,
    "POST /api/customer/{customer_id}/profitability-analysis": S,
    "POST /api/customer/{customer_id}/technician-rating": S,
    "GET /api/customer/{customer_id}/technician-ratings": S,
    "POST /api/customer/{customer_id}/timeline-summary": S,
    "GET /api/customers": S,
    "DELETE /api/delete-appliance/{appliance_id}": S,
    "GET /api/expense/{expense_id}": S,
    "PUT /api/expense/{expense_id}": S,
    "PUT /api/follow-up/{follow_up_id}": S,
    "GET /api/follow-ups": S,
    "GET /api/followups": S,
    "POST /api/followups": S,
    "POST /api/import/customers": S,
    "POST /api/job/{job_id}/follow-up": S,
    "GET /api/job/{job_id}/profit": S,
    "GET /api/jobs": S,
    "GET /api/referrals": S,
    "PUT /api/reminder/{reminder_id}": S,
    "GET /api/reminders": S,
    "POST /api/reminders": S,
    "GET /api/reviews": S,
    "POST /api/schedule-message": S,
    "GET /api/scheduled-message/{message_id}": S,
    "PUT /api/scheduled-message/{message_id}": S,
    "POST /api/scheduled-message/{message_id}/mark-failed": S,
    "POST /api/scheduled-message/{message_id}/mark-sent": S,
    "POST /api/scheduled-message/{message_id}/retry": S,
    "POST /api/scheduled-message/{message_id}/send-now": S,
    "GET /api/scheduled-messages": S,
    "GET /api/technicians": S,
    "POST /api/technicians": S,
    "PUT /api/technicians/{technician_id}": S,
    "PUT /api/update-appliance/{appliance_id}": S,
    "PUT /api/update-customer/{customer_id}": S,
    "PUT /api/update-job/{job_id}": S,
    "PUT /api/update-payment/{payment_id}": S,
    "PUT /api/update-referral/{referral_id}": S,
    "PUT /api/update-review/{review_id}": S,
    # Issue 14: appointment reminders and on my way.
    "POST /api/job/{job_id}/on-my-way": S,
    # Service locations (issue 14)
    "GET /api/customer/{customer_id}/locations": S,
    "POST /api/add-location": S,
    "PUT /api/update-location/{location_id}": S,
    # The customer portal's links (issue 14).
    "POST /api/customer/{customer_id}/portal-link": S,
    "POST /api/customer/{customer_id}/portal-link/revoke": S,
    # Read nameplate (issue 15).
    "POST /api/appliance/{appliance_id}/nameplate": S,
    "POST /api/appliance/{appliance_id}/nameplate/confirm": S,
    "GET /api/appliance/{appliance_id}/nameplate/photo": S,
    # maintenance plans (issue 14)
    "POST /api/add-maintenance-plan": S,
    "GET /api/maintenance-plans": S,
    "PUT /api/update-maintenance-plan/{plan_id}": S,
    "POST /api/renew-maintenance-plan/{plan_id}": S,
}

SAMPLE = {"int": "1", "str": "sample", "slug": "sample", "path": "sample/x", "uuid": "0" * 32}


def _routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in patterns:
        route = prefix + _route_text(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            found += _routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            found.append((route, namespace + (entry.name or "")))
    return found


def _route_text(pattern: Any) -> str:
    if hasattr(pattern, "_route"):
        return str(pattern._route)
    regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
    regex = re.sub(r"\(\?P<\w+>([\w-]+)(?:\|[^)]*)?\)", r"\1", regex)
    return re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex).replace("\\", "")


PAGE_ROUTES = sorted(
    (route, name) for route, name in set(_routes(get_resolver().url_patterns))
    if name not in API_DOCS and not route.startswith("api/")
)  # fmt: skip


def _operations() -> list[str]:
    document = api.get_openapi_schema()
    return sorted(f"{m.upper()} {path}" for path, item in document["paths"].items() for m in item)


def _page_class(name: str) -> str:
    return S if name.startswith(ADMIN_PREFIX) and name not in PAGES else PAGES[name]


def test_every_route_is_in_the_table() -> None:
    # given every page route and every API operation of the project
    names = {name for _, name in PAGE_ROUTES}
    # then each has a line in the table, and the table names no route that is gone
    missing = sorted(n for n in names if n not in PAGES and not n.startswith(ADMIN_PREFIX))
    assert missing == [], f"routes without a line in PAGES: {missing}"
    assert sorted(set(PAGES) - names) == [], "PAGES names routes that no longer exist"
    assert sorted(set(_operations()) ^ set(OPERATIONS)) == [], "OPERATIONS differs from the API"
    assert len(PAGE_ROUTES) > 150
    assert len(OPERATIONS) > 50


class World:
    """One of each thing the routes name, so ids resolve; a technician with a visit today."""

    def __init__(self) -> None:
        self.technician = TechnicianFactory(name="Tess")
        self.customer = CustomerFactory(name="Ana Ruiz")
        self.location = ServiceLocation.objects.create(
            customer=self.customer, label="Rental", address="12 Oak St"
        )
        self.appliance = ApplianceFactory(customer=self.customer)
        in_two_hours = timezone.now() + dt.timedelta(hours=2)
        self.job = JobFactory(
            customer=self.customer, technician=self.technician, appliance=self.appliance,
            scheduled_for=in_two_hours,
        )  # fmt: skip
        self.payment = PaymentFactory(customer=self.customer, job=self.job)
        self.expense = ExpenseFactory(customer=self.customer, job=self.job)
        self.other = CustomerFactory(name="Ben Other")
        self.users = {role: UserFactory(username=f"walk-{role or 'none'}", role=role or "")
                      for role in (Role.OWNER, Role.OFFICE, Role.TECHNICIAN, None)}  # fmt: skip
        self.technician.user = self.users[Role.TECHNICIAN]
        self.technician.save()
        self.token = api_token_create(user=self.users[Role.OFFICE])[0]
        self.ids = {
            "customer_id": self.customer.pk, "job_id": self.job.pk, "into_id": self.other.pk,
            "appliance_id": self.appliance.pk, "technician_id": self.technician.pk,
            "payment_id": self.payment.pk, "expense_id": self.expense.pk,
            "user_id": self.users[Role.OFFICE].pk, "token_id": self.token.pk,
            "location_id": self.location.pk,
        }  # fmt: skip

    def url(self, route: str) -> str:
        def value(match: re.Match[str]) -> str:
            converter, name = match.group(1) or "str", match.group(2)
            return str(self.ids.get(name, SAMPLE.get(converter, "sample")))

        path = re.sub(r"<(?:(\w+):)?(\w+)>", value, route).lstrip("/")
        return "/" + re.sub(r"\{(\w+)\}", lambda m: str(self.ids.get(m.group(1), 1)), path)

    def client(self, role: Role | None) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def _allowed(role: Role | None, access: str) -> bool:
    if role is None:
        return False
    return {S: role is not Role.TECHNICIAN, OWNER: role is Role.OWNER, T: True}[access]


def _page_problem(world: World, client: Client, role: Role | None, route: str, name: str) -> str:
    url = world.url(route)
    response = client.get(url)
    status = response.status_code
    if role is Role.TECHNICIAN and name == "home":
        return "" if status == 302 and response["Location"] == "/my-visits/" else f"{url}: {status}"
    allowed = _allowed(role, _page_class(name))
    # The admin refuses some pages by the group's permissions itself: only our door's 403 for the
    # roles it refuses is checked there.
    admin_refusal = name.startswith(ADMIN_PREFIX) and allowed and status == 403
    if status >= 500 or ((status == 403) == allowed and not admin_refusal):
        return f"{url} ({name}): {status}"
    return ""


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OWNER, Role.OFFICE, Role.TECHNICIAN, None])
def test_every_page_as_each_role(role: Role | None) -> None:
    # given a world and a user of this role (None: signed in, but in no role group)
    world = World()
    client = world.client(role)
    # when every page and partial is opened
    problems = [
        _page_problem(world, client, role, route, name)
        for route, name in PAGE_ROUTES
        if _page_class(name) != P
    ]
    # then 403 exactly where the table refuses this role, and never a 500
    assert [p for p in problems if p] == []


def _call(client: Client, world: World, operation: str, **headers: str) -> int:
    method, path = operation.split(" ", 1)
    response = client.generic(
        method, world.url(path), data="{}", content_type="application/json", headers=headers
    )
    return int(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OWNER, Role.OFFICE, Role.TECHNICIAN, None])
def test_every_api_operation_as_each_role(role: Role | None) -> None:
    # given a world and a signed-in user of this role
    world = World()
    client = world.client(role)
    # when every operation is called (an empty JSON body for writes)
    results = {operation: _call(client, world, operation) for operation in OPERATIONS}
    # then 403 exactly where the table refuses this role, never 401 or a 500
    wrong = {
        operation: status
        for operation, status in results.items()
        if status in (401,) or status >= 500
        or (status == 403) == _allowed(role, OPERATIONS[operation])
    }  # fmt: skip
    assert wrong == {}


@pytest.mark.django_db
def test_a_read_only_token_reads_and_is_refused_every_write() -> None:
    # given an Office user's read-only token
    world = World()
    _, raw = api_token_create(user=world.users[Role.OFFICE], read_only=True)
    bearer = {"Authorization": f"Bearer {raw}"}
    # when every operation is called with it
    results = {operation: _call(Client(), world, operation, **bearer) for operation in OPERATIONS}
    # then every GET passes the door and every other method is 403
    refused = {op for op, status in results.items() if status == 403}
    assert refused == {op for op in OPERATIONS if not op.startswith("GET ")}
    assert all(status < 500 and status != 401 for status in results.values())
