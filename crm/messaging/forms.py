"""HTML forms of messaging: clearing an opt-out at the customer's request."""

from __future__ import annotations

from django import forms


class ConsentClearForm(forms.Form):
    """The customer's request to hear from us again, recorded with the clearing."""

    request = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="The customer's request",
        help_text="How and when they asked, e.g. 'Called on 3 Dec at 10:15, asked for texts "
        "about visits again'.",
    )
