"""Forms of the users page, the tokens page and My visits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from crm.accounts.selectors import technicians_to_link
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
