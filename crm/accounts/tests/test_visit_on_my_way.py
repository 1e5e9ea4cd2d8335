"""On my way from My visits: a technician tells the customer of their own visit, and only theirs."""

from __future__ import annotations

import json

from crm.accounts.tests.conftest import Crew
from crm.core.htmx import CONFIRMED
from crm.jobs.models import Job
from crm.messaging.models import MessageSource, ScheduledMessage

HTMX = {"HX-Request": "true"}


def test_a_technician_sends_on_my_way_for_their_visit(crew: Crew) -> None:
    # given My visits offers On my way on today's visit
    page = crew.client.get("/my-visits/").content.decode()
    assert f'id="my-visit-on-my-way-{crew.visit.pk}"' in page
    # when the technician sends it with 10 minutes
    response = crew.client.post(
        f"/my-visits/{crew.visit.pk}/on-my-way/", {"eta_minutes": "10"}, headers=HTMX
    )
    # then it is on its way to the customer, naming the technician
    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"])[CONFIRMED]["text"] == (
        "On my way sent: arriving in about 10 minutes"
    )
    message = ScheduledMessage.objects.get(job=crew.visit, source=MessageSource.ON_MY_WAY)
    assert message.body.startswith("Tess Field from ")


def test_another_technicians_visit_is_a_404_and_sends_nothing(crew: Crew) -> None:
    theirs = Job.objects.get(customer=crew.others)

    response = crew.client.post(
        f"/my-visits/{theirs.pk}/on-my-way/", {"eta_minutes": "10"}, headers=HTMX
    )

    assert response.status_code == 404
    assert not ScheduledMessage.objects.filter(source=MessageSource.ON_MY_WAY).exists()


def test_a_missing_eta_is_a_form_error_and_sends_nothing(crew: Crew) -> None:
    response = crew.client.post(f"/my-visits/{crew.visit.pk}/on-my-way/", {}, headers=HTMX)

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not ScheduledMessage.objects.filter(source=MessageSource.ON_MY_WAY).exists()
