"""The API's shared parts: authentication, the router that documents errors, error bodies."""

from __future__ import annotations

import datetime as dt
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
from ninja.security import HttpBearer, SessionAuth

from crm.core.errors import ApplicationError
from crm.core.models import ApiToken
from crm.core.schemas import ErrorOut, storable_text

LAST_USED_EVERY = dt.timedelta(minutes=1)
ERROR_RESPONSES: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), ErrorOut)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `manage.py create_api_token`."""

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
        return api_token


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


def build_api(*, routers: list[tuple[str, Router]]) -> NinjaAPI:
    api = NinjaAPI(
        docs_decorator=signed_in_only,
        title="ServiceCRM API",
        version="1",
        description="The Customer View plan's endpoints. Session or Bearer token.",
        auth=[BearerTokenAuth(), SessionAuth()],
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
