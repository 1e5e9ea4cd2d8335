"""HTML forms of customers: the new-customer page, and the Customer Details card's forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from crm.core.phones import phone_display
from crm.customers.models import (
    ContactMethod,
    Customer,
    FrequencyPreference,
    MessageChannel,
    ServiceLocation,
)
from crm.customers.preferences import MAX_CONTACT_WINDOWS, WEEKDAYS
from crm.customers.services import ConsentChange
from crm.technicians.models import Technician

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BLANK_WINDOWS = 2
YES_NO = {"yes": True, "no": False}


class PreferredTechnicianForm(forms.Form):
    """Choose one of the active technicians, or none."""

    technician = forms.ModelChoiceField(
        queryset=Technician.objects.none(),
        required=False,
        empty_label="No preferred technician",
        label="Preferred technician",
    )

    def __init__(self, *args: Any, technicians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians  # type: ignore[attr-defined]


class ContactWindowForm(forms.Form):
    """One window of the week when the customer likes to be contacted; all blank = none."""

    day = forms.ChoiceField(
        choices=[("", "—"), *zip(WEEKDAYS, DAY_NAMES, strict=True)], required=False
    )
    start = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("day", "start", "end") if data.get(name)]
        if given and len(given) < 3:
            raise forms.ValidationError(
                "Give a day, a start and an end (or leave all three blank)."
            )
        if len(given) == 3 and data["start"] >= data["end"]:
            self.add_error("end", "The end must be after the start.")
        return data

    def window(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("day"):
            return None
        return {"day": data["day"], "start": data["start"].strftime("%H:%M"),
                "end": data["end"].strftime("%H:%M")}  # fmt: skip


ContactWindowFormSet = forms.formset_factory(
    ContactWindowForm,
    extra=BLANK_WINDOWS,
    max_num=MAX_CONTACT_WINDOWS,
    absolute_max=MAX_CONTACT_WINDOWS + BLANK_WINDOWS,
    validate_max=True,
)


@dataclass(frozen=True)
class ConsentRow:
    """One channel's consent fields in the form, with the moment it was opted out (if it was)."""

    channel: str
    marketing: forms.BoundField
    opted_out: forms.BoundField
    opted_out_at: dt.datetime | None


def _consent_field(channel: str, label: str, choices: list[tuple[str, str]]) -> forms.Field:
    # The value shown rides along (show_hidden_initial), so only what the office changed is
    # recorded: a STOP that arrives while the form is open is not undone by saving it.
    return forms.TypedChoiceField(
        choices=choices, coerce=YES_NO.__getitem__, empty_value=None, required=False,
        widget=forms.RadioSelect, show_hidden_initial=True, label=f"{channel} {label}",
    )  # fmt: skip


PREFERENCE_NAMES = (
    "preferred_contact_method", "communication_frequency_preference", "language_preference",
    "timezone",
)  # fmt: skip


class CommunicationPreferencesForm(forms.Form):
    """How, when, how often and in which language the customer likes to hear from us.

    The contact-time windows ride along as a formset (`self.windows`, prefix "times"), and
    each channel's consent as two yes/no fields (`consent_rows`).
    """

    preferred_contact_method = forms.ChoiceField(
        choices=ContactMethod.choices, label="Preferred contact method"
    )
    communication_frequency_preference = forms.ChoiceField(
        choices=FrequencyPreference.choices, label="Contact frequency"
    )
    language_preference = forms.CharField(
        max_length=35, label="Language", help_text="A language tag such as en, es or es-MX."
    )
    timezone = forms.CharField(
        max_length=64, label="Time zone", help_text="For example America/New_York."
    )
    # When the form was opened: saving is refused if an opt-out arrived since (the service
    # checks it), so a form left open cannot undo a STOP or save as if nothing happened.
    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=True)

    def __init__(self, data: Any = None, *, customer: Customer) -> None:
        initial: dict[str, Any] = {name: getattr(customer, name) for name in PREFERENCE_NAMES}
        initial["loaded_at"] = timezone.now().isoformat()
        consents = {consent.channel: consent for consent in customer.consents.all()}
        self.opted_out_at = {}
        for channel in MessageChannel.values:
            consent = consents.get(channel)
            opted_out_at = consent.opted_out_at if consent else None
            self.opted_out_at[channel] = opted_out_at
            initial[f"{channel.lower()}_marketing"] = (
                "yes" if consent and consent.marketing_opt_in else "no"
            )
            initial[f"{channel.lower()}_opted_out"] = "yes" if opted_out_at else "no"
        super().__init__(data, initial=initial)
        for channel in MessageChannel.values:
            self.fields[f"{channel.lower()}_marketing"] = _consent_field(
                channel,
                "marketing",
                [("yes", "Marketing welcome"), ("no", "Service messages only")],
            )
            self.fields[f"{channel.lower()}_opted_out"] = _consent_field(
                channel, "opt-out", [("no", "Receives messages"),
                                     ("yes", f"Opted out: no {channel} messages at all")],
            )  # fmt: skip
            # An opt-out is cleared by its own action (with the customer's request), not here.
            if self.opted_out_at[channel] is not None:
                self.fields[f"{channel.lower()}_opted_out"].disabled = True
                self.fields[f"{channel.lower()}_marketing"].disabled = True
        self.windows = ContactWindowFormSet(
            data, prefix="times", initial=customer.preferred_contact_times
        )

    def is_valid(self) -> bool:
        # Both halves are checked, so every error shows at once.
        form_valid = super().is_valid()
        return self.windows.is_valid() and form_valid

    def preference_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PREFERENCE_NAMES]

    @property
    def consents_read_at(self) -> dt.datetime:
        """When the office read the consents it is saving over."""
        read_at: dt.datetime = self.cleaned_data["loaded_at"]
        return read_at

    def consent_rows(self) -> list[ConsentRow]:
        return [
            ConsentRow(channel, self[f"{channel.lower()}_marketing"],
                       self[f"{channel.lower()}_opted_out"], self.opted_out_at[channel])
            for channel in MessageChannel.values
        ]  # fmt: skip

    @property
    def fields_changed(self) -> dict[str, Any]:
        """The cleaned preferences as customer_update takes them."""
        windows = [form.window() for form in self.windows.forms]
        preferences = {name: self.cleaned_data[name] for name in PREFERENCE_NAMES}
        return {**preferences, "preferred_contact_times": [w for w in windows if w]}

    @property
    def consent_changes(self) -> list[ConsentChange]:
        """What the office changed on each channel, as customer_update takes it."""
        changes = []
        for channel in MessageChannel.values:
            marketing, opted_out = (
                self.cleaned_data[name] if name in self.changed_data else None
                for name in (f"{channel.lower()}_marketing", f"{channel.lower()}_opted_out")
            )
            if marketing is not None or opted_out is not None:
                changes.append(ConsentChange(channel, marketing, opted_out))
        return changes


