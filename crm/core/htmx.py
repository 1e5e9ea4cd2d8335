"""htmx helpers: a typed request, the 'whole page or named partial' choice, and the short
confirmation every save shows."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

# The client event a confirmation travels in (crm/core/static/core/app.js shows it).
CONFIRMED = "crm:confirmed"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def page_or_partial(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The whole template normally; only `template#partial` when htmx asks."""
    return f"{template}#{partial}" if request.htmx else template


def confirm(
    request: HtmxHttpRequest,
    response: HttpResponse,
    text: str,
    *,
    undo: str = "",
    link: str = "",
    link_text: str = "",
) -> HttpResponse:
    """Tell the person what their save changed: "Reminder dismissed", "Visit booked: ...".

    `undo` is a URL a POST to which takes the change back (offered for at least 10 seconds);
    `link` leads to what was made. htmx requests get it as the CONFIRMED client event; a plain
    browser post gets it as a message on the page it is redirected to.
    """
    if request.htmx:
        detail = {"text": text, "undo": undo, "link": link, "linkText": link_text}
        trigger_client_event(response, CONFIRMED, detail)
    else:
        messages.success(request, text)
    return response
