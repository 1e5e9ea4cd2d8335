"""A deactivated technician is offered nowhere new: not in the preferred-technician select, not
as a preference through the API, not in technician matching; their jobs keep them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from crm.customers.tests.factories import CustomerFactory
from crm.insights.features.technician import technician_ranking
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.technicians.services import technician_update
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_a_deactivated_technician_is_offered_nowhere_new(staff_client: Client) -> None:
    # given
    dana = TechnicianFactory(name="Dana Whitfield")
    carlos = TechnicianFactory(name="Carlos Ramirez")
    job = JobFactory(technician=dana)
    customer = job.customer
    # when
    technician_update(technician_id=dana.pk, fields={"active": False})
    # then
    html = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    options = html[html.index('id="preferred-technician"') :].split("</select>")[0]
    assert "Carlos Ramirez" in options
    assert "Dana Whitfield" not in options
    refused = staff_client.post(
        f"/api/customer/{customer.pk}/preferred-technician", {"technicianId": dana.pk},
        content_type="application/json",
    )  # fmt: skip
    assert (refused.status_code, refused.json()["detail"]) == (
        422, "No active technician with that id.",
    )  # fmt: skip
    candidates = technician_ranking(
        customer=CustomerFactory(), appliance=None, issue="", day=dt.date(2026, 12, 4)
    )
    assert [candidate.id for candidate in candidates] == [carlos.pk]
    assert Job.objects.get(pk=job.pk).technician_id == dana.pk
