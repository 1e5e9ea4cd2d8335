"""HTML forms of a job card: the job itself, and its money (payments with method, expenses)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q

from crm.appliances.models import Appliance
from crm.appliances.selectors import appliance_list
from crm.core.dates import company_today
from crm.core.forms import DateInput, DateTimeInput
from crm.core.words import zone_city
from crm.customers.models import ServiceLocation
from crm.customers.selectors import location_list
from crm.jobs.models import Expense, ExpenseCategory, Job, JobStatus, Payment, PaymentMethod
from crm.technicians.models import Technician
from crm.technicians.selectors import technician_list

CENT = Decimal("0.01")


def _amount() -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=CENT,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "inputmode": "decimal"}),
    )


class PaymentForm(forms.Form):
    """Money received for a job; payment_create / payment_update check the rest."""

    amount = _amount()
    date = forms.DateField(widget=DateInput(), initial=company_today)
    payment_method = forms.ChoiceField(choices=PaymentMethod.choices, label="Payment method")
    reference = forms.CharField(max_length=100, required=False)

    @classmethod
    def initial_of(cls, payment: Payment) -> dict[str, Any]:
        return {name: getattr(payment, name) for name in cls.base_fields}


class ExpenseForm(forms.Form):
    """A cost of a job; expense_create / expense_update check the rest."""

    amount = _amount()
    date = forms.DateField(widget=DateInput(), initial=company_today)
    category = forms.ChoiceField(choices=ExpenseCategory.choices)
    description = forms.CharField(max_length=500, required=False)

    @classmethod
    def initial_of(cls, expense: Expense) -> dict[str, Any]:
        return {name: getattr(expense, name) for name in cls.base_fields}


def _text(rows: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(required=required, widget=forms.Textarea(attrs={"rows": rows}))


class JobForm(forms.Form):
    """A job's status, visit, people and notes; job_update sets completed_at and the rest."""

    status = forms.ChoiceField(choices=JobStatus.choices)
    scheduled_for = forms.DateTimeField(
        label="Scheduled", required=False, widget=DateTimeInput(),
        help_text=f"Company time ({zone_city(settings.TIME_ZONE)}).",
    )  # fmt: skip
    technician = forms.ModelChoiceField(
        queryset=Technician.objects.none(), required=False, empty_label="Not assigned"
    )
    appliance = forms.ModelChoiceField(
        queryset=Appliance.objects.none(), required=False, empty_label="None"
    )
    location = forms.ModelChoiceField(
        queryset=ServiceLocation.objects.none(), required=False,
        empty_label="The customer's own address",
    )  # fmt: skip
    labor_hours = forms.DecimalField(
        label="Labour hours", max_digits=6, decimal_places=2, min_value=Decimal(0),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )  # fmt: skip
    description = _text(3, required=True)
    outcome = _text(2)
    issues_found = _text(2)

    def __init__(self, data: Any = None, *, job: Job) -> None:
        """The active technicians (and the job's own, even if no longer active) and the
        customer's appliances are the choices."""
        initial = {name: getattr(job, name) for name in self.base_fields}
        # Its own ids: the Customer View's Preferred technician field is also "technician".
        super().__init__(data, initial=initial, auto_id="job-%s")
        own = technician_list().filter(pk__in=[job.technician_id])  # None matches nothing
        technicians = technician_list(active_only=True) | own
        self._choices("technician", technicians)
        self._choices("appliance", appliance_list(customer_id=job.customer_id))
        self._locations_offer(job)

    def _locations_offer(self, job: Job) -> None:
        """The customer's locations in use (and the job's own, even if no longer in use);
        a customer with none is asked no location."""
        locations = location_list(customer_id=job.customer_id).filter(
            Q(active=True) | Q(pk=job.location_id or 0)
        )
        if not locations.exists():
            del self.fields["location"]
            return
        self._choices("location", locations)

    def _choices(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def job_fields(self) -> dict[str, Any]:
        """The cleaned values as job_update takes them."""
        data = dict(self.cleaned_data)
        technician, appliance = data.pop("technician"), data.pop("appliance")
        fields = {
            **data,
            "technician_id": technician.pk if technician else None,
            "appliance_id": appliance.pk if appliance else None,
        }
        if "location" in data:
            location = fields.pop("location")
            fields["location_id"] = location.pk if location else None
        return fields
