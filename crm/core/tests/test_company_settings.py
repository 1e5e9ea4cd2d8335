"""The company's settings: stored over the environment's defaults, checked, and read through
company() from memory (a save is seen at once; no query per call)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction

from crm.audit.models import AuditEntry
from crm.core import company as company_module
from crm.core.company import VERSION_KEY, company, company_forget, company_recheck
from crm.core.errors import ValidationFailed
from crm.core.models import CompanySettings
from crm.core.services import checklist_hide, company_settings_update

pytestmark = pytest.mark.django_db

SAVED: dict[str, Any] = {
    "name": "Frost & Sons",
    "address": "1 Main St",
    "country": "US",
    "subdivision": "CA",
    "working_hours": "Mon-Sat 07:00-17:00",
    "quiet_hours_start": dt.time(20, 0),
    "quiet_hours_end": dt.time(9, 0),
    "arrival_windows": "09:00-12:00,13:00-16:00",
    "currency_symbol": "$",
    "review_link": "https://g.page/r/frost/review",
    "greeting_lead_days": 10,
    "followup_delay_days": 3,
}


def test_with_nothing_stored_company_follows_django_settings(settings):
    # given
    settings.COMPANY_NAME = "From The Environment"
    settings.GREETING_LEAD_DAYS = 4
    # when
    firm = company()
    # then
    assert (firm.name, firm.greeting_lead_days, firm.review_link) == (
        "From The Environment", 4, settings.COMPANY_REVIEW_LINK,
    )  # fmt: skip


def test_a_settings_override_after_a_read_is_seen_at_once(settings):
    # given
    assert company().name == settings.COMPANY_NAME
    # when
    settings.COMPANY_NAME = "Changed In The Test"
    # then
    assert company().name == "Changed In The Test"


def test_a_save_is_seen_at_once_and_names_what_changed(settings):
    # given
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "21:00", "08:00"
    # when
    changed = company_settings_update(values=SAVED)
    # then
    firm = company()
    assert (firm.name, firm.subdivision, firm.quiet_hours_start, firm.quiet_hours_end) == (
        "Frost & Sons", "CA", "20:00", "09:00",
    )  # fmt: skip
    assert [w.key for w in firm.arrival_windows] == ["09:00-12:00", "13:00-16:00"]
    assert firm.working_hours.weekdays == frozenset(range(6))
    assert "company name" in changed
    assert changed.count("quiet hours") == 1


def test_a_value_equal_to_the_environment_keeps_following_it(settings):
    # given
    settings.CURRENCY_SYMBOL = "$"
    company_settings_update(values=SAVED)
    # when
    settings.CURRENCY_SYMBOL = "€"
    # then
    row = CompanySettings.objects.get()
    assert (row.currency_symbol, row.name) == (None, "Frost & Sons")
    assert company().currency_symbol == "€"


def test_saving_the_same_values_again_changes_nothing():
    # given
    company_settings_update(values=SAVED)
    # when
    changed = company_settings_update(values=SAVED)
    # then
    assert changed == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "not a country"),
        ("subdivision", "ZZ", "not a region of United States"),
        ("working_hours", "Mon-Fri 18:00-08:00", "Mon-Fri 08:00-18:00"),
        ("working_hours", "weekdays", "Mon-Fri 08:00-18:00"),
        ("arrival_windows", "10:00-09:00", "must end after it starts"),
        ("review_link", "http://example.com/review", "valid URL"),
        ("greeting_lead_days", 91, "less than or equal to 90"),
        ("quiet_hours_end", dt.time(20, 0), "end at another time"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_stored(field, value, message):
    # when
    with pytest.raises(ValidationFailed) as refused:
        company_settings_update(values={**SAVED, field: value})
    # then
    assert message in refused.value.message
    assert not CompanySettings.objects.exists()


def test_the_table_keeps_one_row_and_the_day_ranges():
    # given
    CompanySettings.objects.create()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanySettings.objects.create(id=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanySettings.objects.update(greeting_lead_days=91)
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanySettings.objects.update(review_link="http://example.com")


def test_company_costs_no_query_per_call(django_assert_num_queries):
    # given
    company_settings_update(values=SAVED)
    company_forget()  # as a process that has not read the settings yet
    with django_assert_num_queries(1):  # its first read reads the row
        company()
    # when / then
    with django_assert_num_queries(0):
        names = {company().name for _ in range(500)}
    assert names == {"Frost & Sons"}


def test_another_process_save_is_seen_at_the_next_request(django_assert_num_queries):
    # given: this process knows the settings; another process stores a name and bumps the
    # version in the shared cache (as company_changed() does there)
    assert company().name != "Frost & Sons"
    CompanySettings.objects.create(name="Frost & Sons")
    cache.set(VERSION_KEY, "another-process")
    # when / then: within the request nothing is read again ...
    with django_assert_num_queries(0):
        assert company().name != "Frost & Sons"
    # ... and the next request compares the version and reads the row once
    company_recheck()  # as request_started does
    with django_assert_num_queries(1):
        assert company().name == "Frost & Sons"
    with django_assert_num_queries(0):
        company()


def test_a_lost_cache_version_reads_the_row_again():
    # given
    CompanySettings.objects.create(name="Frost & Sons")
    cache.delete(VERSION_KEY)
    # when
    company_recheck()  # as request_started does
    # then
    assert company().name == "Frost & Sons"
    assert cache.get(VERSION_KEY) == company_module._snapshot.version  # type: ignore[union-attr]


def test_hiding_the_checklist_keeps_the_other_settings():
    # given
    company_settings_update(values=SAVED)
    # when
    checklist_hide()
    # then
    assert (company().checklist_hidden, company().name) == (True, "Frost & Sons")


def test_a_change_is_in_the_audit_trail():
    # when
    company_settings_update(values=SAVED)
    company_settings_update(values={**SAVED, "name": "Frost Brothers"})
    # then
    entry = AuditEntry.objects.filter(content_type__model="companysettings").latest("id")
    assert entry.changes_dict["name"] == ["Frost & Sons", "Frost Brothers"]
