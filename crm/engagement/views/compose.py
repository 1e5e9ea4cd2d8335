"""Writing to the customer from the Customer View: the header's Text, WhatsApp and Email, and
Reply on a message of the timeline. A Service message through the outbox (its consent, quiet
hours and WhatsApp window rules); 204 and events for htmx, a redirect for a plain browser,
422 with the reason on a refusal (nothing saved)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from crm.activities.models import Activity
from crm.activities.selectors import inbound_message_of
from crm.core.company import company
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.core.views import signed_in as user_of
from crm.customers.selectors import customer_for_page
from crm.engagement.forms import ComposeForm
from crm.engagement.selectors.compose import channel_states, reply_subject, scheduled_words
from crm.messaging.models import ScheduledMessage
from crm.messaging.services.outbox import message_schedule


def _reply_to(customer_id: int, raw: str | None) -> Activity | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404("No such message.")
    return inbound_message_of(customer_id=customer_id, activity_id=int(raw))


def _initial(channel: str | None, reply_to: Activity | None) -> dict[str, str]:
    if reply_to is not None:
        return {"channel": reply_to.kind, "subject": reply_subject(reply_to)}
    return {"channel": channel or ""}


@not_found_as_404
@require_http_methods(["GET", "POST"])
def message_compose(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Compose a message (a reply when `reply_to` names the customer's message) and schedule
    it through the outbox, now or at a time."""
    customer = customer_for_page(customer_id=customer_id)
    reply_to = _reply_to(customer.pk, request.GET.get("reply_to"))
    form = ComposeForm(form_data(request), initial=_initial(request.GET.get("channel"), reply_to))
    scheduled: list[ScheduledMessage] = []
    if form_submitted(
        request, form,
        lambda _: scheduled.append(
            message_schedule(draft=form.draft(customer_id=customer.pk), user=user_of(request))
        ),
    ):  # fmt: skip
        response = form_saved(
            request, events=["messages-changed", "activity-changed"],
            redirect_to=customer_url(customer.pk, "activity"),
        )  # fmt: skip
        message = scheduled[0]
        words = scheduled_words(customer=customer, channel=message.channel, send_at=message.send_at)
        return confirm(request, response, words)
    context = {"customer": customer, "form": form, "reply_to": reply_to,
               "channels": channel_states(customer=customer), "company": company(),
               "title": "Reply" if reply_to else f"Write to {customer.name}",
               "action": request.get_full_path(),
               "back_url": customer_url(customer.pk)}  # fmt: skip
    return form_shown(request, "engagement/compose.html#compose_form", context, form=form)
