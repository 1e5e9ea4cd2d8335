"""HTML forms of referrals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from crm.referrals.models import Referral, ReferralStatus

MADE, RECEIVED = "made", "received"


class ReferralStatusForm(forms.Form):
    """A referral's status and reward."""

    status = forms.ChoiceField(choices=ReferralStatus.choices)
    reward_given = forms.BooleanField(required=False, label="Reward given")
    reward_amount = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        label="Reward amount",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )

    @classmethod
    def initial_of(cls, referral: Referral) -> dict[str, Any]:
        return {name: getattr(referral, name) for name in cls.base_fields}


class ReferralForm(ReferralStatusForm):
    """A new referral: the other customer (picked from a search) and which way it went."""

    direction = forms.ChoiceField(
        choices=[(MADE, "This customer referred them"), (RECEIVED, "They referred this customer")],
        initial=MADE,
        widget=forms.RadioSelect,
        label="Who referred whom",
    )
    other_customer = forms.IntegerField(
        min_value=1,
        label="Customer",
        error_messages={"required": "Search for the customer and pick one."},
    )
    field_order = ("direction", "other_customer", "status", "reward_given", "reward_amount")
