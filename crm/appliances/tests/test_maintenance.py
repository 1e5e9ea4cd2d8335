import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.appliances.maintenance import appliance_maintenance_prediction, customer_maintenance_alerts
from crm.appliances.models import ApplianceLifespan
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import JobFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)  # autumn in the US: winter is next


def test_old_refrigerator_serviced_recently_is_high_risk():
    # given: 12.5 years old of 13 expected, serviced 3 months ago
    fridge = ApplianceFactory(
        type="Refrigerator",
        install_date=dt.date(2014, 5, 23),
        last_service_date=dt.date(2026, 8, 23),
    )
    # when
    prediction = appliance_maintenance_prediction(appliance_id=fridge.pk, today=TODAY)
    # then
    assert prediction.risk == "High"
    assert prediction.age_years == Decimal("12.5")
    assert prediction.life_used_ratio == Decimal("0.96")
    assert prediction.next_service_due == dt.date(2027, 8, 23)
    assert prediction.service_overdue is False
    assert prediction.days_since_last_service == 92
    assert prediction.reasons[0] == "12.5 years old of an expected 13.0 (96% of its life)."


def test_young_dryer_is_raised_one_level_because_winter_is_next():
    # given: 2 years old, serviced 6 months ago; the dryer's peak season (winter) is next
    dryer = ApplianceFactory(
        type="Dryer", install_date=dt.date(2024, 11, 23), last_service_date=dt.date(2026, 5, 23)
    )
    # when
    prediction = appliance_maintenance_prediction(appliance_id=dryer.pk, today=TODAY)
    # then
    assert prediction.risk == "Medium"
    assert prediction.current_season == "Autumn"
    assert prediction.upcoming_season == "Winter"
    assert prediction.reasons[-1] == "Raised one level: peak season is now or next."


def test_never_serviced_for_two_intervals_is_overdue_and_raised():
    # given: a 5-year-old dishwasher (9 expected: ratio 0.56, Low) with no service since install
    dishwasher = ApplianceFactory(
        type="Dishwasher", install_date=dt.date(2021, 11, 23), last_service_date=None
    )
    # when
    prediction = appliance_maintenance_prediction(appliance_id=dishwasher.pk, today=TODAY)
    # then
    assert prediction.life_used_ratio == Decimal("0.56")
    assert prediction.risk == "Medium"
    assert prediction.service_overdue is True
    assert prediction.next_service_due == dt.date(2022, 11, 23)
    assert prediction.actions[0] == "Book a maintenance visit now"


def test_completed_job_on_the_appliance_counts_as_service():
    # given
    washer = ApplianceFactory(
        type="WashingMachine", install_date=dt.date(2025, 1, 1), last_service_date=None
    )
    completed_at = timezone.make_aware(dt.datetime(2026, 10, 1, 12, 0))
    JobFactory(
        customer=washer.customer, appliance=washer, status="Completed", completed_at=completed_at
    )
    # when
    prediction = appliance_maintenance_prediction(appliance_id=washer.pk, today=TODAY)
    # then
    assert prediction.last_service_date == dt.date(2026, 10, 1)
    assert prediction.risk == "Low"


def test_operators_can_override_the_lifespan_table():
    # given: the table says 13 years; the operator sets 25
    ApplianceLifespan.objects.filter(appliance_type="Refrigerator").update(
        expected_lifespan_years=Decimal("25")
    )
    fridge = ApplianceFactory(
        type="Refrigerator",
        install_date=dt.date(2014, 5, 23),
        last_service_date=dt.date(2026, 8, 23),
    )
    # when
    prediction = appliance_maintenance_prediction(appliance_id=fridge.pk, today=TODAY)
    # then
    assert prediction.life_used_ratio == Decimal("0.50")
    assert prediction.risk == "Low"


def test_customer_alerts_are_highest_risk_first(django_assert_num_queries):
    # given
    customer = CustomerFactory()
    ApplianceFactory(
        customer=customer,
        type="Microwave",
        install_date=dt.date(2026, 1, 1),
        last_service_date=dt.date(2026, 10, 1),
    )
    ApplianceFactory(
        customer=customer,
        type="Refrigerator",
        install_date=dt.date(2010, 1, 1),
        last_service_date=dt.date(2026, 10, 1),
    )
    # when: appliances, lifespan table, last completed jobs
    with django_assert_num_queries(3):
        alerts = customer_maintenance_alerts(customer_id=customer.pk, today=TODAY)
    # then
    assert [(a.appliance.type, a.risk) for a in alerts] == [
        ("Refrigerator", "High"),
        ("Microwave", "Low"),
    ]
