"""HTML forms of the AI panels: technician matching (and the new job it leads to), and the
actions of the Predictive Maintenance Alerts card."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms

from crm.appliances.models import Appliance
from crm.core.dates import company_today
from crm.core.forms import DateTimeInput
from crm.engagement.forms import MessageForm, ReminderForm
from crm.insights.schemas import ISSUE_MAX_LENGTH
from crm.insights.selectors import MAINTENANCE_MESSAGE_KEY
from crm.technicians.models import Technician


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
        """The match-technician feature's options."""
        appliance = self.cleaned_data["appliance"]
        return {
            "appliance_id": appliance.pk if appliance else None,
            "issue": self.cleaned_data["issue"].strip() or None,
        }


class TechnicianJobForm(TechnicianMatchForm):
    """A new job for the technician chosen from the recommendation; the issue describes it."""

    technician = forms.ModelChoiceField(queryset=Technician.objects.none())

    def __init__(self, *args: Any, technicians: list[Technician], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["technician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Technician.objects.filter(pk__in=[t.pk for t in technicians])

    def clean_issue(self) -> str:
        issue: str = self.cleaned_data["issue"].strip()
        if not issue:
            raise forms.ValidationError("Describe the issue: it becomes the job's description.")
        return issue

    def job_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        appliance = data["appliance"]
        return {
            "technician_id": data["technician"].pk,
            "appliance_id": appliance.pk if appliance else None,
            "description": data["issue"],
            "scheduled_for": data["scheduled_for"],
        }


class MaintenanceReminderForm(ReminderForm):
    """A reminder raised from a maintenance alert: due today or later, with the alert's notes."""

    details = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_due_date(self) -> dt.date:
        due: dt.date = self.cleaned_data["due_date"]
        if due < company_today():
            raise forms.ValidationError("Choose today or a later day.")
        return due


class MaintenanceMessageForm(MessageForm):
    """A maintenance message, drafted from the alert, saved as a Draft or approved (Scheduled)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, appliance_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefix_key = MAINTENANCE_MESSAGE_KEY.format(appliance_id=appliance_id)
        self.fields["idempotency_key"].initial = f"{self.prefix_key}{uuid.uuid4().hex}"

    def clean(self) -> dict[str, Any]:
        """The key is hidden: a bad one is said above the form, not beside a field."""
        data = super().clean() or {}
        key = data.get("idempotency_key", "")
        if not key.startswith(self.prefix_key) or len(key) <= len(self.prefix_key):
            self.add_error(None, "This form is out of date: open it again.")
        return data
