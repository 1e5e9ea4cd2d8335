"""Undo from a confirmation: one POST endpoint for every change that may be taken back.

The Undo button (crm/core/static/core/app.js) posts here and, on success, fires again the
reload events that came with the change, so the same sections and cards show the state before.
A refusal (too late, moved on since, can no longer be sent) answers its status with the reason
as plain text, which the toast shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from crm.core.errors import ApplicationError
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.engagement.services.undo import undo_apply


def _back(request: HtmxHttpRequest) -> str:
    """Where a plain browser returns: the page it came from (this site only), else Today."""
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe else reverse("today")


@require_POST
def undo(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Put back what the ticket's change took away; 409/422 with the reason when refused."""
    try:
        _, text = undo_apply(token=token)
    except ApplicationError as error:
        if request.htmx:
            return HttpResponse(error.message, status=error.status, content_type="text/plain")
        messages.error(request, error.message)
        return redirect(_back(request))
    if not request.htmx:
        return confirm(request, redirect(_back(request)), text)
    return confirm(request, HttpResponse(status=204), text)
