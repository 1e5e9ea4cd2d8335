"""The migration that allows one Pending follow-up per job closes the extra ones first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import ServiceFollowUp
from crm.reviews.tests.factories import ServiceFollowUpFactory

BEFORE = [("reviews", "0002_servicefollowup_handled")]
AFTER = [("reviews", "0003_followup_one_pending_per_job")]


@pytest.mark.django_db(transaction=True)
def test_extra_pending_follow_ups_become_no_response_and_the_first_stays() -> None:
    # given: the rule is not there yet, and one job has three Pending follow-ups
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    job, other = JobFactory(completed=True), JobFactory(completed=True)
    first, *extra = [ServiceFollowUpFactory(job=job) for _ in range(3)]
    alone = ServiceFollowUpFactory(job=other)
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # then
    statuses = dict(ServiceFollowUp.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "Pending", extra[0].pk: "NoResponse", extra[1].pk: "NoResponse",
        alone.pk: "Pending",
    }  # fmt: skip
