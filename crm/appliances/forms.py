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
    "last_service_date",
)  # fmt: skip


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

    # Where it stands: offered when the customer has a location (issue 14).
    location_id = forms.TypedChoiceField(
        label="Location", coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: Any = None, *, locations: Sequence[ServiceLocation] = (),
        initial: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        """`locations`: the customer's locations in use; the first (their own address) is
        the default. Without any, the form asks no location."""
        super().__init__(data, initial=initial)
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
        day: dt.date | None = self.cleaned_data.get(name)
        if day is not None and day > company_today():
            raise forms.ValidationError("This date cannot be in the future.")
        return day

    def clean_install_date(self) -> dt.date | None:
        return self._not_future("install_date")

    def clean_last_service_date(self) -> dt.date | None:
        return self._not_future("last_service_date")
