"""htmx helpers: a typed request and the 'whole page or named partial' choice."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def page_or_partial(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The whole template normally; only `template#partial` when htmx asks."""
    return f"{template}#{partial}" if request.htmx else template
