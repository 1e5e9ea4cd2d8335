"""HTML forms of the technicians app (the office's technician pages)."""

from __future__ import annotations

from typing import Any

from django import forms

from crm.core.choices import ApplianceType
from crm.core.schemas import MAX_MONEY
from crm.technicians.models import BRAND_PREFIX, Qualification, Technician
from crm.technicians.services import (
    MAX_BRAND_LENGTH,
    MAX_DAILY_CAPACITY,
    MAX_QUALIFICATIONS,
    MAX_YEARS_EXPERIENCE,
)

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
    certifications = forms.MultipleChoiceField(
        choices=Qualification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Matching sends only certified technicians to gas and refrigerant work.",
    )
    brands = forms.CharField(
        max_length=300, required=False, label="Authorised brands",
        help_text="Brands this technician is authorised to repair, separated by commas.",
    )  # fmt: skip

    @classmethod
    def initial_of(cls, technician: Technician) -> dict[str, Any]:
        codes = technician.qualifications or []
        brands = [
            code.removeprefix(BRAND_PREFIX) for code in codes if code.startswith(BRAND_PREFIX)
        ]
        return {
            **{name: getattr(technician, name) for name in FIELDS},
            "certifications": [code for code in codes if not code.startswith(BRAND_PREFIX)],
            "brands": ", ".join(brands),
        }

    def clean_brands(self) -> list[str]:
        """The brands named, each at most MAX_BRAND_LENGTH characters."""
        brands = [b.strip() for b in self.cleaned_data["brands"].split(",") if b.strip()]
        if any(len(brand) > MAX_BRAND_LENGTH for brand in brands):
            raise forms.ValidationError(f"A brand name has at most {MAX_BRAND_LENGTH} characters.")
        if len(brands) > MAX_QUALIFICATIONS - len(Qualification.values):
            raise forms.ValidationError("That is more brands than a technician can be listed for.")
        return brands

    def clean(self) -> dict[str, Any]:
        """Certifications and brands become the one `qualifications` list the service checks."""
        data = super().clean() or {}
        data["qualifications"] = [
            *data.pop("certifications", []),
            *(f"{BRAND_PREFIX}{brand}" for brand in data.pop("brands", [])),
        ]
        return data
