"""HTML forms of the Customer Details card: preferred technician, communication preferences."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.customers.models import ContactMethod, Customer, FrequencyPreference
from crm.customers.preferences import MAX_CONTACT_WINDOWS, WEEKDAYS
from crm.technicians.models import Technician

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BLANK_WINDOWS = 2


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


class CommunicationPreferencesForm(forms.Form):
    """How, when, how often and in which language the customer likes to hear from us.

    The contact-time windows ride along as a formset (`self.windows`, prefix "times").
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

    def __init__(self, data: Any = None, *, customer: Customer) -> None:
        initial = {name: getattr(customer, name) for name in self.base_fields}
        super().__init__(data, initial=initial)
        self.windows = ContactWindowFormSet(
            data, prefix="times", initial=customer.preferred_contact_times
        )

    def is_valid(self) -> bool:
        # Both halves are checked, so every error shows at once.
        form_valid = super().is_valid()
        return self.windows.is_valid() and form_valid

    @property
    def fields_changed(self) -> dict[str, Any]:
        """The cleaned values as customer_update takes them."""
        windows = [form.window() for form in self.windows.forms]
        return {**self.cleaned_data, "preferred_contact_times": [w for w in windows if w]}
