"""HTML forms of reviews."""

from __future__ import annotations

from django import forms

from crm.reviews.services import COMMENT_MAX_LENGTH

RATINGS = [(n, f"{n} out of 5") for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    """The customer's 1-5 review of a completed job, with an optional comment."""

    rating = forms.TypedChoiceField(
        choices=RATINGS, coerce=int, widget=forms.RadioSelect(attrs={"class": "star-input"})
    )
    comment = forms.CharField(
        required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
