"""What a reminder's own action opens: a plan visit reminder books the plan's visit."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from crm.engagement.models import Reminder, ReminderKind
from crm.engagement.services.plan_sweep import plan_of_reminder_key

register = template.Library()


@register.filter
def plan_visit_booking_url(reminder: Reminder) -> str:
    """The New job form filled in for the plan's visit ("" for other reminders)."""
    plan_id = plan_of_reminder_key(reminder.source_key)
    if reminder.kind != ReminderKind.PLAN_VISIT_DUE or plan_id is None:
        return ""
    query = {"plan": plan_id} | (
        {"appliance": reminder.appliance_id} if reminder.appliance_id else {}
    )
    return f"{reverse('job-new', args=[reminder.customer_id])}?{urlencode(query)}"
