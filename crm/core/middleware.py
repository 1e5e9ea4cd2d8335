"""Login everywhere, except an explicit public allow-list; then the role policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from crm.core.policy import LANDING, Access, page_access
from crm.core.roles import user_role

# The API answers 401 JSON itself (session or bearer token); a login redirect would be
# useless to an API client, so the page middleware steps aside for it.
API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's LoginRequiredMiddleware, leaving `/api/` to the API's own authentication."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RolePolicyMiddleware:
    """The pages' door of the role policy (crm.core.policy): 403 for a route the role may not
    open, a Technician's home page sends them to My visits. Runs after LoginRequiredMiddleware;
    public views and the API (which checks in its authentication) are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        public = not getattr(view_func, "login_required", True)
        if public or request.path.startswith(API_PREFIX) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        role = user_role(request.user)
        access = page_access(role, match.view_name if match else "")
        if access is Access.LANDING and role is not None:
            return redirect(LANDING[role])
        if access is Access.DENY:
            raise PermissionDenied("Your role does not open this page.")
        return None
