"""Views every deployment needs (the health check), and the helpers every HTML form view uses.

The write views of the Customer View follow one pattern: a valid form goes to one service;
on success htmx gets `204 No Content` with events (HX-Trigger) that make the affected cards
reload themselves, and a plain browser post is redirected back to the page; on a refusal the
form comes back with the message next to its field and status 422, saving nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, ParamSpec

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET
from django_htmx.http import trigger_client_event

from crm.core.errors import ApplicationError, NotFound
from crm.core.forms import form_add_domain_error
from crm.core.htmx import HtmxHttpRequest, confirm

P = ParamSpec("P")
FORM_PAGE = "form_page.html"
CONFIRM_PAGE = "confirm_page.html"


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Public liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def customer_url(customer_id: int, anchor: str = "") -> str:
    """The Customer View, where every write view sends a plain browser back after saving."""
    return reverse("customer-detail", args=[customer_id]) + (f"#{anchor}" if anchor else "")


def page_number(query: QueryDict, name: str = "page") -> int:
    """A page number from the query string; 1 when missing or not a sensible number."""
    value = query.get(name, "")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1


def form_data(request: HttpRequest) -> QueryDict | None:
    """The posted data (a bound form, even when empty), or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def signed_in(request: HttpRequest) -> User | None:
    """The signed-in user; None only for a request the login middleware let through."""
    return request.user if isinstance(request.user, User) else None


def not_found_as_404(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Let a page view use selectors that raise NotFound: the visitor gets a plain 404."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapper


def form_submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    fields: Mapping[str, str] | None = None,
) -> bool:
    """True when the request posted a valid form and `save` (one service call) accepted it.

    A domain refusal is added to the form next to the field it names (see form_add_domain_error).
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ApplicationError as error:
        form_add_domain_error(form, error, fields=fields)
        return False
    return True


def form_saved(
    request: HtmxHttpRequest, *, events: Iterable[str], redirect_to: str, said: str = ""
) -> HttpResponse:
    """After a write: htmx gets 204 and the events its cards listen to; a plain post, a redirect.
    `said` names what changed ("Payment of $120.00 added"): the confirmation shows it."""
    if not request.htmx:
        response: HttpResponse = redirect(redirect_to)
    else:
        response = HttpResponse(status=204)
        for event in events:
            trigger_client_event(response, event)
    return confirm(request, response, said) if said else response


def asks_first(request: HtmxHttpRequest, question: str, *, submit: str, back: str) -> HttpResponse:
    """A step that cannot be undone (send now) asks before it is taken: without JavaScript, a
    page with the question and a button that posts the same fields again with `confirmed`.
    (With JavaScript the button's hx-confirm asks in a dialog and hx-vals adds `confirmed`.)"""
    fields = [
        (name, value)
        for name, value in request.POST.items()
        if name not in ("csrfmiddlewaretoken", "confirmed")
    ]
    context = {"question": question, "submit": submit, "back": back, "fields": fields,
               "action": request.path}  # fmt: skip
    return render(request, CONFIRM_PAGE, context)


def form_shown(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], *, form: forms.BaseForm
) -> HttpResponse:
    """The form as its partial for htmx, or on a page of its own; status 422 when refused."""
    status = 422 if form.is_bound and not form.is_valid() else 200
    if request.htmx:
        response = render(request, template, context, status=status)
    else:
        response = render(request, FORM_PAGE, {**context, "form_template": template}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
