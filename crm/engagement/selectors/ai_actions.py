"""Acting on an AI answer: the Predictive Maintenance Alerts card's rows (each appliance's alert
with the reminder and message already raised for it) and the reminder and message a person
drafts from an alert. Insights answers; engagement acts on the answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from crm.appliances.maintenance import (
    MaintenancePrediction,
    appliance_maintenance_prediction,
    customer_maintenance_alerts,
)
from crm.core.company import company
from crm.core.dates import company_today
from crm.customers.models import Customer
from crm.engagement.models import TITLE_MAX_LENGTH, Reminder, ReminderKind, ReminderStatus
from crm.insights.features.base import first_name
from crm.insights.selectors import MAINTENANCE, insight_latest
from crm.messaging.models import MessageStatus, ScheduledMessage

OVERDUE_WITHIN_DAYS = 7
HIGH_RISK_WITHIN_DAYS = 30
# The key prefix of messages scheduled from the Predictive Maintenance Alerts card.
MAINTENANCE_MESSAGE_KEY = "maintenance:{appliance_id}:"
ROWS_READ = 200  # reminders or messages read for one card: far more than appliances shown


@dataclass(frozen=True)
class MaintenanceRow:
    """An appliance on the Predictive Maintenance Alerts card, with what was already done."""

    prediction: MaintenancePrediction
    reminder: Reminder | None
    message: ScheduledMessage | None


def maintenance_board(*, customer_id: int, today: dt.date | None = None) -> list[MaintenanceRow]:
    """The customer's appliances by rule-based risk (highest first), each with its open
    reminder and its latest maintenance message not cancelled (five queries in all)."""
    predictions = customer_maintenance_alerts(customer_id=customer_id, today=today)
    reminders: dict[int | None, Reminder] = {}
    for reminder in Reminder.objects.filter(
        customer_id=customer_id,
        appliance__isnull=False,
        status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED],
    ).order_by("due_date", "id")[:ROWS_READ]:
        reminders.setdefault(reminder.appliance_id, reminder)  # the soonest due
    messages: dict[str, ScheduledMessage] = {}
    for message in (
        ScheduledMessage.objects.filter(
            customer_id=customer_id, idempotency_key__startswith="maintenance:"
        )
        .exclude(status=MessageStatus.CANCELLED)
        .order_by("-created_at", "-id")[:ROWS_READ]
    ):
        messages.setdefault(message.idempotency_key.rsplit(":", 1)[0] + ":", message)  # latest
    return [
        MaintenanceRow(
            p,
            reminders.get(p.appliance.pk),
            messages.get(MAINTENANCE_MESSAGE_KEY.format(appliance_id=p.appliance.pk)),
        )
        for p in predictions
    ]


@dataclass(frozen=True)
class MaintenancePlan:
    """What the maintenance actions prefill: a reminder for the office, a message to send."""

    kind: str
    title: str
    details: str
    due_date: dt.date
    priority: str
    message: str


def _plan_due(prediction: MaintenancePrediction, today: dt.date) -> dt.date:
    """Overdue: within a week; high risk: within a month; else the regular date."""
    if prediction.service_overdue:
        return today + dt.timedelta(days=OVERDUE_WITHIN_DAYS)
    if prediction.risk == "High":
        return min(prediction.next_service_due, today + dt.timedelta(days=HIGH_RISK_WITHIN_DAYS))
    return prediction.next_service_due


def _plan_details(data: dict[str, Any], prediction: MaintenancePrediction) -> str:
    needs = [
        f"{n['component']} ({n['likelihood']})" for n in data.get("predictedMaintenanceNeeds", [])
    ]
    actions = data.get("recommendedPreventativeActions") or prediction.actions
    lines = [
        f"Predicted needs: {', '.join(needs)}" if needs else "",
        f"Actions: {'; '.join(actions)}" if actions else "",
        f"Timing: {data['optimalTiming']}" if data.get("optimalTiming") else "",
        f"Savings: {data['potentialCostSavings']}" if data.get("potentialCostSavings") else "",
    ]
    return "\n".join(filter(None, lines)) or "; ".join(prediction.reasons)


def maintenance_plan(
    *, customer: Customer, appliance_id: int, today: dt.date | None = None
) -> MaintenancePlan:
    """A reminder and a customer message drafted from the appliance's stored alert (the
    rule-based prediction where none is stored); a person edits and confirms both."""
    day = today or company_today()
    prediction = appliance_maintenance_prediction(appliance_id=appliance_id, today=day)
    answer = insight_latest(feature=MAINTENANCE, subject_id=appliance_id, today=day)
    data = answer.data if answer is not None else {}
    appliance = prediction.appliance
    label = f"{appliance.brand} {appliance.get_type_display().lower()}".strip()
    state = "is overdue for" if prediction.service_overdue else "will soon be due for"
    message = (
        f"Hi {first_name(customer.name)}, this is {company().name}. Your {label} {state} "
        f"its regular maintenance ({prediction.service_task}). A planned visit now costs less "
        "than a breakdown later. Reply to this message and we will find a time that suits you."
    )
    return MaintenancePlan(
        kind=ReminderKind.MAINTENANCE_OVERDUE
        if prediction.service_overdue
        else ReminderKind.MAINTENANCE_DUE,
        title=f"Maintenance: {appliance.get_type_display()} ({appliance.brand})"[:TITLE_MAX_LENGTH],
        details=_plan_details(data, prediction),
        due_date=_plan_due(prediction, day),
        priority=data.get("alertPriority") or prediction.risk,
        message=message,
    )
