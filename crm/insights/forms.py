"""HTML forms of the AI panels: what to ask the technician matching for. (The forms that act on
an answer, such as the new job it leads to, are crm.engagement's.)"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from crm.appliances.models import Appliance
from crm.core.dates import company_today
from crm.core.forms import DateTimeInput
from crm.insights.features.technician import FURTHEST_DAYS
from crm.insights.schemas import ISSUE_MAX_LENGTH


class TechnicianMatchForm(forms.Form):
    """The appliance and/or the issue to find a technician for; the visit time is for the job."""

    appliance = forms.ModelChoiceField(
        queryset=Appliance.objects.none(), required=False, empty_label="Not listed / not sure"
    )
    issue = forms.CharField(
        label="What is wrong?",
        max_length=ISSUE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "e.g. The fridge is not cooling"}),
    )
    scheduled_for = forms.DateTimeField(
        label="Visit (for a new job)", required=False, widget=DateTimeInput()
    )

    def __init__(self, *args: Any, appliances: list[Appliance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["appliance"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Appliance.objects.filter(pk__in=[a.pk for a in appliances])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("appliance") and not (data.get("issue") or "").strip():
            raise forms.ValidationError("Choose the appliance or describe the issue (or both).")
        return data

    def options(self) -> dict[str, Any]:
        """The match-technician feature's options; a visit given is the day matched for (who is
        free then), unless it has passed (the new job refuses that itself) or is further ahead
        than anyone's calendar reaches (FURTHEST_DAYS): then the match is for today's crew."""
        appliance = self.cleaned_data["appliance"]
        visit = self.cleaned_data.get("scheduled_for")
        day = timezone.localdate(visit) if visit else None
        return {
            "appliance_id": appliance.pk if appliance else None,
            "issue": self.cleaned_data["issue"].strip() or None,
            "date": day if day and 0 <= (day - company_today()).days <= FURTHEST_DAYS else None,
        }