class ContactDetailsForm(forms.Form):
    """Name, phone, email and address, as customer_update and customer_create take them."""

    name = forms.CharField(max_length=200)
    phone = forms.CharField(
        max_length=32, required=False, help_text="Any format; stored with its country code."
    )
    email = forms.CharField(max_length=254, required=False, widget=forms.EmailInput)
    address = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @classmethod
    def initial_of(cls, customer: Customer) -> dict[str, Any]:
        """The customer's details as the form shows them (the phone in its national format)."""
        return {"name": customer.name, "phone": phone_display(customer.phone),
                "email": customer.email, "address": customer.address}  # fmt: skip

    @property
    def contact_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ContactDetailsForm.base_fields}


def _marketing_field(channel: str) -> forms.Field:
    return forms.TypedChoiceField(
        choices=[("yes", "Marketing welcome"), ("no", "Service messages only")],
        coerce=YES_NO.__getitem__, initial="no", widget=forms.RadioSelect,
        label=f"{channel} marketing",
    )  # fmt: skip


class CustomerCreateForm(ContactDetailsForm):
    """A new customer: contact details, how to reach them, who referred them, consent."""

    preferred_contact_method = forms.ChoiceField(
        choices=ContactMethod.choices, initial=ContactMethod.PHONE, label="Preferred contact method"
    )
    language_preference = forms.CharField(
        max_length=35, initial="en", label="Language", help_text="A tag such as en, es or es-MX."
    )
    timezone = forms.CharField(
        max_length=64, initial=settings.TIME_ZONE, label="Time zone",
        help_text="For example America/New_York.",
    )  # fmt: skip
    # Chosen among search results (radio buttons the template draws), so a real id is posted;
    # only the posted id is read, never the whole list.
    referred_by = forms.ModelChoiceField(
        queryset=Customer.objects.only("id", "name"), required=False, label="Referred by",
        error_messages={"invalid_choice": "Choose the referrer among the search results."},
    )  # fmt: skip
    whatsapp_marketing = _marketing_field("WhatsApp")
    email_marketing = _marketing_field("Email")
    sms_marketing = _marketing_field("SMS")
    allow_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @property
    def referrer(self) -> Customer | None:
        """The referrer chosen so far (shown again when the form comes back with an error)."""
        return getattr(self, "cleaned_data", {}).get("referred_by")

    def detail_fields(self) -> list[forms.BoundField]:
        names = [*ContactDetailsForm.base_fields, "preferred_contact_method",
                 "language_preference", "timezone"]  # fmt: skip
        return [self[name] for name in names]

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"{channel.lower()}_marketing"] for channel in MessageChannel.values]

    def create_arguments(self) -> dict[str, Any]:
        """The cleaned form as customer_create's keyword arguments."""
        data = self.cleaned_data
        names = ["preferred_contact_method", "language_preference", "timezone"]
        return {
            "fields": {**self.contact_fields, **{name: data[name] for name in names}},
            "consents": [
                ConsentChange(channel, marketing_opt_in=data[f"{channel.lower()}_marketing"])
                for channel in MessageChannel.values
            ],
            "referred_by_id": data["referred_by"].pk if data["referred_by"] else None,
            "allow_duplicate": data["allow_duplicate"],
        }


class LocationForm(forms.Form):
    """A service location; location_create / location_update check the label, the address
    and the time zone, and refuse taking a location out of use while it holds appliances."""

    label = forms.CharField(
        max_length=100, label="Name", help_text='How the office calls it: "Rental", "Lake house".'
    )
    address = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    access_notes = forms.CharField(
        max_length=2000, required=False, label="Access notes",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Gate code, key box, who lets the technician in.",
    )  # fmt: skip
    timezone = forms.CharField(
        max_length=64, label="Time zone", help_text="Visits here are reminded in this time zone."
    )
    active = forms.BooleanField(
        required=False, initial=True, label="In use",
        help_text="Untick when the customer no longer has this address.",
    )  # fmt: skip

    FIELDS = ("label", "address", "access_notes", "timezone", "active")

    @classmethod
    def initial_of(cls, location: ServiceLocation) -> dict[str, Any]:
        return {name: getattr(location, name) for name in cls.FIELDS}
