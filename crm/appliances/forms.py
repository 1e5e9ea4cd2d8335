"""HTML forms of the appliances app (the Client Appliances modal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from crm.appliances.models import Appliance
from crm.core.choices import ApplianceType
from crm.core.dates import company_today
from crm.core.forms import DateInput
from crm.customers.models import ServiceLocation

FIELDS = (
    "type", "brand", "model_number", "serial_number", "install_date", "warranty_expires_on",
    "last_service_date", "manufactured_on",
)  # fmt: skip


PHOTO_FIELD = forms.FileField(
    required=False, label="Photo of the nameplate",
    widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
)  # fmt: skip

# The serial-number rule that gave the date of manufacture (set by Read nameplate, not typed).
RULE_FIELD = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput())


def not_future(day: dt.date | None) -> dt.date | None:
    """The day, or a form error when it is after today."""
    if day is not None and day > company_today():
        raise forms.ValidationError("This date cannot be in the future.")
    return day


class ApplianceForm(forms.Form):
    """An appliance's details; appliance_create / appliance_update check the rest."""

    type = forms.ChoiceField(choices=ApplianceType.choices)
    brand = forms.CharField(max_length=100)
    model_number = forms.CharField(max_length=100, required=False, label="Model number")
    serial_number = forms.CharField(max_length=100, required=False, label="Serial number")
    install_date = forms.DateField(required=False, widget=DateInput())
    last_service_date = forms.DateField(
        required=False, widget=DateInput(), label="Last service date"
    )
    warranty_expires_on = forms.DateField(
        required=False, widget=DateInput(), label="Warranty until"
    )
    manufactured_on = forms.DateField(required=False, widget=DateInput(), label="Made on")

    # Where it stands: offered when the customer has a location (issue 14).
    location_id = forms.TypedChoiceField(
        label="Location", coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Any = None, files: Any = None, *, locations: Sequence[ServiceLocation] = (),
        initial: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        """`locations`: the customer's locations in use; the first (their own address) is
        the default. Without any, the form asks no location."""
        super().__init__(data, files, initial=initial)
        field = self.fields["location_id"]
        assert isinstance(field, forms.TypedChoiceField)
        if not locations:
            del self.fields["location_id"]
            return
        field.choices = [(location.pk, str(location)) for location in locations]
        if self.initial.get("location_id") is None:
            self.initial["location_id"] = locations[0].pk

    @classmethod
    def initial_of(cls, appliance: Appliance) -> dict[str, Any]:
        return {name: getattr(appliance, name) for name in (*FIELDS, "location_id")}

    def _not_future(self, name: str) -> dt.date | None:
        return not_future(self.cleaned_data.get(name))

    def clean_install_date(self) -> dt.date | None:
        return self._not_future("install_date")

    def clean_last_service_date(self) -> dt.date | None:
        return self._not_future("last_service_date")

    def clean_manufactured_on(self) -> dt.date | None:
        return self._not_future("manufactured_on")


class NameplateForm(forms.Form):
    """A nameplate photo and what was read from it, as the person confirmed or corrected it."""

    image = PHOTO_FIELD
    brand = ApplianceForm.base_fields["brand"]
    model_number = ApplianceForm.base_fields["model_number"]
    serial_number = ApplianceForm.base_fields["serial_number"]
    manufactured_on = ApplianceForm.base_fields["manufactured_on"]
    manufactured_on_rule = RULE_FIELD

    @classmethod
    def initial_of(cls, appliance: Appliance) -> dict[str, Any]:
        names = (
            "brand",
            "model_number",
            "serial_number",
            "manufactured_on",
            "manufactured_on_rule",
        )
        return {name: getattr(appliance, name) for name in names}

    def clean_manufactured_on(self) -> dt.date | None:
        return not_future(self.cleaned_data.get("manufactured_on"))


class ApplianceAddForm(ApplianceForm):
    """Adding an appliance, with the nameplate photo that can fill it in (kept when saved)."""

    image = PHOTO_FIELD
    manufactured_on_rule = RULE_FIELD
