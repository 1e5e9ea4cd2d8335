"""The new-plan form of the Customer View's Plans card."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from crm.appliances.models import Appliance
from crm.core.company import company
from crm.core.forms import DateInput
from crm.plans.selectors import PlanOffer


class PlanForm(forms.Form):
    """A plan's name, appliances, visits, price and year; plan_create checks the rest."""

    name = forms.CharField(max_length=120)
    appliances = forms.ModelMultipleChoiceField(
        queryset=Appliance.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Appliances covered",
        error_messages={"required": "Choose at least one appliance for the plan."},
    )  # fmt: skip
    visits_per_year = forms.IntegerField(label="Visits per year", min_value=1, max_value=52)
    price_per_year = forms.DecimalField(
        label="Price per year", max_digits=12, decimal_places=2, min_value=Decimal(0),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )  # fmt: skip
    starts_on = forms.DateField(label="Starts", widget=DateInput())
    ends_on = forms.DateField(label="Ends", widget=DateInput())
    auto_renew = forms.BooleanField(
        label="Renews by itself each year", required=False,
        help_text="Otherwise the plan expires at its end and the office is reminded 30 days "
        "before.",
    )  # fmt: skip

    def __init__(self, data: Any = None, *, customer_id: int, offer: PlanOffer) -> None:
        initial = {
            "name": offer.name, "appliances": offer.appliance_ids,
            "visits_per_year": offer.visits_per_year, "price_per_year": offer.price_per_year,
            "starts_on": offer.starts_on, "ends_on": offer.ends_on,
        }  # fmt: skip
        super().__init__(data, initial=initial, auto_id="plan-%s")
        field = self.fields["appliances"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Appliance.objects.filter(customer_id=customer_id).order_by("type", "pk")
        self.fields["price_per_year"].label = f"Price per year ({company().currency_symbol})"

    def plan_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if name != "appliances"}

    def appliance_ids(self) -> list[int]:
        return [appliance.pk for appliance in self.cleaned_data["appliances"]]
