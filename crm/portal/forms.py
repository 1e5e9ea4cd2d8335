"""The portal page's forms, worded in the customer's language (built per request from the
page's phrase table; Django's own messages follow the active translation)."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.customers.models import MessageChannel
from crm.engagement.services.service_request import PROBLEM_MAX_LENGTH, PROBLEM_MIN_LENGTH
from crm.portal.phrases import LANGUAGES, WEEKDAYS
from crm.portal.selectors import PortalPage
from crm.portal.services.answers import ChannelChoice, PortalChoices

OTHER = "other"


class ServiceRequestForm(forms.Form):
    """Request service: which appliance (or another), the problem, the days that suit."""

    appliance = forms.ChoiceField()
    problem = forms.CharField(
        min_length=PROBLEM_MIN_LENGTH, max_length=PROBLEM_MAX_LENGTH, strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    days = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    prefix = "request"

    def __init__(self, *args: Any, page: PortalPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = page.words
        self.fields["appliance"].label = words["appliance"]
        self._choices(
            "appliance",
            [
                *((str(a.id), a.name) for a in page.appliances),
                (OTHER, words["other_appliance"]),
            ],
        )
        problem = self.fields["problem"]
        problem.label = words["problem"]
        for key in ("min_length", "max_length"):
            problem.error_messages[key] = words["problem_length"]
        self.fields["days"].label = words["days"]
        self._choices("days", list(WEEKDAYS[page.language].items()))

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def appliance_id(self) -> int | None:
        chosen = self.cleaned_data["appliance"]
        return None if chosen == OTHER else int(chosen)


class PreferencesForm(forms.Form):
    """How we contact them, and each channel's two boxes (messages about visits, offers)."""

    method = forms.ChoiceField()
    frequency = forms.ChoiceField()
    language = forms.ChoiceField(choices=list(LANGUAGES.items()))

    prefix = "prefs"

    def __init__(self, *args: Any, page: PortalPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = page.words
        self.channels = [c.channel for c in page.channels if c.address]
        for name, choices in (("method", page.methods), ("frequency", page.frequencies)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["method"].label = words["preferred_method"]
        self.fields["frequency"].label = words["frequency"]
        self.fields["language"].label = words["language"]
        self.initial = {
            "method": page.customer.preferred_contact_method,
            "frequency": page.customer.communication_frequency_preference,
            "language": page.language,
        }
        for shown in page.channels:
            if shown.address:
                self._channel_fields(shown.channel, words, shown.messages, shown.offers)

    def _channel_fields(
        self, channel: str, words: dict[str, str], messages: bool, offers: bool
    ) -> None:
        key = channel.lower()
        self.fields[f"messages_{key}"] = forms.BooleanField(
            required=False, label=words["consent_messages"], initial=messages
        )
        self.fields[f"offers_{key}"] = forms.BooleanField(
            required=False, label=words["consent_offers"], initial=offers
        )

    def channel_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (MessageChannel(c).label, self[f"messages_{c.lower()}"], self[f"offers_{c.lower()}"])
            for c in self.channels
        ]

    def choices(self) -> PortalChoices:
        data = self.cleaned_data
        return PortalChoices(
            preferred_contact_method=data["method"], frequency=data["frequency"],
            language=data["language"],
            channels=[
                ChannelChoice(c, data[f"messages_{c.lower()}"], data[f"offers_{c.lower()}"])
                for c in self.channels
            ],
        )  # fmt: skip
