"""HTML forms of a job's money: payments (with method) and expenses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from crm.core.dates import company_today
from crm.core.forms import DateInput
from crm.jobs.models import Expense, ExpenseCategory, Payment, PaymentMethod

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
