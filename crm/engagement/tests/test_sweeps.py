"""The nightly sweeps: which reminders and greeting drafts appear, and that a rerun adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.surveys import follow_ups_no_response
from crm.engagement.services.sweeps import engagement_sweep, maintenance_priority
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import ScheduledMessage
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)  # a Monday; Thanksgiving is on Thursday the 26th


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T15:00:00+00:00")


def _keys() -> dict[str, tuple[str, str]]:
    return {r.source_key: (r.kind, r.priority) for r in Reminder.objects.all()}


@pytest.fixture(autouse=True)
def _greeting_settings(settings):  # type: ignore[no-untyped-def]
    settings.GREETING_LEAD_DAYS = 7
    settings.GREETING_HOLIDAYS = ["Thanksgiving Day", "Christmas Day"]
    settings.GREETING_PERSONAL_PER_RUN = 0
    settings.COMPANY_COUNTRY, settings.COMPANY_SUBDIVISION = "US", ""


def test_appliance_reminders_maintenance_lifespan_and_warranty() -> None:
    # given appliances in each situation (refrigerators: 13-year life, yearly service)
    overdue = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 6, 1)
    )
    due_soon = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 12, 10)
    )
    fine = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2026, 6, 1)
    )
    old = ApplianceFactory(install_date=dt.date(2013, 1, 1), last_service_date=dt.date(2026, 6, 1))
    aging = ApplianceFactory(
        install_date=dt.date(2015, 1, 1), last_service_date=dt.date(2026, 6, 1)
    )
    warranty = ApplianceFactory(
        install_date=dt.date(2025, 1, 15),
        last_service_date=dt.date(2026, 6, 1),
        warranty_expires_on=dt.date(2026, 12, 20),
    )
    ApplianceFactory(
        install_date=dt.date(2025, 1, 15),
        last_service_date=dt.date(2026, 6, 1),
        warranty_expires_on=dt.date(2027, 3, 1),
    )
    # when
    report = engagement_sweep(today=TODAY)
    # then exactly these reminders
    assert _keys() == {
        f"maintenance:{overdue.pk}:2026-06-01": ("MaintenanceOverdue", "Medium"),
        f"maintenance:{due_soon.pk}:2026-12-10": ("MaintenanceDue", "Medium"),
        f"lifespan:{old.pk}:past": ("EndOfLife", "Medium"),
        f"lifespan:{aging.pk}:near": ("EndOfLife", "Low"),
        f"warranty:{warranty.pk}:2026-12-20": ("WarrantyEnding", "Medium"),
    }
    assert report.reminders_created == 5
    assert fine.pk not in Reminder.objects.values_list("appliance_id", flat=True)
    reminder = Reminder.objects.get(appliance=overdue)
    assert reminder.title.startswith("Maintenance overdue: Whirlpool Refrigerator (")
    assert (reminder.due_date, reminder.customer_id) == (dt.date(2026, 6, 1), overdue.customer_id)


def test_a_rerun_adds_nothing_and_a_dismissed_reminder_stays_dismissed() -> None:
    # given one sweep done and its reminder dismissed
    appliance = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 6, 1)
    )
    engagement_sweep(today=TODAY)
    Reminder.objects.update(status="Dismissed")
    # when the sweep runs again the same night and the next
    again = engagement_sweep(today=TODAY)
    next_night = engagement_sweep(today=TODAY + dt.timedelta(days=1))
    # then
    assert (again.reminders_created, again.reminders_updated) == (0, 0)
    assert (next_night.reminders_created, next_night.reminders_updated) == (0, 0)
    assert list(Reminder.objects.values_list("appliance_id", "status")) == [
        (appliance.pk, "Dismissed")
    ]


def test_due_becomes_overdue_on_the_same_reminder() -> None:
    # given a "due soon" reminder
    appliance = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 12, 10)
    )
    engagement_sweep(today=TODAY)
    # when the due day passes
    report = engagement_sweep(today=dt.date(2026, 12, 15))
    # then the same reminder is now overdue and High (a fresh miss)
    reminder = Reminder.objects.get(appliance=appliance)
    assert (reminder.kind, reminder.priority) == ("MaintenanceOverdue", "High")
    assert (report.reminders_created, report.reminders_updated) == (0, 1)


def test_no_contact_for_longer_than_the_preference_allows() -> None:
    # given a Moderate customer last written to on June 1 and a Frequent one 20 days ago
    quiet = CustomerFactory(
        communication_frequency_preference="Moderate", created_at=_at("2025-01-01")
    )
    ActivityFactory(
        customer=quiet, kind="Email", direction="Outbound", occurred_at=_at("2026-06-01")
    )
    ActivityFactory(
        customer=quiet, kind="Note", direction="Internal", occurred_at=_at("2026-11-01")
    )
    recent = CustomerFactory(
        communication_frequency_preference="Frequent", created_at=_at("2025-01-01")
    )
    ActivityFactory(customer=recent, kind="SMS", direction="Inbound", occurred_at=_at("2026-11-03"))
    never = CustomerFactory(
        communication_frequency_preference="Minimal", created_at=_at("2026-01-10")
    )
    # when
    engagement_sweep(today=TODAY)
    # then internal notes do not count as contact; creation counts when nothing else exists
    assert _keys() == {
        f"no-contact:{quiet.pk}:2026-06-01": ("NoRecentContact", "Low"),
        f"no-contact:{never.pk}:2026-01-10": ("NoRecentContact", "Low"),
    }
    assert Reminder.objects.get(customer=quiet).title == (
        "No contact since Mon, Jun 1, 2026 (Moderate customer: at least every 90 days)"
    )


def test_a_frequent_customer_is_called_after_45_days_of_silence_like_the_ai_suggests() -> None:
    # given two Frequent customers last written to 40 and 50 days before the sweep
    quiet, quieter = CustomerFactory.create_batch(
        2, communication_frequency_preference="Frequent", created_at=_at("2025-01-01")
    )
    ActivityFactory(customer=quiet, kind="SMS", direction="Outbound", occurred_at=_at("2026-10-14"))
    ActivityFactory(
        customer=quieter, kind="SMS", direction="Outbound", occurred_at=_at("2026-10-04")
    )
    # when
    engagement_sweep(today=TODAY)
    # then only the one past the shared table's 45 days gets a reminder
    assert _keys() == {f"no-contact:{quieter.pk}:2026-10-04": ("NoRecentContact", "Low")}
    assert Reminder.objects.get(customer=quieter).title == (
        "No contact since Sun, Oct 4, 2026 (Frequent customer: at least every 45 days)"
    )


def test_anniversary_reminder_and_greeting_drafts_for_customers_who_accept_marketing() -> None:
    # given a WhatsApp customer whose first completed job was Nov 30, 2023 (opted in),
    maria = CustomerFactory(
        name="Maria Gonzalez",
        preferred_contact_method="WhatsApp",
        created_at=_at("2023-11-01"),
        language_preference="es",
    )
    ContactConsentFactory(customer=maria, channel="WhatsApp", marketing_opt_in=True)
    JobFactory(customer=maria, completed=True, completed_at=_at("2023-11-30"))
    # an email-only opt-in, one who opted out, and one who never opted in
    john = CustomerFactory(
        name="John Smith", preferred_contact_method="Phone", created_at=_at("2026-11-20")
    )
    ContactConsentFactory(customer=john, channel="Email", marketing_opt_in=True)
    stopped = CustomerFactory(created_at=_at("2026-11-20"))
    ContactConsentFactory(
        customer=stopped, channel="SMS", marketing_opt_in=True, opted_out_at=_at("2026-10-01")
    )
    CustomerFactory(created_at=_at("2026-11-20"))
    # when
    report = engagement_sweep(today=TODAY)
    # then an anniversary reminder, and drafts only for the two who accept marketing
    anniversary = Reminder.objects.get(kind="ServiceAnniversary")
    assert (anniversary.customer, anniversary.due_date) == (maria, dt.date(2026, 11, 30))
    assert anniversary.title == "3-year service anniversary on Mon, Nov 30, 2026"
    drafts = {(m.customer_id, m.idempotency_key): m for m in ScheduledMessage.objects.all()}
    assert set(drafts) == {
        (maria.pk, f"greeting:{maria.pk}:service-anniversary:2026-11-30"),
        (maria.pk, f"greeting:{maria.pk}:thanksgiving-day:2026-11-26"),
        (john.pk, f"greeting:{john.pk}:thanksgiving-day:2026-11-26"),
    }
    assert report.greetings_drafted == 3
    for draft in drafts.values():
        assert (draft.status, draft.source, draft.purpose) == ("Draft", "Greeting", "Marketing")
        assert draft.approved_by is None
    johns = drafts[(john.pk, f"greeting:{john.pk}:thanksgiving-day:2026-11-26")]
    assert (johns.channel, johns.subject) == ("Email", "Happy Thanksgiving Day!")
    assert johns.body == (
        "Hi John,\n\nWishing you a wonderful Thanksgiving Day! Thank you for trusting ServiceCRM "
        "Appliance Care with your home appliances; we are here whenever you need us.\n\n"
        "Warm regards,\nThe ServiceCRM Appliance Care Team"
    )
    assert timezone.localtime(johns.send_at).isoformat() == "2026-11-26T10:00:00-05:00"
    marias = drafts[(maria.pk, f"greeting:{maria.pk}:service-anniversary:2026-11-30")]
    assert (marias.channel, marias.subject) == ("WhatsApp", "")
    assert marias.body.startswith("Hola Maria,\n\nHoy se cumplen 3 años")
    # and a second run drafts nothing new
    assert engagement_sweep(today=TODAY).greetings_drafted == 0


def test_the_insights_greeting_writes_the_first_drafts(settings) -> None:  # type: ignore[no-untyped-def]
    # given room for one personal draft (offline provider: the insights feature's own text)
    settings.GREETING_PERSONAL_PER_RUN = 1
    customer = CustomerFactory(name="Lee Park", created_at=_at("2024-02-01"))
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    second = CustomerFactory(name="Ann Lee", created_at=_at("2024-02-01"))
    ContactConsentFactory(customer=second, channel="WhatsApp", marketing_opt_in=True)
    # when
    engagement_sweep(today=TODAY)
    # then the first customer's draft comes from insights, the second's is the fixed wording
    first = ScheduledMessage.objects.get(customer=customer)
    assert first.body.startswith(
        "Hi Lee,\n\nWishing you a wonderful Thanksgiving Day! Thank you for trusting us"
    )
    assert first.body.endswith("The ServiceCRM Appliance Care Team")
    assert ScheduledMessage.objects.get(customer=second).body.startswith(
        "Hi Ann,\n\nWishing you a wonderful Thanksgiving Day! Thank you for trusting ServiceCRM"
    )


def test_unanswered_follow_ups_become_no_response_with_a_reminder(settings) -> None:  # type: ignore[no-untyped-def]
    # given follow-ups 8 and 3 days past their date (limit 7)
    settings.FOLLOWUP_NO_RESPONSE_DAYS = 7
    now = timezone.now()
    late = ServiceFollowUpFactory(follow_up_date=now - dt.timedelta(days=8))
    recent = ServiceFollowUpFactory(follow_up_date=now - dt.timedelta(days=3))
    # when run twice
    closed = follow_ups_no_response(now=now)
    again = follow_ups_no_response(now=now)
    # then
    late.refresh_from_db()
    recent.refresh_from_db()
    assert (closed, again) == (1, 0)
    assert (late.status, recent.status) == ("NoResponse", "Pending")
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.job_id, reminder.source_key) == (
        "FollowUpOverdue",
        late.job_id,
        f"followup-no-response:{late.pk}",
    )


def test_low_survey_scores_raise_a_high_priority_reminder() -> None:
    low = ServiceFollowUpFactory(status="Completed", satisfaction_rating=1, feedback="Still broken")
    ServiceFollowUpFactory(status="Completed", satisfaction_rating=4)
    engagement_sweep(today=TODAY)
    reminder = Reminder.objects.get(kind="LowSurveyScore")
    assert (reminder.customer_id, reminder.priority, reminder.details) == (
        low.customer_id,
        "High",
        "Still broken",
    )
    assert reminder.source_key == f"low-score:{low.pk}"


@pytest.mark.parametrize(
    ("due", "priority"),
    [
        (dt.date(2026, 12, 1), "Medium"),  # due soon
        (dt.date(2026, 11, 10), "High"),  # missed in the last 30 days
        (dt.date(2026, 3, 1), "Medium"),  # missed months ago
        (dt.date(2025, 6, 1), "Low"),  # long overdue (more than a year)
    ],
)
def test_maintenance_priority_is_high_only_for_a_fresh_miss(due: dt.date, priority: str) -> None:
    assert maintenance_priority(due, TODAY) == priority


def test_a_later_due_day_replaces_the_appliances_older_maintenance_reminder() -> None:
    # given an overdue reminder, then a service logged (by hand, not through a job) that moves
    # the next due day: two reminders about the same appliance and cause
    appliance = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 6, 1)
    )
    engagement_sweep(today=TODAY)
    appliance.last_service_date = dt.date(2025, 12, 10)
    appliance.save(update_fields=["last_service_date"])
    # when the next night's sweep runs
    report = engagement_sweep(today=TODAY + dt.timedelta(days=1))
    # then one open reminder is left, the newer one; the older was merged away
    open_rows = Reminder.objects.filter(appliance=appliance, status__in=["Open", "Snoozed"])
    assert [r.source_key for r in open_rows] == [f"maintenance:{appliance.pk}:2026-12-10"]
    old = Reminder.objects.get(source_key=f"maintenance:{appliance.pk}:2026-06-01")
    assert (old.status, report.reminders_merged) == ("Dismissed", 1)
    assert old.resolved_at is not None


def test_a_manual_reminder_about_an_appliance_is_never_merged() -> None:
    # given a sweep reminder and an office reminder about the same appliance
    appliance = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2025, 6, 1)
    )
    engagement_sweep(today=TODAY)
    Reminder.objects.create(
        customer_id=appliance.customer_id, appliance=appliance, kind="Manual",
        title="Call about the ice maker", due_date=TODAY, source_key="manual:test",
    )  # fmt: skip
    # when
    report = engagement_sweep(today=TODAY + dt.timedelta(days=1))
    # then both stay open
    assert report.reminders_merged == 0
    assert Reminder.objects.filter(appliance=appliance, status="Open").count() == 2


def test_a_service_missed_more_than_a_year_ago_is_one_long_overdue_line() -> None:
    # given a refrigerator whose yearly service was due in June 2025
    appliance = ApplianceFactory(
        install_date=dt.date(2020, 1, 15), last_service_date=dt.date(2024, 6, 1)
    )
    # when
    engagement_sweep(today=TODAY)
    # then one Low line that says so, in words
    (reminder,) = Reminder.objects.filter(appliance=appliance)
    assert reminder.priority == "Low"
    assert reminder.title.startswith("Long overdue: Whirlpool Refrigerator (")
    assert reminder.title.endswith("due since Sun, Jun 1, 2025)")
