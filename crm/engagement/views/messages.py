"""The Engagement Hub's message rows: cancel, send now, (re)schedule, edit, and a greeting
drafted by hand. The answers follow crm/engagement/views/hub.py (204 and events for htmx, a
redirect for a plain browser, 422 with the reason on a refusal)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import asks_first, form_data, not_found_as_404
from crm.core.views import signed_in as user_of
from crm.customers.models import Customer
from crm.customers.selectors import customer_for_page
from crm.engagement.forms import GreetingForm, MessageForm, SendAtForm
from crm.engagement.selectors import hub
from crm.engagement.selectors.occasions import upcoming_occasions
from crm.engagement.services import hub as hub_services
from crm.engagement.services.undo import message_cancel_undoable
from crm.engagement.views.hub import hub_url, section_button, section_form_answer
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.outbox import message_send_now, message_update

SEND_QUESTION = "Send this message now? Once it has gone it cannot be called back."

# Scheduled and occasion messages


def _with_message(customer_id: int, message_id: int) -> tuple[Customer, ScheduledMessage]:
    customer = customer_for_page(customer_id=customer_id)
    return customer, hub.hub_message(customer_id=customer.pk, message_id=message_id)


def _message_button(
    request: HtmxHttpRequest, customer_id: int, message_id: int,
    act: Callable[[ScheduledMessage], object], said: str = "",
) -> HttpResponse:  # fmt: skip
    """A button of a message row, in Scheduled Messages or in Occasion Messages."""
    customer, message = _with_message(customer_id, message_id)
    section = "occasions" if request.POST.get("section") == "occasions" else "messages"
    return section_button(
        request, customer, section, row=("message", message.pk), action=lambda: act(message),
        events=["messages-changed"], said=said,
    )  # fmt: skip


@not_found_as_404
@require_POST
def message_cancel(request: HtmxHttpRequest, customer_id: int, message_id: int) -> HttpResponse:
    """Cancel (or discard a draft); refused once sending has begun."""
    return _message_button(
        request, customer_id, message_id,
        lambda m: message_cancel_undoable(message_id=m.pk, user=user_of(request)),
    )  # fmt: skip


@not_found_as_404
@require_POST
def message_send(request: HtmxHttpRequest, customer_id: int, message_id: int) -> HttpResponse:
    """Approve and send now (still within consent and contact hours); refused once sending
    has begun. It cannot be undone, so it asks first."""
    if not request.POST.get("confirmed"):
        customer, _ = _with_message(customer_id, message_id)
        return asks_first(request, SEND_QUESTION, submit="Send now", back=hub_url(customer.pk))
    return _message_button(
        request, customer_id, message_id,
        lambda m: message_send_now(message_id=m.pk, user=user_of(request)),
        said="Message on its way (consent and contact hours are checked as it goes)",
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def message_schedule(request: HtmxHttpRequest, customer_id: int, message_id: int) -> HttpResponse:
    """Schedule or reschedule for a time; this approves the message (recorded)."""
    customer, message = _with_message(customer_id, message_id)
    form = SendAtForm(form_data(request), initial={"send_at": timezone.localtime(message.send_at)})
    verb = "Schedule" if message.status == MessageStatus.DRAFT else "Reschedule"
    return section_form_answer(
        request, customer, form,
        lambda _: message_update(
            message_id=message.pk, changes=form.changes(status=MessageStatus.SCHEDULED),
            user=user_of(request),
        ),
        events=["messages-changed"], title=f"{verb} message", submit=verb,
        said=f"Message {verb.lower()}d",
        intro=message.body[:200], fields={"status": "__all__"},
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def message_edit(request: HtmxHttpRequest, customer_id: int, message_id: int) -> HttpResponse:
    """Edit channel, subject, text and time; a draft stays a draft until someone approves it."""
    customer, message = _with_message(customer_id, message_id)
    initial = {"channel": message.channel, "subject": message.subject, "body": message.body,
               "send_at": timezone.localtime(message.send_at)}  # fmt: skip
    form = MessageForm(form_data(request), initial=initial)
    return section_form_answer(
        request, customer, form,
        lambda _: message_update(
            message_id=message.pk, changes=form.changes(), user=user_of(request)
        ),
        events=["messages-changed"], title="Edit message", submit="Save message",
        said="Message saved",
        fields={"status": "__all__"},
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def greeting_add(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """Draft a greeting for an upcoming occasion with the AI greeting feature; it waits in
    Occasion Messages for a person to approve it."""
    customer = customer_for_page(customer_id=customer_id)
    form = GreetingForm(
        form_data(request), occasions=upcoming_occasions(customer_id=customer.pk),
        channels=hub.marketing_channels(customer),
    )  # fmt: skip
    return section_form_answer(
        request, customer, form,
        lambda data: hub_services.greeting_draft_create(
            customer=customer, occasion=form.chosen(), channel=data["channel"],
            user=user_of(request),
        ),
        events=["messages-changed"], title="Draft a greeting", submit="Draft greeting",
        said="Greeting drafted: it waits in Occasion Messages for approval",
        intro="The AI writes the draft (or the built-in wording); nothing is sent until you "
        "approve it.",
    )  # fmt: skip
