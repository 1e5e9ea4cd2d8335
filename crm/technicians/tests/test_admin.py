"""The back office may delete a technician only when nothing records them."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.core.tests.factories import UserFactory
from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_deleting_a_technician_with_jobs_is_refused_with_the_reason(admin_client):
    # given
    dana = TechnicianFactory(name="Dana")
    JobFactory.create_batch(2, technician=dana)
    url = f"/admin/technicians/technician/{dana.pk}/delete/"
    # when
    shown = admin_client.get(url, follow=True)
    posted = admin_client.post(url, {"post": "yes"}, follow=True)
    # then
    for response in (shown, posted):
        assert response.redirect_chain[-1][0] == f"/admin/technicians/technician/{dana.pk}/change/"
        assert [str(m) for m in response.context["messages"]] == [
            "Dana has 2 jobs on record and cannot be deleted: deactivate them instead, so they "
            "are no longer offered for new jobs."
        ]
    assert Technician.objects.filter(pk=dana.pk).exists()
    assert dana.jobs.count() == 2


def test_a_technician_without_history_can_be_deleted(admin_client):
    # given
    mistake = TechnicianFactory(name="Typo")
    # when
    response = admin_client.post(
        f"/admin/technicians/technician/{mistake.pk}/delete/", {"post": "yes"}
    )
    # then
    assert response.status_code == 302
    assert not Technician.objects.filter(pk=mistake.pk).exists()


def test_the_bulk_delete_action_is_not_offered(admin_client):
    # given
    TechnicianFactory()
    # when
    html = admin_client.get("/admin/technicians/technician/").content.decode()
    # then
    assert "delete_selected" not in html
