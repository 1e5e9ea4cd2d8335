"""Merging two customers: everything moves to the kept one, nothing points at the merged one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError

from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.customers.models import Customer, ServiceLocation
from crm.customers.services import customer_merge, customer_merge_preview, merge
from crm.customers.services.merge import customer_relations
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder, SuggestionDecision
from crm.engagement.tests.factories import FollowUpLogFactory
from crm.insights.models import InsightResult
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.messaging.models import MessageEvent
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.plans.models import MaintenancePlan
from crm.portal.models import PortalLink
from crm.referrals.models import Referral
from crm.referrals.services import referral_create
from crm.reviews.tests.factories import ReviewFactory, ServiceFollowUpFactory
from crm.technicians.tests.factories import CustomerTechnicianRatingFactory

pytestmark = pytest.mark.django_db
OPTED_OUT = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _rows_pointing_at(customer_id: int) -> dict[str, int]:
    counts = {}
    for relation in customer_relations():
        model, name = relation.related_model, relation.field.name
        counts[f"{model._meta.label}.{name}"] = model._base_manager.filter(
            **{name: customer_id}
        ).count()
    return counts


def _a_row_in_every_related_model(customer: Customer) -> None:
    """One row (at least) in every model that points at Customer."""
    referral_create(
        referrer_id=CustomerFactory(name="Referrer").pk, referred_customer_id=customer.pk
    )
    referral_create(referrer_id=customer.pk, referred_customer_id=CustomerFactory(name="Friend").pk)
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True,
                          opted_out_at=OPTED_OUT)  # fmt: skip
    ContactConsentFactory(customer=customer, channel="Email", marketing_opt_in=True)
    job = JobFactory(customer=customer, completed=True)
    ReviewFactory(job=job)
    ServiceFollowUpFactory(job=job)
    CustomerTechnicianRatingFactory(customer=customer, job=job, technician=job.technician)
    PaymentFactory(customer=customer, job=job)
    ExpenseFactory(customer=customer, job=job)
    home = ServiceLocation.objects.create(customer=customer, label="Home", address="1 Main Street")
    ApplianceFactory(customer=customer, location=home)
    plan = MaintenancePlan.objects.create(
        customer=customer, name="Care", visits_per_year=2, price_per_year=Decimal("199.00"),
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1),
    )  # fmt: skip
    plan.appliances.set(customer.appliances.all())
    PortalLink.objects.create(customer=customer, expires_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    ActivityFactory(customer=customer)
    FollowUpLogFactory(customer=customer)
    Reminder.objects.create(customer=customer, kind="Manual", title="Call back",
                            due_date=dt.date(2026, 12, 1), source_key="test:merge")  # fmt: skip
    for key in ("boiler-check", "greeting"):
        SuggestionDecision.objects.create(customer=customer, suggestion_key=key, title=key,
                                          action="Dismissed")  # fmt: skip
    message = ScheduledMessageFactory(customer=customer)
    MessageEvent.objects.create(customer=customer, message=message, kind="Inbound")
    InsightResult.objects.create(
        customer=customer, feature="summary", cache_key="k", data_fingerprint="f",
        source="offline", provider="offline", model="offline", template_version="1", text="...",
    )  # fmt: skip


def test_merge_moves_every_row_and_leaves_nothing_behind():
    # given
    kept, merged = CustomerFactory(name="Kept", address=""), CustomerFactory(name="Merged")
    _a_row_in_every_related_model(merged)
    ContactConsentFactory(customer=kept, channel="WhatsApp", marketing_opt_in=True)
    SuggestionDecision.objects.create(customer=kept, suggestion_key="greeting", title="g",
                                      action="Scheduled")  # fmt: skip
    before = _rows_pointing_at(merged.pk)
    assert all(before.values()), f"test data misses a relation: {before}"
    # when
    summary = customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then
    assert set(_rows_pointing_at(merged.pk).values()) == {0}
    assert not Customer.objects.filter(pk=merged.pk).exists()
    assert summary.moved == {
        "customer technician ratings": 1, "customers (referred by)": 1, "contact consents": 1,
        "appliances": 1, "jobs": 1, "payments": 1, "expenses": 1, "reviews": 1,
        "service follow ups": 1, "referrals (referrer)": 1, "referrals (referred customer)": 1,
        "activities": 1, "follow up logs": 1, "reminders": 1, "suggestion decisions": 1,
        "scheduled messages": 1, "message events": 1, "insight results": 1,
        "service locations": 1, "maintenance plans": 1, "portal links": 1,
    }  # fmt: skip
    assert summary.dropped == {"contact consents": 1, "suggestion decisions": 1}
    kept.refresh_from_db()
    assert kept.address == "1 Main Street"  # taken from the merged record: the kept had none
    assert kept.referred_by.name == "Referrer"
    assert Referral.objects.get(referred_customer=kept).referrer.name == "Referrer"
    assert Customer.objects.get(name="Friend").referred_by_id == kept.pk
    assert _rows_pointing_at(kept.pk)["jobs.Job.customer"] == 1


def test_merge_adds_the_list_summaries_into_the_kept_record():
    # given two records with stored summaries (as the services keep them)
    kept = CustomerFactory(
        revenue_total=Decimal("300.00"), expenses_total=Decimal("100.00"),
        net_profit=Decimal("200.00"), profit_margin=Decimal("0.666666"),
        last_contact_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        next_service_due=dt.date(2026, 9, 1),
    )  # fmt: skip
    merged = CustomerFactory(
        revenue_total=Decimal("100.00"), expenses_total=Decimal("150.00"),
        net_profit=Decimal("-50.00"), profit_margin=Decimal("-0.500000"),
        last_contact_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
        next_service_due=dt.date(2026, 7, 1),
    )  # fmt: skip

    # when
    customer_merge(customer_id=merged.pk, into_id=kept.pk)

    # then
    kept.refresh_from_db()
    assert (kept.revenue_total, kept.expenses_total, kept.net_profit, kept.profit_margin) == (
        Decimal("400.00"), Decimal("250.00"), Decimal("150.00"), Decimal("0.375000"),
    )  # fmt: skip
    assert kept.last_contact_at == dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    assert kept.next_service_due == dt.date(2026, 7, 1)


def test_merge_keeps_the_stricter_consent():
    # given
    kept, merged = CustomerFactory(), CustomerFactory()
    ContactConsentFactory(customer=kept, channel="WhatsApp", marketing_opt_in=True)
    ContactConsentFactory(customer=merged, channel="WhatsApp", marketing_opt_in=False,
                          opted_out_at=OPTED_OUT)  # fmt: skip
    ContactConsentFactory(customer=kept, channel="SMS", marketing_opt_in=False)
    ContactConsentFactory(customer=merged, channel="SMS", marketing_opt_in=True)
    # when
    customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then
    consents = {c.channel: (c.marketing_opt_in, c.opted_out_at) for c in kept.consents.all()}
    assert consents == {"WhatsApp": (False, OPTED_OUT), "SMS": (False, None)}


def test_a_referral_between_the_two_is_removed():
    # given
    kept, merged = CustomerFactory(), CustomerFactory()
    referral_create(referrer_id=merged.pk, referred_customer_id=kept.pk)
    # when
    summary = customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then
    assert summary.dropped == {"referrals (referrer)": 1}
    assert Referral.objects.count() == 0
    kept.refresh_from_db()
    assert kept.referred_by_id is None


def test_the_kept_ones_own_referral_wins_over_the_merged_ones():
    # given
    kept, merged = CustomerFactory(), CustomerFactory()
    first, second = CustomerFactory(name="First"), CustomerFactory(name="Second")
    referral_create(referrer_id=first.pk, referred_customer_id=kept.pk)
    referral_create(referrer_id=second.pk, referred_customer_id=merged.pk)
    # when
    customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then
    assert list(Referral.objects.values_list("referrer__name", "referred_customer")) == [
        ("First", kept.pk)
    ]
    kept.refresh_from_db()
    assert kept.referred_by_id == first.pk


def test_preview_counts_without_changing_anything():
    # given
    kept, merged = CustomerFactory(), CustomerFactory()
    JobFactory.create_batch(3, customer=merged)
    PaymentFactory.create_batch(2, customer=merged)
    # when
    summary = customer_merge_preview(customer_id=merged.pk, into_id=kept.pk)
    # then
    assert summary.moved == {"jobs": 3, "payments": 2}
    assert summary.dropped == {}
    assert _rows_pointing_at(merged.pk)["jobs.Job.customer"] == 3
    assert _rows_pointing_at(kept.pk)["jobs.Job.customer"] == 0


@pytest.mark.parametrize(
    ("into", "error", "field"),
    [("self", ValidationFailed, "intoId"), ("missing", ValidationFailed, "intoId")],
)
def test_merge_refusals_change_nothing(into: str, error: Any, field: str):
    # given
    customer = CustomerFactory()
    JobFactory(customer=customer)
    into_id = customer.pk if into == "self" else customer.pk + 1000
    # when
    with pytest.raises(error) as refused:
        customer_merge(customer_id=customer.pk, into_id=into_id)
    # then
    assert refused.value.field == field
    assert _rows_pointing_at(customer.pk)["jobs.Job.customer"] == 1


def test_merging_a_missing_customer_is_not_found():
    kept = CustomerFactory()
    with pytest.raises(NotFound):
        customer_merge(customer_id=kept.pk + 1000, into_id=kept.pk)
    assert Customer.objects.count() == 1


def test_every_relation_to_customer_is_a_foreign_key_the_merge_can_move():
    # A many-to-many to Customer would need its own handling in the merge.
    relations = Customer._meta.related_objects
    assert all(relation.one_to_many or relation.one_to_one for relation in relations)
    assert len(customer_relations()) == len(relations)


def test_a_database_refusal_is_a_conflict_and_changes_nothing(monkeypatch):
    # given: a rule the models' metadata does not show refuses the move
    kept, merged = CustomerFactory(), CustomerFactory()
    ContactConsentFactory(customer=kept, channel="SMS", marketing_opt_in=True)
    ContactConsentFactory(customer=merged, channel="SMS", marketing_opt_in=False)
    JobFactory(customer=merged)

    def refused(*args: Any) -> None:
        raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(merge, "_rows_move", refused)
    # when
    with pytest.raises(Conflict):
        customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then
    assert kept.consents.get().marketing_opt_in is True
    assert _rows_pointing_at(merged.pk)["jobs.Job.customer"] == 1
    assert Customer.objects.count() == 2
