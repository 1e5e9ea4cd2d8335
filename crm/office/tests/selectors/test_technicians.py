"""Reads of the technicians app: the office list page and one technician."""

from __future__ import annotations

import pytest

from crm.core.errors import NotFound
from crm.jobs.models import JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.office.selectors.technicians import technician_get, technician_page
from crm.technicians.selectors import TechnicianStatusFilter
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_the_page_counts_only_scheduled_and_in_progress_jobs():
    # given
    dana = TechnicianFactory(name="Dana")
    for status in JobStatus.values:
        JobFactory(technician=dana, status=status, completed=status == JobStatus.COMPLETED)
    JobFactory(technician=TechnicianFactory(name="Other"))
    # when
    page = technician_page(status=TechnicianStatusFilter.ALL)
    # then
    assert [(t.name, t.open_job_count) for t in page] == [("Dana", 2), ("Other", 1)]


@pytest.mark.parametrize(
    ("status", "names"),
    [
        (TechnicianStatusFilter.ACTIVE, ["Ana", "Cleo"]),
        (TechnicianStatusFilter.INACTIVE, ["Bo"]),
        (TechnicianStatusFilter.ALL, ["Ana", "Bo", "Cleo"]),
    ],
)
def test_the_page_filters_by_status_and_sorts_by_name(status, names):
    # given
    for name, active in (("Cleo", True), ("Bo", False), ("Ana", True)):
        TechnicianFactory(name=name, active=active)
    # when
    page = technician_page(status=status)
    # then
    assert [technician.name for technician in page] == names


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("inactive", "inactive"), ("all", "all"), ("active", "active"), (None, "active"),
     ("ALL", "active"), ("", "active")],
)  # fmt: skip
def test_the_status_filter_reads_the_query_string(raw, parsed):
    assert TechnicianStatusFilter.parse(raw) == parsed


def test_get_counts_open_jobs_or_is_not_found():
    # given
    dana = TechnicianFactory()
    JobFactory.create_batch(2, technician=dana, status=JobStatus.IN_PROGRESS)
    # when / then
    assert technician_get(technician_id=dana.pk).open_job_count == 2
    with pytest.raises(NotFound):
        technician_get(technician_id=dana.pk + 1)
