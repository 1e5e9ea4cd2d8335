"""HTML forms of the timeline."""

from __future__ import annotations

from django import forms

from crm.activities.models import CONTENT_MAX_LENGTH


class NoteForm(forms.Form):
    """A staff note on the customer's timeline."""

    content = forms.CharField(
        label="Add a note",
        max_length=CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What happened, what was agreed"}),
    )
