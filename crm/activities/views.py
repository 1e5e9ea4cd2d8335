"""Timeline views of the Customer View: more of the timeline, and adding a note."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from crm.activities.forms import NoteForm
from crm.activities.models import ActivityKind
from crm.activities.selectors import (
    TIMELINE_TABS,
    activity_count_shown,
    activity_page,
    timeline_tab,
)
from crm.activities.services import activity_create
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    page_number,
    signed_in,
)
from crm.customers.models import Customer
from crm.customers.selectors import customer_get


def activity_card_context(customer: Customer, query: QueryDict) -> dict[str, Any]:
    """The Activity card's context: the chosen timeline tab, its page, and the note form."""
    tab = timeline_tab(query.get("tab"))
    page = page_number(query, "activity_page")
    timeline = activity_page(customer_id=customer.pk, kind=tab.kind, page=page)
    return {
        "tab": tab,
        "timeline_tabs": TIMELINE_TABS,
        "timeline": timeline,
        "activity_count": activity_count_shown(customer_id=customer.pk),
        "note_form": NoteForm(),
    }


@not_found_as_404
@require_GET
def timeline_more(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The next page of a timeline tab, appended under the events already shown."""
    customer = customer_get(customer_id=customer_id)
    tab = timeline_tab(request.GET.get("tab"))
    page = page_number(request.GET)
    if not request.htmx:
        page_url = customer_url(customer.pk)
        return redirect(f"{page_url}?tab={tab.key}&activity_page={page}#activity")
    timeline = activity_page(customer_id=customer.pk, kind=tab.kind, page=page)
    context = {"customer": customer, "tab": tab, "timeline": timeline}
    return render(request, "activities/cards.html#timeline_items", context)


@not_found_as_404
@require_POST
def note_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """A staff note on the timeline, signed by whoever is signed in."""
    customer = customer_get(customer_id=customer_id)
    form = NoteForm(request.POST)
    saved = form_submitted(
        request,
        form,
        lambda data: activity_create(
            customer_id=customer.pk, kind=ActivityKind.NOTE, content=data["content"],
            author=signed_in(request),
        ),
    )  # fmt: skip
    if saved:
        return form_saved(
            request, events=["activity-changed"], redirect_to=customer_url(customer.pk, "activity"),
            said="Note added",
        )  # fmt: skip
    context = {"customer": customer, "note_form": form, "form": form, "title": "Add a note",
               "back_url": customer_url(customer.pk)}  # fmt: skip
    return form_shown(request, "activities/cards.html#note_form", context, form=form)
