"""My visits: a Technician's landing page and its actions, scoped to their own visits."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from crm.accounts.tests.conftest import Crew
from crm.activities.models import Activity, ActivityKind
from crm.appliances.models import Appliance
from crm.core.tests.factories import UserFactory
from crm.jobs.models import Job, JobStatus
from crm.reviews.models import ServiceFollowUp


def test_a_technician_lands_on_my_visits_after_signing_in(crew: Crew) -> None:
    crew.user.set_password("a long password here")
    crew.user.save()
    response = Client().post(
        "/login/", {"username": "tess", "password": "a long password here"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/my-visits/"
    assert response.resolver_match.url_name == "my-visits"


def test_office_still_lands_on_today(db: None) -> None:
    UserFactory(username="olga")
    response = Client().post(
        "/login/", {"username": "olga", "password": "correct horse battery staple"}, follow=True
    )
    assert response.resolver_match.url_name == "home"


def test_my_visits_shows_todays_visit_with_call_map_and_appliance_and_no_money(crew: Crew) -> None:
    # when the technician opens My visits
    page = crew.client.get("/my-visits/").content.decode()
    # then today's visit is there with what a visit needs
    assert "Ana Ruiz" in page
    assert 'href="tel:+13055550101"' in page
    assert "https://www.google.com/maps/search/?api=1&amp;query=12+Ocean+Drive%2C+Miami" in page
    assert "Bosch" in page
    assert "Dryer does not heat" in page
    # and not other technicians' visits, visits further away, or money
    assert "Others" not in page
    assert "Soon" not in page
    assert "150.00" not in page
    assert "$" not in page
    assert "Today" not in page.split("<main")[0]  # the office's navigation is not offered


def test_start_then_complete_goes_through_the_job_workflow(crew: Crew) -> None:
    # when the technician starts and completes the visit
    started = crew.client.post(f"/my-visits/{crew.visit.pk}/start/", headers={"HX-Request": "true"})
    assert started.status_code == 204
    assert Job.objects.get(pk=crew.visit.pk).status == JobStatus.IN_PROGRESS
    done = crew.client.post(
        f"/my-visits/{crew.visit.pk}/complete/",
        {"labor_hours": "1.75", "parts": "Thermal fuse", "outcome": "Replaced the fuse"},
        headers={"HX-Request": "true"},
    )
    # then the job is completed with labour, parts and outcome, and the survey is scheduled
    assert done.status_code == 204
    job = Job.objects.get(pk=crew.visit.pk)
    assert (job.status, job.labor_hours) == (JobStatus.COMPLETED, Decimal("1.75"))
    assert job.outcome == "Replaced the fuse\nParts: Thermal fuse"
    assert ServiceFollowUp.objects.filter(job=job).count() == 1


def test_complete_with_bad_hours_is_refused_and_changes_nothing(crew: Crew) -> None:
    response = crew.client.post(
        f"/my-visits/{crew.visit.pk}/complete/",
        {"labor_hours": "-1", "outcome": "x"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert Job.objects.get(pk=crew.visit.pk).status == JobStatus.SCHEDULED


def test_a_note_lands_on_the_customer_timeline(crew: Crew) -> None:
    response = crew.client.post(
        f"/my-visits/{crew.visit.pk}/note/", {"content": "Dog in the yard"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert response.status_code == 204
    note = Activity.objects.get(kind=ActivityKind.NOTE)
    assert (note.customer_id, note.job_id, note.author_id) == (
        crew.ana.pk,
        crew.visit.pk,
        crew.user.pk,
    )
    assert note.content == "Dog in the yard"


def test_another_technicians_visit_is_404_and_untouched(crew: Crew) -> None:
    theirs = Job.objects.get(customer=crew.others)
    assert crew.client.post(f"/my-visits/{theirs.pk}/start/").status_code == 404
    assert crew.client.get(f"/my-visits/{theirs.pk}/complete/").status_code == 404
    assert Job.objects.get(pk=theirs.pk).status == JobStatus.SCHEDULED


def test_a_technician_gets_403_on_office_pages(crew: Crew) -> None:
    for url in ("/today/", "/customers/", f"/customers/{crew.ana.pk}/", "/technicians/",
                "/users/", "/admin/"):  # fmt: skip
        assert crew.client.get(url).status_code == 403, url
    assert crew.client.get("/").url == "/my-visits/"


def test_a_technician_takes_the_appliance_details_from_the_nameplate(crew: Crew) -> None:
    # when the technician records the model and serial of the visit's appliance
    response = crew.client.post(
        f"/my-visits/{crew.visit.pk}/appliance/",
        {"type": "Dryer", "brand": "Bosch", "model_number": "WTG86400UC",
         "serial_number": "FD9304 12345"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    # then the job's own appliance has them
    assert response.status_code == 204
    crew.visit.refresh_from_db()
    appliance = Appliance.objects.get(pk=crew.visit.appliance_id)
    assert (appliance.model_number, appliance.serial_number) == ("WTG86400UC", "FD9304 12345")


def test_a_visit_without_an_appliance_gets_a_new_one_for_the_customer(crew: Crew) -> None:
    # given a visit of the technician's with no appliance recorded
    soon = Job.objects.get(customer=crew.soon)
    # when
    crew.client.post(
        f"/my-visits/{soon.pk}/appliance/", {"type": "Dishwasher", "brand": "Miele"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    # then it is the customer's and the job's
    soon.refresh_from_db()
    assert soon.appliance is not None
    assert (soon.appliance.customer_id, soon.appliance.brand) == (crew.soon.pk, "Miele")


def test_appliance_details_are_refused_when_bad_or_not_the_technicians(crew: Crew) -> None:
    theirs = Job.objects.get(customer=crew.others)
    url = f"/my-visits/{crew.visit.pk}/appliance/"
    bad = crew.client.post(url, {"type": "Toaster", "brand": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 422
    assert crew.client.get(f"/my-visits/{theirs.pk}/appliance/").status_code == 404
    assert Appliance.objects.get(pk=crew.visit.appliance_id).brand == "Bosch"
    assert Appliance.objects.count() == 1
