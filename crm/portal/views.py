"""The customer's portal page behind a signed link (public: no login, rate limited), its three
forms (answer a visit, contact choices, request service), and the Customer View's two office
actions (send a new link, revoke the links). Plain forms: post, then back to the page."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.throttling import per_address_limit
from crm.portal.forms import PreferencesForm, ServiceRequestForm
from crm.portal.models import PortalLink
from crm.portal.phrases import phrases_for, portal_language
from crm.portal.selectors import PortalPage, portal_page
from crm.portal.services.answers import (
    portal_preferences_save,
    portal_service_request,
    portal_visit_confirm,
    portal_visit_reschedule,
)
from crm.portal.services.links import (
    PortalLinkGone,
    portal_link_open,
    portal_link_send,
    portal_links_revoke,
)

TEMPLATE = "portal/page.html"
PortalView = Callable[..., HttpResponse]


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/gone.html", status=404)


def public_portal(methods: list[str]) -> Callable[[PortalView], PortalView]:
    """A public portal door: rate limited, never cached, and the link opened (404 "this link
    no longer works" otherwise) and handed to the view, which speaks the customer's language."""

    def decorate(view: PortalView) -> PortalView:
        @login_not_required
        @never_cache
        @per_address_limit("public-page", "PUBLIC_PAGE_REQUESTS_PER_MINUTE")
        @require_http_methods(methods)
        @wraps(view)
        def door(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
            try:
                link = portal_link_open(token=token)
            except PortalLinkGone:
                return _gone(request)
            with translation.override(portal_language(link.customer.language_preference)):
                return view(request, link, token=token, **kwargs)

        return door

    return decorate


def _page(
    request: HttpRequest, link: PortalLink, token: str, status: int = 200,
    page: PortalPage | None = None, **forms: Any,
) -> HttpResponse:  # fmt: skip
    page = page or portal_page(customer=link.customer)
    context = {
        "page": page, "w": page.words, "token": token,
        "request_form": forms.get("request_form") or ServiceRequestForm(page=page),
        "preferences_form": forms.get("preferences_form") or PreferencesForm(page=page),
    }  # fmt: skip
    return render(request, TEMPLATE, context, status=status)


@public_portal(["GET"])
def portal(request: HttpRequest, link: PortalLink, token: str) -> HttpResponse:
    """The customer's own page: addresses, appliances, visits, plan, contact choices."""
    return _page(request, link, token)


def _answered(
    request: HttpRequest, link: PortalLink, token: str, act: Callable[[], object], thanks: str
) -> HttpResponse:
    """Run the visit's answer; back to the page with what happened (404 for a visit that is
    not this customer's: nothing about it is told)."""
    words = phrases_for(link.customer.language_preference)
    try:
        act()
    except NotFound:
        return _gone(request)
    except Conflict:
        messages.error(request, words["visit_gone"])
    except ValidationFailed:  # the only one: a note longer than the box allows
        messages.error(request, words["note_length"])
    else:
        messages.success(request, words[thanks])
    return redirect("portal", token=token)


@public_portal(["POST"])
def portal_visit_confirm_view(
    request: HttpRequest, link: PortalLink, token: str, job_id: int
) -> HttpResponse:
    """Confirm one of the customer's own booked visits."""
    act = partial(portal_visit_confirm, link=link, job_id=job_id)
    return _answered(request, link, token, act, "visit_confirmed")


@public_portal(["POST"])
def portal_visit_reschedule_view(
    request: HttpRequest, link: PortalLink, token: str, job_id: int
) -> HttpResponse:
    """Ask to move one of the customer's own booked visits (the office calls them)."""
    note = request.POST.get("note", "")
    act = partial(portal_visit_reschedule, link=link, job_id=job_id, note=note)
    return _answered(request, link, token, act, "reschedule_asked")


@public_portal(["POST"])
def portal_preferences(request: HttpRequest, link: PortalLink, token: str) -> HttpResponse:
    """Save the customer's contact preferences and consents, as their own change."""
    page = portal_page(customer=link.customer)
    form = PreferencesForm(request.POST, page=page)
    if form.is_valid():
        try:
            portal_preferences_save(link=link, choices=form.choices())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, phrases_for(form.cleaned_data["language"])["saved"])
            return redirect("portal", token=token)
    return _page(request, link, token, status=422, page=page, preferences_form=form)


@public_portal(["POST"])
def portal_request(request: HttpRequest, link: PortalLink, token: str) -> HttpResponse:
    """Request service: the office gets a reminder, the timeline an entry."""
    page = portal_page(customer=link.customer)
    form = ServiceRequestForm(request.POST, page=page)
    if form.is_valid():
        try:
            portal_service_request(
                link=link, appliance_id=form.appliance_id(), problem=form.cleaned_data["problem"],
                preferred_days=form.cleaned_data["days"],
            )  # fmt: skip
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, phrases_for(link.customer.language_preference)["request_sent"]
            )
            return redirect("portal", token=token)
    return _page(request, link, token, status=422, page=page, request_form=form)


def _office_answer(request: HtmxHttpRequest, customer_id: int, text: str) -> HttpResponse:
    """The Customer View's confirmation (htmx: a toast; a plain post: back to the page)."""
    if request.htmx:
        return confirm(request, HttpResponse(status=204), text)
    return confirm(request, redirect("customer-detail", customer_id), text)


@require_POST
def portal_link_send_view(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Send the customer a new portal link through the outbox (their preferred channel)."""
    try:
        message = portal_link_send(customer_id=customer_id, user=request.user)
    except NotFound:
        raise Http404("No customer with that id.") from None
    except ApplicationError as error:
        return _office_answer(request, customer_id, f"Portal link not sent: {error.message}")
    return _office_answer(request, customer_id, f"Portal link sent by {message.channel}.")


@require_POST
def portal_links_revoke_view(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """End every portal link of the customer now."""
    try:
        count = portal_links_revoke(customer_id=customer_id)
    except NotFound:
        raise Http404("No customer with that id.") from None
    return _office_answer(request, customer_id, f"Portal links revoked: {count}.")
