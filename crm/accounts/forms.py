"""Forms of the users page, the Settings page, the tokens page and My visits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from crm.accounts.selectors import technicians_to_link
from crm.core.company_checks import countries
from crm.core.models import CompanySettings
from crm.core.roles import Role

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class _TechnicianField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (#{obj.pk})"


def _technician_field() -> _TechnicianField:
    return _TechnicianField(
        queryset=technicians_to_link(), required=False, label="Technician record",
        help_text="Required for the Technician role: whose visits they see.",
    )  # fmt: skip


class UserCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.OFFICE.value)
    technician = _technician_field()
    password = forms.CharField(
        required=False, widget=forms.PasswordInput, strip=False,
        help_text="Leave empty to generate one; it is shown once.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians_to_link()  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    technician = _technician_field()
    active = forms.BooleanField(required=False, help_text="Unticked: cannot sign in.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = technicians_to_link()  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, help_text="What it is for.")
    read_only = forms.BooleanField(required=False, help_text="Refuses anything but reading.")


class VisitCompleteForm(forms.Form):
    labor_hours = forms.DecimalField(
        label="Labour hours", min_value=Decimal("0"), max_value=Decimal("99"), decimal_places=2,
        max_digits=4,
    )  # fmt: skip
    parts = forms.CharField(
        required=False, max_length=1000, label="Parts used", widget=forms.Textarea({"rows": 2})
    )
    outcome = forms.CharField(max_length=4000, widget=forms.Textarea({"rows": 3}))


class VisitNoteForm(forms.Form):
    content = forms.CharField(label="Note", max_length=4000, widget=forms.Textarea({"rows": 3}))


class CompanySettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The Settings page: the model's own checks (country, hours, windows, https link, days)
    run on a row that is not saved; the service stores it."""

    # Group title -> its fields, in the order the page shows them.
    GROUPS: dict[str, tuple[str, ...]] = {
        "Company": ("name", "address", "country", "subdivision", "currency_symbol"),
        "Hours": ("working_hours", "arrival_windows"),
        "Messages": ("quiet_hours_start", "quiet_hours_end"),
        "Reviews": ("review_link",),
        "Reminders": ("greeting_lead_days", "followup_delay_days"),
    }

    country = forms.ChoiceField(
        choices=[], help_text="Its public holidays are the ones greetings are written for."
    )
    review_link = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Public review link",
        help_text="Where a happy customer leaves a public review (Google, Yelp). "
        "It must start with https://.",
    )  # fmt: skip

    class Meta:
        model = CompanySettings
        fields = [
            "name", "address", "country", "subdivision", "currency_symbol", "working_hours",
            "arrival_windows", "quiet_hours_start", "quiet_hours_end", "review_link",
            "greeting_lead_days", "followup_delay_days",
        ]  # fmt: skip
        labels = {
            "name": "Company name", "subdivision": "Region", "currency_symbol": "Currency symbol",
            "working_hours": "Business hours", "arrival_windows": "Arrival windows",
            "quiet_hours_start": "Quiet hours start", "quiet_hours_end": "Quiet hours end",
            "greeting_lead_days": "Greetings, days ahead",
            "followup_delay_days": "Satisfaction survey, days after a visit",
        }  # fmt: skip
        help_texts = {
            "name": "Messages and greetings are signed with it.",
            "address": "Where the office is; shown to customers on request.",
            "subdivision": "A state or province code (CA, NY, ENG) for its own holidays; "
            "empty for the whole country.",
            "currency_symbol": "Put before every amount, like $ or €.",
            "working_hours": "Days and opening hours, like Mon-Fri 08:00-18:00. An unanswered "
            "message is late after 4 of these hours.",
            "arrival_windows": "The windows a visit is booked in, like 08:00-10:00, 10:00-12:00.",
            "quiet_hours_start": "No message is sent from this time ...",
            "quiet_hours_end": "... until this time, in the customer's time zone.",
            "greeting_lead_days": "A holiday or anniversary greeting is drafted this many days "
            "before the day (0 to 90).",
            "followup_delay_days": "How many days after a finished visit the survey goes out "
            "(0 to 90).",
        }  # fmt: skip
        widgets = {
            "quiet_hours_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_hours_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = list(countries().items())  # type: ignore[attr-defined]
        for name in ("name", "currency_symbol", "greeting_lead_days", "followup_delay_days"):
            self.fields[name].required = True
        self.fields["quiet_hours_start"].required = self.fields["quiet_hours_end"].required = True
        self.fields["working_hours"].required = self.fields["arrival_windows"].required = True

    def clean_subdivision(self) -> str:
        return str(self.cleaned_data.get("subdivision") or "").strip().upper()
