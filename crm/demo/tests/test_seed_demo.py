"""seed_demo: realistic, deterministic demo data that keeps every rule of the domain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.db.models import F

from crm.activities.models import Activity, ActivityKind, Direction
from crm.appliances.lifespans import LIFESPANS
from crm.appliances.models import Appliance
from crm.core.phones import phone_normalize
from crm.customers.models import ContactConsent, Customer, ServiceLocation
from crm.customers.preferences import contact_times_clean, language_clean
from crm.customers.tests.factories import CustomerFactory
from crm.demo.context import anchor_of
from crm.demo.seed import DemoDataExists, DemoSummary, demo_seed
from crm.demo.technicians import LEFT_DAYS_AGO
from crm.engagement.models import FollowUpLog
from crm.insights.sentiment.analyst import sentiment_of
from crm.jobs.models import Expense, Job, JobStatus, Payment
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.plans.models import MaintenancePlan
from crm.referrals.models import Referral
from crm.reviews.models import Review, ServiceFollowUp
from crm.technicians.models import CustomerTechnicianRating, Technician

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
NOW = anchor_of(TODAY)
CUSTOMERS = 30
SEED = 7

MODELS_BY_SUMMARY_FIELD: dict[str, type[models.Model]] = {
    "technicians": Technician, "customers": Customer, "consents": ContactConsent,
    "appliances": Appliance, "jobs": Job, "payments": Payment, "expenses": Expense,
    "reviews": Review, "technician_ratings": CustomerTechnicianRating,
    "follow_ups": ServiceFollowUp, "follow_up_logs": FollowUpLog, "activities": Activity,
    "referrals": Referral, "messages": ScheduledMessage, "locations": ServiceLocation,
    "maintenance_plans": MaintenancePlan,
}  # fmt: skip

# Rows as a person would compare them: no ids, no updated_at (set by the clock).
FINGERPRINT_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Customer: ("name", "email", "phone", "address", "referral_code", "created_at",
               "referred_by__name", "preferred_technician__name", "preferred_contact_method",
               "preferred_contact_times", "language_preference"),
    ContactConsent: ("customer__name", "channel", "marketing_opt_in", "opted_out_at"),
    Appliance: ("customer__name", "type", "brand", "model_number", "serial_number",
                "install_date", "warranty_expires_on", "last_service_date"),
    Job: ("customer__name", "technician__name", "description", "status", "scheduled_for",
          "completed_at", "labor_hours", "outcome", "created_at"),
    Payment: ("customer__name", "amount", "date", "payment_method", "reference"),
    Expense: ("customer__name", "amount", "date", "category", "description"),
    Review: ("customer__name", "rating", "comment", "created_at"),
    ServiceFollowUp: ("customer__name", "status", "satisfaction_rating", "follow_up_date"),
    FollowUpLog: ("customer__name", "channel", "notes", "occurred_at"),
    Activity: ("customer__name", "kind", "direction", "content", "occurred_at"),
    Referral: ("referrer__name", "referred_customer__name", "status", "reward_amount"),
    ScheduledMessage: ("customer__name", "channel", "status", "body", "last_error", "send_at"),
    MaintenancePlan: ("customer__name", "name", "price_per_year", "starts_on", "auto_renew"),
}  # fmt: skip


@pytest.fixture
def summary(db: None) -> DemoSummary:
    return demo_seed(customers=CUSTOMERS, seed=SEED, today=TODAY)


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model.__name__: sorted(model._default_manager.values_list(*names), key=repr)
        for model, names in FINGERPRINT_FIELDS.items()
    }


def seeded_fingerprint(seed: int) -> dict[str, list[tuple[Any, ...]]]:
    """Seed inside a transaction that is rolled back, so the next run starts empty too."""
    with transaction.atomic():
        demo_seed(customers=CUSTOMERS, seed=seed, today=TODAY)
        rows = fingerprint()
        transaction.set_rollback(True)
    return rows


def lifespan_years(kind: str) -> Decimal:
    return next(
        Decimal(str(r["expected_lifespan_years"])) for r in LIFESPANS if r["appliance_type"] == kind
    )


def test_every_model_gets_rows_and_the_summary_counts_them(summary: DemoSummary) -> None:
    # given a fresh database seeded by the fixture
    # when
    counts = {
        name: model._default_manager.count() for name, model in MODELS_BY_SUMMARY_FIELD.items()
    }
    # then
    assert counts == {name: getattr(summary, name) for name in MODELS_BY_SUMMARY_FIELD}
    assert min(counts.values()) > 0
    assert counts["customers"] == CUSTOMERS
    assert counts["technicians"] == 8
    assert summary.rows == sum(counts.values())


def test_same_seed_and_day_give_identical_rows(db: None) -> None:
    # given
    first = seeded_fingerprint(SEED)
    # when
    second = seeded_fingerprint(SEED)
    other = seeded_fingerprint(SEED + 1)
    # then
    assert second == first
    assert len(first["Activity"]) > 100
    assert other["Customer"] != first["Customer"]
    assert Customer.objects.count() == 0


def test_maria_gonzalez_comes_first_with_a_rich_history(summary: DemoSummary) -> None:
    # when
    maria = Customer.objects.order_by("id").first()
    # then
    assert maria is not None
    assert maria.name == "Maria Gonzalez"
    assert maria.preferred_technician is not None
    assert maria.preferred_technician.name == "Carlos Ramirez"
    assert maria.appliances.count() == 7
    assert maria.jobs.count() == 16
    assert maria.jobs.filter(status=JobStatus.SCHEDULED).count() == 1
    assert maria.jobs.filter(status=JobStatus.CANCELLED).count() == 1
    assert maria.reviews.filter(rating__lte=2).count() == 1
    assert maria.referred_customers.count() >= 3
    assert maria.activities.count() >= 60
    assert (
        maria.service_follow_ups.filter(job__completed_at__gte=NOW - dt.timedelta(days=5)).count()
        == 1
    )


def test_phones_are_stored_in_e164_and_emails_in_lower_case(summary: DemoSummary) -> None:
    # when
    contacts = list(Customer.objects.values_list("phone", "email"))
    # then: as the services store them, so duplicates and inbound messages find the customer
    assert all(phone and phone_normalize(phone) == phone for phone, _ in contacts)
    assert all(email == email.strip().lower() for _, email in contacts)


def test_money_rows_name_their_jobs_customer(summary: DemoSummary) -> None:
    # when
    expenses_elsewhere = Expense.objects.filter(job__isnull=False).exclude(
        customer=F("job__customer")
    )
    payments_elsewhere = Payment.objects.exclude(customer=F("job__customer"))
    # then
    assert expenses_elsewhere.count() == 0
    assert payments_elsewhere.count() == 0
    assert Payment.objects.filter(job__isnull=True).count() == 0
    assert Payment.objects.exclude(job__status=JobStatus.COMPLETED).count() == 0


def test_amounts_are_positive_decimals_with_two_places(summary: DemoSummary) -> None:
    # when
    amounts = list(Payment.objects.values_list("amount", flat=True)) + list(
        Expense.objects.values_list("amount", flat=True)
    )
    # then
    assert len(amounts) == summary.payments + summary.expenses
    assert all(isinstance(amount, Decimal) for amount in amounts)
    assert all(amount > 0 for amount in amounts)
    assert {amount.as_tuple().exponent for amount in amounts} == {-2}
    assert len({payment.payment_method for payment in Payment.objects.all()}) >= 4


def test_reviews_are_for_completed_jobs_of_their_customer_with_the_same_stars(
    summary: DemoSummary,
) -> None:
    # when
    reviews = list(Review.objects.select_related("job"))
    stars = {
        r.job_id: (r.customer_id, r.technician_id, r.rating)
        for r in CustomerTechnicianRating.objects.all()
    }
    # then
    assert len(reviews) == summary.reviews == len(stars)
    assert all(review.job.status == JobStatus.COMPLETED for review in reviews)
    assert all(review.job.customer_id == review.customer_id for review in reviews)
    assert all(review.job.technician_id == review.technician_id for review in reviews)
    assert {r.job_id: (r.customer_id, r.technician_id, r.rating) for r in reviews} == stars


def test_ratings_are_one_to_five_mostly_good_some_bad(summary: DemoSummary) -> None:
    # when
    ratings = list(Review.objects.values_list("rating", flat=True))
    follow_up_ratings = ServiceFollowUp.objects.exclude(satisfaction_rating=None).values_list(
        "satisfaction_rating", flat=True
    )
    # then
    assert set(ratings) | set(follow_up_ratings) <= {1, 2, 3, 4, 5}
    assert sum(1 for r in ratings if r >= 4) > len(ratings) * 0.6
    assert any(r <= 2 for r in ratings)
    assert all(review.comment for review in Review.objects.filter(rating__lte=2))


def test_referrals_match_referred_by_and_never_loop(summary: DemoSummary) -> None:
    # when
    referred_by = dict(
        Customer.objects.exclude(referred_by=None).values_list("id", "referred_by_id")
    )
    referrals = dict(Referral.objects.values_list("referred_customer_id", "referrer_id"))
    # then
    assert referred_by == referrals
    assert len(referrals) == summary.referrals > 0
    assert all(customer != referrer for customer, referrer in referrals.items())
    for customer in referred_by:
        seen = {customer}
        while customer in referred_by:
            customer = referred_by[customer]
            assert customer not in seen
            seen.add(customer)
    earlier = Referral.objects.filter(referrer__created_at__lte=F("referred_customer__created_at"))
    assert earlier.count() == summary.referrals


def test_job_statuses_fit_their_dates(summary: DemoSummary) -> None:
    # when
    completed = Job.objects.filter(status=JobStatus.COMPLETED)
    # then
    assert completed.count() > Job.objects.exclude(status=JobStatus.COMPLETED).count()
    assert completed.filter(completed_at=None).count() == 0
    assert completed.filter(completed_at__gte=NOW).count() == 0
    assert completed.exclude(labor_hours__gt=0).count() == 0
    assert Job.objects.filter(status=JobStatus.SCHEDULED, scheduled_for__lt=NOW).count() == 0
    assert Job.objects.exclude(status=JobStatus.COMPLETED).exclude(completed_at=None).count() == 0
    assert Job.objects.filter(status=JobStatus.CANCELLED).count() > 0


def test_appliances_mix_ages_warranties_and_service_dates(summary: DemoSummary) -> None:
    # when
    appliances = list(Appliance.objects.all())
    past_lifespan = [
        a for a in appliances
        if a.install_date and (TODAY - a.install_date).days / 365.25 > lifespan_years(a.type)
    ]  # fmt: skip
    # then
    assert past_lifespan
    assert [a for a in appliances if a.warranty_expires_on and a.warranty_expires_on > TODAY]
    assert all(a.install_date and a.install_date < TODAY for a in appliances)
    assert all(
        a.last_service_date is None or a.last_service_date >= a.install_date for a in appliances
    )  # type: ignore[operator]
    assert any(a.last_service_date for a in appliances)


def _scores(messages: models.QuerySet[Activity], language: str) -> list[int | None]:
    texts = messages.filter(customer__language_preference=language).values_list(
        "content", flat=True
    )
    verdicts = [sentiment_of(text, default_language=language) for text in texts]
    return [verdict.score if verdict else None for verdict in verdicts]


def test_inbound_messages_include_praise_complaints_and_spanish(summary: DemoSummary) -> None:
    # given
    inbound = Activity.objects.filter(direction=Direction.INBOUND)
    # when: scored as the sentiment analysis scores them, Spanish ones too
    english, spanish = _scores(inbound, "en"), _scores(inbound, "es")
    # then
    assert {-2, 0, 2} <= set(english)
    assert spanish
    assert None not in spanish
    assert {0, 2} <= set(spanish)  # seed 7 gives its Spanish speakers no complaint
    assert not Activity.objects.filter(content__icontains="lorem").exists()


def test_activities_fit_their_kind_and_are_in_the_past(summary: DemoSummary) -> None:
    # when
    pairs = set(Activity.objects.values_list("kind", "direction").distinct())
    # then
    assert {kind for kind, _ in pairs} == set(ActivityKind.values)
    assert {d for k, d in pairs if k == ActivityKind.NOTE} == {Direction.INTERNAL}
    assert {d for k, d in pairs if k == ActivityKind.SYSTEM} <= {
        Direction.INTERNAL,
        Direction.OUTBOUND,
    }
    assert Direction.INTERNAL not in {
        d for k, d in pairs if k not in (ActivityKind.NOTE, ActivityKind.SYSTEM)
    }
    assert Activity.objects.filter(occurred_at__gte=NOW).count() == 0
    assert FollowUpLog.objects.filter(occurred_at__gte=NOW).count() == 0
    assert Review.objects.filter(created_at__gte=NOW).count() == 0


def test_preferences_are_valid_and_varied(summary: DemoSummary) -> None:
    # when
    customers = list(Customer.objects.all())
    # then
    assert all(
        contact_times_clean(c.preferred_contact_times) == c.preferred_contact_times
        for c in customers
    )
    assert all(language_clean(c.language_preference) in ("en", "es") for c in customers)
    assert {c.language_preference for c in customers} == {"en", "es"}
    assert len({c.preferred_contact_method for c in customers}) >= 3
    assert len({c.communication_frequency_preference for c in customers}) == 3
    assert len({c.referral_code for c in customers}) == CUSTOMERS
    assert all(
        c.email.endswith(("@example.com", "@example.net", "@example.org"))
        for c in customers
        if c.email
    )


def test_technicians_have_specialties_and_only_active_ones_get_new_work(
    summary: DemoSummary,
) -> None:
    # given
    inactive = Technician.objects.get(active=False)
    left = NOW - dt.timedelta(days=LEFT_DAYS_AGO)
    # when
    preferred = Technician.objects.filter(preferred_by__isnull=False).distinct()
    # then
    assert Technician.objects.filter(active=True).count() == 7
    assert len({tuple(t.specialties) for t in Technician.objects.all()}) == 8
    assert all(t.active for t in preferred)
    assert inactive.jobs.filter(scheduled_for__gte=left).count() == 0
    assert Job.objects.filter(technician=None).count() == 0


def test_refuses_a_database_that_already_has_customers(db: None) -> None:
    # given
    CustomerFactory()
    # when
    with pytest.raises(DemoDataExists) as refused:
        demo_seed(customers=5, seed=SEED, today=TODAY)
    # then
    assert "already has 1 customers" in refused.value.message
    assert Customer.objects.count() == 1
    assert Technician.objects.count() == 0
    assert Job.objects.count() == 0


def test_append_adds_customers_next_to_existing_ones(db: None) -> None:
    # given
    existing = CustomerFactory()
    # when
    summary = demo_seed(customers=5, seed=SEED, today=TODAY, append=True)
    # then
    assert summary.customers == 5
    assert Customer.objects.count() == 6
    assert Customer.objects.filter(name="Maria Gonzalez").count() == 0
    assert Customer.objects.filter(pk=existing.pk, jobs__isnull=False).count() == 0


def test_command_seeds_then_refuses_to_seed_again(db: None) -> None:
    # given
    out = StringIO()
    # when
    call_command(
        "seed_demo", "--customers", "4", "--seed", "3", "--today", "2026-11-23", stdout=out
    )
    with pytest.raises(CommandError, match="--append"):
        call_command("seed_demo", "--customers", "4", stdout=StringIO())
    # then
    assert out.getvalue().startswith("Seeded ")
    assert "4 customers" in out.getvalue()
    assert Customer.objects.count() == 4


def test_rows_created_after_seeding_get_fresh_ids(summary: DemoSummary) -> None:
    # given the seeder reserved ids itself (sequences on PostgreSQL, next free on SQLite)
    highest_customer = Customer.objects.order_by("-id").values_list("id", flat=True)[0]
    highest_job = Job.objects.order_by("-id").values_list("id", flat=True)[0]
    # when
    created = CustomerFactory()
    job = Job.objects.create(customer=created, description="Dryer not heating")
    # then
    assert created.pk > highest_customer
    assert job.pk > highest_job
    assert Job.objects.count() == summary.jobs + 1


def test_a_few_sends_failed_or_are_unknown_for_a_person_to_settle(summary: DemoSummary) -> None:
    # when
    statuses = sorted(ScheduledMessage.objects.values_list("status", flat=True))
    # then
    assert summary.messages == 4
    assert statuses == [MessageStatus.FAILED] * 2 + [MessageStatus.UNKNOWN] * 2
    reachable = ScheduledMessage.objects.exclude(customer__phone="")
    assert reachable.count() == 4
    assert not ScheduledMessage.objects.filter(
        customer__consents__channel=F("channel"), customer__consents__opted_out_at__isnull=False
    ).exists()


def test_customers_have_home_and_a_few_landlords_a_rental(summary: DemoSummary) -> None:
    # given a fresh database seeded by the fixture
    # when
    homes = ServiceLocation.objects.filter(label="Home")
    rentals = ServiceLocation.objects.filter(label="Rental")
    # then every customer with an address has Home at it, with their other appliances there
    assert homes.count() == Customer.objects.exclude(address="").count() == CUSTOMERS
    assert not homes.exclude(address=F("customer__address")).exists()
    assert not Appliance.objects.filter(location__isnull=True).exists()
    assert not Appliance.objects.exclude(customer=F("location__customer")).exists()
    # and the landlords' rentals hold an appliance or two, in the same town as home
    assert rentals.count() == 1  # of the two candidates (7th, 22nd), one has a single appliance
    for rental in rentals:
        assert rental.address.startswith("12 Oak St, ")
        assert rental.address.endswith(rental.customer.address.partition(", ")[2])
        assert 1 <= rental.appliances.count() <= 2
        assert rental.customer.appliances.filter(location__label="Home").exists()


def test_one_customer_in_eight_has_an_active_plan_some_with_visits_done(
    summary: DemoSummary,
) -> None:
    # given 30 customers: the 5th, 13th, 21st and 29th have a plan
    plans = list(MaintenancePlan.objects.prefetch_related("appliances").order_by("customer_id"))
    # then
    assert summary.maintenance_plans == len(plans) == 4
    assert {plan.status for plan in plans} == {"Active"}
    assert all(plan.starts_on <= TODAY < plan.ends_on for plan in plans)
    for plan in plans:
        covered = list(plan.appliances.all())
        assert 1 <= len(covered) <= 2
        assert {a.customer_id for a in covered} == {plan.customer_id}
        assert plan.price_per_year == Decimal("120.00") * len(covered)
    visits = Job.objects.filter(plan__isnull=False)
    assert visits.exists()
    assert all(job.appliance in job.plan.appliances.all() for job in visits)
