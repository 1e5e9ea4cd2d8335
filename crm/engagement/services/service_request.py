"""A customer asks for a visit from their portal: the office gets a reminder and the timeline
an entry, so the request is answered like any other piece of the customer's business."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.services import activity_create
from crm.appliances.models import Appliance
from crm.core.errors import ValidationFailed
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.engagement.services.reminders import reminder_create

PROBLEM_MIN_LENGTH = 5
PROBLEM_MAX_LENGTH = 2000
WEEKDAY_NAMES = {
    "mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
    "fri": "Friday", "sat": "Saturday", "sun": "Sunday",
}  # fmt: skip


def _checked(customer_id: int, appliance_id: int | None, problem: str, days: Sequence[str]) -> str:
    """The appliance (theirs or none), the problem's length and the days; returns the
    appliance's name for the reminder ("" when none was chosen)."""
    if not PROBLEM_MIN_LENGTH <= len(problem.strip()) <= PROBLEM_MAX_LENGTH:
        raise ValidationFailed(
            f"Describe the problem in {PROBLEM_MIN_LENGTH} to {PROBLEM_MAX_LENGTH} characters.",
            field="problem",
        )
    unknown = sorted(set(days) - set(WEEKDAY_NAMES))
    if unknown:
        raise ValidationFailed("Preferred days are mon to sun.", field="preferredDays")
    if appliance_id is None:
        return ""
    appliance = Appliance.objects.filter(pk=appliance_id, customer_id=customer_id).first()
    if appliance is None:
        raise ValidationFailed("No appliance with that id for this customer.", field="appliance")
    return f"{appliance.brand} {appliance.get_type_display().lower()}".strip()


@transaction.atomic
def service_request_create(
    *, customer_id: int, appliance_id: int | None, problem: str, preferred_days: Sequence[str],
    via: str,
) -> Reminder:  # fmt: skip
    """A Medium "Service requested" reminder due today and a timeline entry; bad input is
    refused (ValidationFailed) with nothing saved. `via` says how it came ("the portal")."""
    appliance = _checked(customer_id, appliance_id, problem, preferred_days)
    what = appliance or "an appliance not on file"
    days = [WEEKDAY_NAMES[day] for day in WEEKDAY_NAMES if day in preferred_days]
    details = f"Problem, in their words: {problem.strip()}\n" + (
        f"Preferred days: {', '.join(days)}." if days else "No preferred days given."
    )
    reminder = reminder_create(
        customer_id=customer_id, kind=ReminderKind.SERVICE_REQUEST,
        title=f"Service requested for {what}", details=f"Asked through {via}.\n{details}",
        due_date=timezone.localdate(), priority=ReminderPriority.MEDIUM,
        appliance_id=appliance_id,
    )  # fmt: skip
    activity_create(
        customer_id=customer_id, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        content=f"The customer requested service for {what} ({via}). {details}",
    )  # fmt: skip
    return reminder
