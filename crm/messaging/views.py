"""Public doors of messaging: provider webhooks and unsubscribe links (the survey page is
crm/engagement/views/survey.py). No login; each one
verifies what it receives (a signature, or a signed link) before anything changes."""

from __future__ import annotations

import hmac
import json
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.errors import ApplicationError
from crm.core.htmx import HtmxHttpRequest
from crm.core.throttling import per_address_limit
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    signed_in,
)
from crm.customers.models import MessageChannel, consent_address
from crm.customers.selectors import customer_get
from crm.messaging.forms import ConsentClearForm
from crm.messaging.services.consent import consent_clear, unsubscribe_apply, unsubscribe_target
from crm.messaging.services.webhooks import (
    twilio_inbound_process,
    twilio_status_process,
    whatsapp_webhook_process,
)
from crm.messaging.signatures import twilio_signature_valid, whatsapp_signature_valid

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _whatsapp_handshake(request: HttpRequest) -> HttpResponse:
    """Meta's subscription check: echo hub.challenge when hub.verify_token is ours."""
    token = request.GET.get("hub.verify_token", "")
    expected = settings.WHATSAPP_VERIFY_TOKEN
    if (
        request.GET.get("hub.mode") != "subscribe"
        or not expected
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        return HttpResponseForbidden("Verification failed.")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


@login_not_required
@csrf_exempt
@per_address_limit("webhook", "WEBHOOK_REQUESTS_PER_MINUTE")
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    """WhatsApp Cloud API webhook: statuses and inbound messages, X-Hub-Signature-256 signed."""
    if request.method == "GET":
        return _whatsapp_handshake(request)
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not whatsapp_signature_valid(
        app_secret=settings.WHATSAPP_APP_SECRET, body=request.body, header=signature
    ):
        return HttpResponseForbidden("Bad signature.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("The body is not JSON.")
    if not isinstance(payload, dict):
        return HttpResponseBadRequest("The body is not a JSON object.")
    return JsonResponse(asdict(whatsapp_webhook_process(payload=payload)))


def _twilio_verified(request: HttpRequest) -> bool:
    """X-Twilio-Signature over the URL Twilio called (rebuilt from PUBLIC_BASE_URL, not from
    the Host header, which a proxy may change) and the POST parameters."""
    url = settings.PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()
    params = {name: request.POST.getlist(name) for name in request.POST}
    return twilio_signature_valid(
        auth_token=settings.TWILIO_AUTH_TOKEN,
        url=url,
        params=params,
        header=request.headers.get("X-Twilio-Signature", ""),
    )


@login_not_required
@csrf_exempt
@per_address_limit("webhook", "WEBHOOK_REQUESTS_PER_MINUTE")
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    """Twilio StatusCallback for an outbound SMS (?outbox=<our id>)."""
    if not _twilio_verified(request):
        return HttpResponseForbidden("Bad signature.")
    params = {name: request.POST.get(name, "") for name in request.POST}
    outcome = twilio_status_process(params=params, outbox_id=request.GET.get("outbox", ""))
    return JsonResponse(asdict(outcome))


@login_not_required
@csrf_exempt
@per_address_limit("webhook", "WEBHOOK_REQUESTS_PER_MINUTE")
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    """Twilio inbound SMS: onto the timeline; STOP / START change consent."""
    if not _twilio_verified(request):
        return HttpResponseForbidden("Bad signature.")
    twilio_inbound_process(params={name: request.POST.get(name, "") for name in request.POST})
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@login_not_required
@csrf_exempt  # RFC 8058 one-click: mail providers POST without a CSRF token; the signed
# token is what authorises the change, and all it can do is stop messages.
@never_cache
@per_address_limit("public-page", "PUBLIC_PAGE_REQUESTS_PER_MINUTE")
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of marketing email: GET asks (link scanners must not unsubscribe
    anyone), POST (the button, or a mail provider's one-click) opts the address out; the
    page's re-subscribe button (action=resubscribe) is the address opting in again."""
    try:
        if request.method == "POST":
            again = request.POST.get("action") == "resubscribe"
            target = unsubscribe_apply(token=token, resubscribe=again)
            context = {"target": target, "done": not again, "resubscribed": again}
            return render(request, "messaging/unsubscribe.html", context)
        target = unsubscribe_target(token=token)
    except ApplicationError as error:
        context = {"invalid": error.message}
        return render(request, "messaging/unsubscribe.html", context, status=error.status)
    return render(request, "messaging/unsubscribe.html", {"target": target})


# The office's page action (login required, unlike the doors above).
@not_found_as_404
@require_http_methods(["GET", "POST"])
def consent_clear_page(request: HtmxHttpRequest, customer_id: int, channel: str) -> HttpResponse:
    """Clear an opt-out because the customer asked; their request is recorded with it."""
    customer = customer_get(customer_id=customer_id)
    if channel not in MessageChannel.values:
        raise Http404("No such channel.")
    form = ConsentClearForm(form_data(request))

    def save(data: dict[str, Any]) -> None:
        consent_clear(customer_id=customer.pk, channel=channel, request=data["request"],
                      user=signed_in(request))  # fmt: skip

    if form_submitted(request, form, save, fields={"request": "request"}):
        return form_saved(
            request, events=["communication-changed"],
            redirect_to=customer_url(customer.pk, "communication-preferences"),
            said=f"{channel} opt-out cleared",
        )  # fmt: skip
    context = {"customer": customer, "channel": channel, "form": form,
               "address": consent_address(customer, channel),
               "title": f"Clear the {channel} opt-out",
               "back_url": customer_url(customer.pk)}  # fmt: skip
    return form_shown(
        request, "messaging/consent_clear.html#consent_clear_form", context, form=form
    )
