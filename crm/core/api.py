"""The API's shared parts: authentication, the router that documents errors, error bodies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Router
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from crm.core.errors import ApplicationError
from crm.core.models import ApiToken
from crm.core.policy import SAFE_METHODS, TECHNICIAN_OPERATIONS, operation_allowed
from crm.core.roles import Role, user_role, user_technician_id
from crm.core.schemas import ErrorOut, storable_text

LAST_USED_EVERY = dt.timedelta(minutes=1)
ERROR_RESPONSES: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


# (technician id, customer id) -> whether the customer is in that technician's window.
CustomerVisible = Callable[[int, int], bool]
ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def operation_key(request: HttpRequest) -> str:
    """ "METHOD /api/path" as the OpenAPI document names the operation being called."""
    match = request.resolver_match
    route = ROUTE_PARAMETER.sub(r"{\1}", match.route) if match else request.path.lstrip("/")
    return f"{request.method} /{route}"


class RolePolicyCheck:
    """The API's door of the role policy (crm.core.policy), asked once the caller is known."""

    def __init__(self, customer_visible: CustomerVisible) -> None:
        self.customer_visible = customer_visible

    def check(self, request: HttpRequest, user: User, token: ApiToken | None = None) -> None:
        """Raise 403 (AuthorizationError) or 404 (Http404) unless this user may call this."""
        operation = operation_key(request)
        role = user_role(user)
        if not operation_allowed(role, operation):
            raise AuthorizationError(message="Your role does not allow this operation.")
        if token is not None and token.read_only and request.method not in SAFE_METHODS:
            raise AuthorizationError(message="This API token is read-only.")
        if role is Role.TECHNICIAN:
            self._check_window(request, user, TECHNICIAN_OPERATIONS[operation])

    def _check_window(self, request: HttpRequest, user: User, parameter: str) -> None:
        match = request.resolver_match
        raw = str(match.kwargs.get(parameter, "")) if match else ""
        technician_id = user_technician_id(user)
        # Outside the window the customer does not exist for this technician: 404, like a
        # customer id that exists nowhere, so ids cannot be probed.
        if not raw.isdigit() or technician_id is None:
            raise Http404
        if not self.customer_visible(technician_id, int(raw)):
            raise Http404


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: a live token acts with its user's role."""

    def __init__(self, policy: RolePolicyCheck | None = None) -> None:
        super().__init__()
        self.policy = policy

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = ApiToken.objects.matching(token)
        if api_token is None:
            return None
        request.user = api_token.user
        now = timezone.now()
        # At most one write a minute per token: a write on every request makes concurrent
        # requests queue for SQLite's write lock (measured: 29 instead of 300+ req/s).
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        if self.policy is not None:
            self.policy.check(request, api_token.user, api_token)
        return api_token


class SessionAuth(NinjaSessionAuth):
    """The signed-in session (with CSRF on writes), then the role policy."""

    def __init__(self, policy: RolePolicyCheck) -> None:
        super().__init__()
        self.policy = policy

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if isinstance(user, User):
            self.policy.check(request, user)
        return user


class ApiRouter(Router):
    """A router whose operations speak camelCase and declare the standard error responses."""

    def add_api_operation(self, *args: Any, **kwargs: Any) -> None:
        kwargs["by_alias"] = True
        response = kwargs.get("response", NOT_SET)
        if response is not NOT_SET:
            declared = response if isinstance(response, dict) else {200: response}
            kwargs["response"] = {**ERROR_RESPONSES, **declared}
        super().add_api_operation(*args, **kwargs)


class StorableQueryParser(Parser):
    """The JSON parser, refusing query values no database can store (NUL, as `%00`)."""

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed: dict[str, Any] = super().parse_querydict(data, list_fields, request)
        for name, value in parsed.items():
            try:
                storable_text(value)
            except ValueError as error:
                raise ValidationError([{"loc": ("query", name), "msg": str(error)}]) from None
        return parsed


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    detail: str,
    errors: list[dict[str, str]],
    **details: Any,
) -> HttpResponse:
    body = {"detail": detail, "errors": errors, **details}
    return api.create_response(request, body, status=status)


def _field_of(location: tuple[Any, ...] | list[Any]) -> str:
    # ninja reports ("body", "payload", "amount"): the client only cares about "amount".
    parts = [
        str(part) for part in location if part not in ("body", "payload", "query", "path", "data")
    ]
    return ".".join(parts)


def install_error_handlers(api: NinjaAPI) -> None:
    """Every refusal is JSON {"detail", "errors": [{"field", "message"}]}; never a 500."""

    @api.exception_handler(ValidationError)
    def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
            for e in exc.errors
        ]
        return _error(api, request, 422, "The request is not valid.", errors)

    @api.exception_handler(ApplicationError)
    def refused(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        # A refusal about no field in particular (a missing row) has only its detail.
        errors = exc.errors() if exc.field else []
        return _error(api, request, exc.status, exc.message, errors, **exc.details())

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(api, request, 401, "Sign in or send an API token.", [])

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return _error(api, request, 403, str(exc), [])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return _error(api, request, exc.status_code, str(exc), [])

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 404, "Not found.", [])

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(api, request, 404, "Not found.", [])

    @api.exception_handler(ProtectedError)
    def protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
        return _error(api, request, 409, "It has payments or expenses; those records are kept.", [])

    @api.exception_handler(DataError)
    def out_of_range(request: HttpRequest, exc: DataError) -> HttpResponse:
        # Inputs are range-checked first; this is the database's own guard.
        return _error(api, request, 422, "A value is out of range for the database.", [])

    @api.exception_handler(IntegrityError)
    def integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Services check first; this is the database's own guard catching a race.
        return _error(api, request, 409, "The change conflicts with existing data.", [])


def signed_in_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's documents (/api/docs, /api/openapi.json) for a session or a Bearer token only.

    The document maps every operation and field: no map for anonymous visitors. A browser is sent
    to the login page; a program (the JSON document) gets the API's own 401 body.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or BearerTokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            body = {"detail": "Sign in or send an API token.", "errors": []}
            return JsonResponse(body, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


def build_api(*, routers: list[tuple[str, Router]], customer_visible: CustomerVisible) -> NinjaAPI:
    """The one API; `customer_visible` says which customers a Technician may read (their window,
    given by a domain app, which core cannot import)."""
    policy = RolePolicyCheck(customer_visible)
    api = NinjaAPI(
        docs_decorator=signed_in_only,
        title="ServiceCRM API",
        version="1",
        description="The Customer View plan's endpoints. Session or Bearer token.",
        auth=[BearerTokenAuth(policy), SessionAuth(policy)],
        urls_namespace="api",
        parser=StorableQueryParser(),
    )
    install_error_handlers(api)
    for prefix, router in routers:
        api.add_router(prefix, router)
    return api


def request_user(request: HttpRequest) -> User | None:
    """The signed-in user, or the owner of the API token; None when anonymous."""
    user = request.user
    return user if isinstance(user, User) else None
