"""API tokens: each user lists, creates and revokes their own; an Owner sees and revokes all.
The secret is shown once, right after it is made."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from crm.accounts.forms import ApiTokenForm
from crm.accounts.selectors import api_tokens_visible
from crm.accounts.services import api_token_issue, api_token_revoke
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.views import form_saved, form_submitted, not_found_as_404, signed_in

PAGE = "accounts/tokens.html"
EVENTS = ["tokens-changed"]


def _page(
    request: HtmxHttpRequest, form: ApiTokenForm, *, raw: str = "", status: int = 200
) -> HttpResponse:
    context = {"tokens": api_tokens_visible(user=request.user), "form": form, "raw": raw}  # type: ignore[arg-type]
    template = page_or_partial(request, PAGE, "results")
    return render(request, template, context, status=status)


@require_GET
def token_list(request: HtmxHttpRequest) -> HttpResponse:
    """The tokens the user may see, and the form to make one."""
    return _page(request, ApiTokenForm())


@require_POST
def token_add(request: HtmxHttpRequest) -> HttpResponse:
    """Make a token for the signed-in user; the page shows its secret this once."""
    form = ApiTokenForm(request.POST)
    made: list[str] = []

    def save(data: dict[str, Any]) -> None:
        made.append(api_token_issue(user=signed_in(request), **data)[1])  # type: ignore[arg-type]

    if form_submitted(request, form, save):
        return _page(request, ApiTokenForm(), raw=made[0])
    return _page(request, form, status=422)


@not_found_as_404
@require_POST
def token_revoke(request: HtmxHttpRequest, token_id: int) -> HttpResponse:
    """Revoke a token: its owner's or, for an Owner, anyone's (others' are 404)."""
    api_token_revoke(token_id=token_id, by=signed_in(request))  # type: ignore[arg-type]
    return form_saved(request, events=EVENTS, redirect_to=reverse("token-list"))
