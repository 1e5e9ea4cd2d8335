"""Who reaches what: the one table of the role policy (docs/adr/0009-roles-policy.md).

Two doors read it, each in one place: pages and htmx partials through
crm.core.middleware.RolePolicyMiddleware (keyed by URL name), the API through the NinjaAPI's
authentication in crm.core.api (keyed by "METHOD /api/path" as the OpenAPI document names it).

Default: Owner and Office reach everything; a Technician reaches only what is listed here; a
signed-in user with no role reaches nothing (403). Superusers are Owners. Adding a route means
adding it here only if it is for Technicians or for Owners alone (and to the walk test's table,
tests/test_roles_walk.py, which fails for a route it does not know).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from crm.core.roles import Role

# Pages and htmx partials (URL names) a Technician may open: My visits and its actions, and their
# own API tokens. Each view scopes itself to the technician's own jobs (404 otherwise).
TECHNICIAN_PAGES = frozenset(
    {
        "my-visits",
        "my-visit-start",
        "my-visit-complete",
        "my-visit-note",
        "my-visit-appliance",
        "my-visit-on-my-way",
        "token-list",
        "token-add",
        "token-revoke",
    }
)
# Pages for Owners only: the users page, anonymising a customer (it cannot be undone), the
# company's Settings page and hiding Today's first-run checklist.
OWNER_PAGES = frozenset(
    {
        "user-list",
        "user-add",
        "user-edit",
        "user-deactivate",
        "customer-anonymise",
        "company-settings",
        "today-checklist-hide",
    }
)
# Where a role lands when it opens the home page (the page LOGIN_REDIRECT_URL names).
LANDING = {Role.TECHNICIAN: "my-visits"}
HOME = "home"

# API operations a Technician may call, each with the path parameter naming the customer whose
# window (a week before a visit of theirs to 30 days after it) is checked: 404 outside it.
TECHNICIAN_OPERATIONS: dict[str, str] = {"GET /api/customer/{customer_id}": "customer_id"}
# API operations for Owners only.
OWNER_OPERATIONS: frozenset[str] = frozenset({"POST /api/customer/{customer_id}/anonymise"})

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Access(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    LANDING = "landing"  # redirect to the role's own landing page


def page_access(role: Role | None, view_name: str) -> Access:
    """Whether `role` may open the page or partial named `view_name` (namespaced, "admin:index")."""
    if role is None:
        return Access.DENY
    if role in LANDING and view_name == HOME:
        return Access.LANDING
    if view_name in OWNER_PAGES:
        return Access.ALLOW if role is Role.OWNER else Access.DENY
    if role is Role.TECHNICIAN:
        return Access.ALLOW if view_name in TECHNICIAN_PAGES else Access.DENY
    return Access.ALLOW


def operation_allowed(role: Role | None, operation: str) -> bool:
    """Whether `role` may call the API operation "METHOD /api/path"."""
    if role is None:
        return False
    if operation in OWNER_OPERATIONS:
        return role is Role.OWNER
    if role is Role.TECHNICIAN:
        return operation in TECHNICIAN_OPERATIONS
    return True


# Keys of API answers that carry money or value: absent (not zeroed) for a Technician.
MONEY_KEYS = frozenset(
    {
        "payments",
        "expenses",
        "financials",
        "revenue",
        "netProfit",
        "netProfitAfterLabor",
        "laborCost",
        "margin",
        "profit",
        "rewardAmount",
        "hourlyCost",
        "amount",
        "totalSpent",
        "lifetimeValue",
        "value",
    }
)


def money_removed(data: Any) -> Any:
    """The answer with every money key removed, at any depth (a new structure)."""
    if isinstance(data, dict):
        return {key: money_removed(item) for key, item in data.items() if key not in MONEY_KEYS}
    if isinstance(data, list):
        return [money_removed(item) for item in data]
    return data
