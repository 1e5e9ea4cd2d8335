"""HTML forms of the Engagement Hub and of the actions on AI answers. Times are in the
company's time zone (the browser's datetime-local input); the outbox still applies each
customer's own contact hours."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.company import company
from crm.core.dates import company_today
from crm.core.forms import DateInput, DateTimeInput
from crm.core.words import zone_city
from crm.customers.models import ContactMethod, MessageChannel, ServiceLocation
from crm.engagement.models import TITLE_MAX_LENGTH, ReminderPriority, ReminderStatus
from crm.engagement.schemas import NOTES_MAX_LENGTH
from crm.engagement.selectors.ai_actions import MAINTENANCE_MESSAGE_KEY
from crm.engagement.selectors.occasions import Occasion
from crm.engagement.services.booking import VisitRequest
from crm.engagement.services.on_my_way import ETA_MAX, ETA_MIN
from crm.insights.forms import TechnicianMatchForm
from crm.messaging.models import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH, MessageSource, Purpose
from crm.messaging.services.outbox import MessageChanges, MessageDraft
from crm.technicians.models import Technician

PAST_GRACE = dt.timedelta(minutes=5)  # a form left open a few minutes still saves


def _when_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        help_text=f"Company time ({zone_city(settings.TIME_ZONE)}).",
    )


class SendAtForm(forms.Form):
    """Reschedule (or schedule) a message: only when it goes."""

    send_at = _when_field("Send at")

    def clean_send_at(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["send_at"]
        if moment < timezone.now() - PAST_GRACE:
            raise forms.ValidationError("Choose a time from now on.")
        return moment

    def changes(self, *, status: str | None = None) -> MessageChanges:
        return MessageChanges(send_at=self.cleaned_data["send_at"], status=status)


class MessageForm(SendAtForm):
    """A message's channel, subject (email), text and time; the draft stays a draft."""

    channel = forms.ChoiceField(choices=MessageChannel.choices)
    subject = forms.CharField(
        max_length=SUBJECT_MAX_LENGTH, required=False, help_text="Email only; optional."
    )
    body = forms.CharField(
        label="Message", max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["channel", "send_at", "subject", "body"]

    def changes(self, *, status: str | None = None) -> MessageChanges:
        data = self.cleaned_data
        return MessageChanges(
            channel=data["channel"], subject=data["subject"], body=data["body"],
            send_at=data["send_at"], status=status,
        )  # fmt: skip


class ScheduleForm(MessageForm):
    """A suggestion's draft, edited and scheduled; the key makes a double submit one message.

    No purpose to choose: a suggestion's message is Marketing (the outbox decides it), so it
    needs the customer's marketing opt-in and follows their frequency preference."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    field_order = ["channel", "send_at", "subject", "body"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = f"hub:{uuid.uuid4().hex}"
        self.fields["body"].help_text = (
            "Sent as Marketing: it needs the customer's opt-in on the channel and follows "
            "their contact frequency."
        )

    def draft(self, *, customer_id: int) -> MessageDraft:
        data = self.cleaned_data
        return MessageDraft(
            customer_id=customer_id, channel=data["channel"], body=data["body"],
            subject=data["subject"], purpose=Purpose.MARKETING, send_at=data["send_at"],
            idempotency_key=data["idempotency_key"],
        )  # fmt: skip


class FollowUpLogForm(forms.Form):
    """A follow-up made by hand: how, what was said, who (a technician, else you), when."""

    channel = forms.ChoiceField(label="How", choices=ContactMethod.choices)
    technician = forms.ModelChoiceField(
        queryset=Technician.objects.none(), required=False, empty_label="Me (signed in)",
        label="Who",
    )  # fmt: skip
    occurred_at = _when_field("When")
    notes = forms.CharField(
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What was said or agreed"}),
    )

    def __init__(self, *args: Any, technicians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians  # type: ignore[attr-defined]
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_occurred_at(self) -> dt.datetime:
        moment: dt.datetime = self.cleaned_data["occurred_at"]
        if moment > timezone.now() + PAST_GRACE:
            raise forms.ValidationError("A logged follow-up cannot be in the future.")
        return moment

    def log_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        technician = data["technician"]
        return {
            "channel": data["channel"], "notes": data["notes"],
            "technician_id": technician.pk if technician else None,
            "occurred_at": data["occurred_at"],
        }  # fmt: skip


class ReminderForm(forms.Form):
    """A reminder added by hand."""

    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    due_date = forms.DateField(label="Due", widget=DateInput())
    priority = forms.ChoiceField(choices=ReminderPriority.choices, initial=ReminderPriority.MEDIUM)


class ReminderStatusForm(forms.Form):
    """Done, Dismissed, or Snoozed until a later day."""

    status = forms.ChoiceField(
        choices=[(s, s) for s in (ReminderStatus.DONE, ReminderStatus.DISMISSED,
                                  ReminderStatus.SNOOZED)]
    )  # fmt: skip
    snoozed_until = forms.DateField(label="Snooze until", widget=DateInput(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ReminderStatus.SNOOZED:
            until = data.get("snoozed_until")
            if until is None or until <= company_today():
                self.add_error("snoozed_until", "Snooze until a day after today.")
        else:
            data["snoozed_until"] = None
        return data


class GreetingForm(forms.Form):
    """Which occasion to greet the customer for, and on which channel (they opted in on)."""

    def __init__(
        self, *args: Any, occasions: list[Occasion], channels: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.occasions = {f"{o.slug}:{o.day.isoformat()}": o for o in occasions}
        self.fields["occasion"] = forms.ChoiceField(
            choices=[
                (key, f"{o.name} · {o.day:%a %b %-d, %Y}") for key, o in self.occasions.items()
            ]
        )
        self.fields["channel"] = forms.ChoiceField(
            choices=[(c, c) for c in channels],
            help_text="Greetings are marketing: only channels the customer opted in to.",
        )

    def chosen(self) -> Occasion:
        return self.occasions[self.cleaned_data["occasion"]]


# Acting on an AI answer (the insights panels' action buttons)


class TechnicianJobForm(TechnicianMatchForm):
    """A new job for the technician chosen from the recommendation; the issue describes it."""

    technician = forms.ModelChoiceField(queryset=Technician.objects.none())

    def __init__(self, *args: Any, technicians: list[Technician], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["technician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Technician.objects.filter(pk__in=[t.pk for t in technicians])

    def clean_issue(self) -> str:
        issue: str = self.cleaned_data["issue"].strip()
        if not issue:
            raise forms.ValidationError("Describe the issue: it becomes the job's description.")
        return issue

    def job_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        appliance = data["appliance"]
        return {
            "technician_id": data["technician"].pk,
            "appliance_id": appliance.pk if appliance else None,
            "description": data["issue"],
            "scheduled_for": data["scheduled_for"],
        }


class MaintenanceReminderForm(ReminderForm):
    """A reminder raised from a maintenance alert: due today or later, with the alert's notes."""

    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_due_date(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_date"]
        if due < company_today():
            raise forms.ValidationError("Choose today or a later day.")
        return due


class MaintenanceMessageForm(MessageForm):
    """A maintenance message, drafted from the alert, saved as a Draft or approved (Scheduled)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, appliance_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix_key = MAINTENANCE_MESSAGE_KEY.format(appliance_id=appliance_id)
        self.fields["idempotency_key"].initial = f"{self.prefix_key}{uuid.uuid4().hex}"

    def clean(self) -> dict[str, Any]:
        """The key is hidden: a bad one is said above the form, not beside a field."""
        data = super().clean() or {}
        key = data.get("idempotency_key", "")
        if not key.startswith(self.prefix_key) or len(key) <= len(self.prefix_key):
            self.add_error(None, "This form is out of date: open it again.")
        return data


class ComposeForm(forms.Form):
    """A message from the office to the customer (a reply or a direct word): Service, on the
    chosen channel, now or at a time; the key makes a double submit one message."""

    channel = forms.ChoiceField(choices=MessageChannel.choices)
    subject = forms.CharField(
        max_length=SUBJECT_MAX_LENGTH, required=False, help_text="Email only; optional."
    )
    body = forms.CharField(
        label="Message", max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5})
    )
    when = forms.ChoiceField(
        label="When", choices=[("now", "Send now"), ("later", "Schedule for a time")],
        widget=forms.RadioSelect, initial="now",
    )  # fmt: skip
    send_at = forms.DateTimeField(
        label="Send at", required=False, widget=DateTimeInput(),
        help_text=f"Only for a scheduled message. Company time ({settings.TIME_ZONE}).",
    )  # fmt: skip
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = f"compose:{uuid.uuid4().hex}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        moment: dt.datetime | None = data.get("send_at")
        if data.get("when") != "later":
            return data
        if moment is None:
            self.add_error("send_at", "Choose when to send it.")
        elif moment < timezone.now() - PAST_GRACE:
            self.add_error("send_at", "Choose a time from now on.")
        return data

    def draft(self, *, customer_id: int) -> MessageDraft:
        data = self.cleaned_data
        return MessageDraft(
            customer_id=customer_id, channel=data["channel"], body=data["body"],
            subject=data["subject"], purpose=Purpose.SERVICE, source=MessageSource.OFFICE,
            send_at=data["send_at"] if data["when"] == "later" else None,
            idempotency_key=data["idempotency_key"],
        )  # fmt: skip


class LocationSelect(forms.Select):
    """A location select whose options carry their address (data-fill), which app.js writes
    into the service address when one is chosen."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        location = getattr(value, "instance", None)
        if isinstance(location, ServiceLocation):
            option["attrs"]["data-fill"] = location.address
        return option


def _locations_offer(form: forms.Form, locations: Sequence[ServiceLocation]) -> None:
    """The customer's locations in use, the first (their own address) chosen; none: no field."""
    if not locations:
        del form.fields["location"]
        return
    field = form.fields["location"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = ServiceLocation.objects.filter(pk__in=[loc.pk for loc in locations])
    field.empty_label = None
    field.widget.attrs["data-fills"] = f"{form.auto_id}" % "service_address"
    form.initial.setdefault("location", locations[0].pk)


class BookingForm(forms.Form):
    """Book a visit: appliance, problem, address, day and arrival window, technician, price.
    visit_book checks the window and the technician's day; this form only their shapes."""

    appliance = forms.ModelChoiceField(
        queryset=Appliance.objects.none(), required=False, empty_label="No particular appliance"
    )
    problem = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is wrong, in the customer's words: it becomes the visit's description.",
    )  # fmt: skip
    location = forms.ModelChoiceField(
        queryset=ServiceLocation.objects.none(), required=False, widget=LocationSelect,
        help_text="Choosing one fills in the service address.",
    )  # fmt: skip
    service_address = forms.CharField(
        label="Service address", required=False, max_length=500,
        widget=forms.TextInput(attrs={"list": "booking-addresses", "autocomplete": "off"}),
    )  # fmt: skip
    day = forms.DateField(label="Date", widget=DateInput())
    arrival_window = forms.ChoiceField(label="Arrival window")
    technician = forms.ModelChoiceField(queryset=Technician.objects.all(), required=False)
    estimated_price = forms.DecimalField(
        label="Estimated price", required=False, max_digits=12, decimal_places=2,
        min_value=Decimal(0),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )  # fmt: skip
    # A maintenance plan's visit: set by the plan visit reminder's Book link (hidden).
    plan = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self, data: Any = None, *, appliances: list[Appliance], initial: dict[str, Any],
        locations: Sequence[ServiceLocation] = (),
    ) -> None:  # fmt: skip
        super().__init__(data, initial=initial, auto_id="booking-%s")
        _locations_offer(self, locations)
        field = self.fields["appliance"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Appliance.objects.filter(pk__in=[a.pk for a in appliances])
        windows = self.fields["arrival_window"]
        assert isinstance(windows, forms.ChoiceField)
        windows.choices = [(w.key, w.label) for w in company().arrival_windows]
        self.fields["estimated_price"].label = f"Estimated price ({company().currency_symbol})"

    def visit_request(self, customer_id: int) -> VisitRequest:
        data = self.cleaned_data
        return VisitRequest(
            customer_id=customer_id,
            appliance_id=data["appliance"].pk if data["appliance"] else None,
            problem=data["problem"].strip(), day=data["day"], window_key=data["arrival_window"],
            technician_id=data["technician"].pk if data["technician"] else None,
            service_address=data["service_address"], estimated_price=data["estimated_price"],
            location_id=data["location"].pk if data.get("location") else None,
            plan_id=data["plan"],
        )  # fmt: skip


class OnMyWayForm(forms.Form):
    """On my way: minutes until the technician arrives (the message names the job's technician)."""

    eta_minutes = forms.IntegerField(
        label="Arriving in (minutes)", min_value=ETA_MIN, max_value=ETA_MAX, initial=20,
        widget=forms.NumberInput({"inputmode": "numeric"}),
    )  # fmt: skip
