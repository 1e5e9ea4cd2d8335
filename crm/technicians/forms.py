"""HTML forms of the technicians app (the office's technician pages)."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.core.choices import ApplianceType
from crm.core.schemas import MAX_MONEY
from crm.technicians.models import Technician
from crm.technicians.services import MAX_DAILY_CAPACITY, MAX_YEARS_EXPERIENCE

FIELDS = (
    "name", "phone", "email", "specialties", "hourly_cost", "daily_capacity", "years_experience",
)  # fmt: skip


class TechnicianForm(forms.Form):
    """A technician's details; technician_create / technician_update check and tidy the rest."""

    name = forms.CharField(max_length=200)
    phone = forms.CharField(max_length=32, required=False)
    email = forms.EmailField(required=False)
    specialties = forms.MultipleChoiceField(
        choices=ApplianceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The appliance types this technician repairs; matching uses them.",
    )
    hourly_cost = forms.DecimalField(
        min_value=0, max_value=MAX_MONEY, max_digits=12, decimal_places=2,
        label="Hourly cost", help_text="What an hour of their work costs the company, e.g. 40.00.",
    )  # fmt: skip
    daily_capacity = forms.IntegerField(
        min_value=1, max_value=MAX_DAILY_CAPACITY, initial=6, label="Visits per day"
    )
    years_experience = forms.IntegerField(
        min_value=0, max_value=MAX_YEARS_EXPERIENCE, initial=0, label="Years of experience"
    )

    @classmethod
    def initial_of(cls, technician: Technician) -> dict[str, Any]:
        return {name: getattr(technician, name) for name in FIELDS}
