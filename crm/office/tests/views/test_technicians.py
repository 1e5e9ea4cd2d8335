"""The office's technician pages: list with filters, add and edit, deactivate and reactivate."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from crm.jobs.models import Job, JobStatus
from crm.jobs.tests.factories import JobFactory
from crm.technicians.models import Technician
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# Session, user, the page's count, the page's rows (open jobs counted in the same query).
LIST_QUERIES = 4
FORM = {
    "name": "Dana Whitfield", "phone": "212-555-0142", "email": "Dana@Crew.Example.com",
    "specialties": ["WashingMachine", "Dryer"], "hourly_cost": "40.00", "daily_capacity": "7",
    "years_experience": "12",
}  # fmt: skip


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(html: str, technician: Technician) -> str:
    """The text of the technician's row in the list."""
    start = html.index(f'<tr id="technician-{technician.pk}">')
    return text(html[start : html.index("</tr>", start)])


def names(html: str) -> list[str]:
    return re.findall(r'<td data-label="Name"><div><a [^>]*>([^<]*)</a>', html)


def fields(technician: Technician) -> dict[str, Any]:
    technician.refresh_from_db()
    return {name: getattr(technician, name) for name in (
        "name", "phone", "email", "specialties", "hourly_cost", "daily_capacity",
        "years_experience", "active",
    )}  # fmt: skip


def test_the_list_shows_each_technician_with_open_jobs_counted(staff_client: Client):
    # given
    dana = TechnicianFactory(
        name="Dana", phone="+12125550142", email="dana@crew.example.com", years_experience=12,
        specialties=["WashingMachine", "Dryer"], hourly_cost=Decimal("40.00"), daily_capacity=7,
    )  # fmt: skip
    JobFactory.create_batch(2, technician=dana, status=JobStatus.SCHEDULED)
    JobFactory(technician=dana, status=JobStatus.IN_PROGRESS)
    JobFactory(technician=dana, completed=True)
    JobFactory(technician=dana, status=JobStatus.CANCELLED)
    idle = TechnicianFactory(name="Idle", phone="", email="", specialties=[])
    # when
    html = staff_client.get("/technicians/").content.decode()
    # then
    assert row(html, dana) == (
        "Dana · 12 yrs Active (212) 555-0142 dana@crew.example.com Washing machine, Dryer "
        "$40.00 7 3 Edit Dana Deactivate Dana"
    )
    assert row(html, idle) == "Idle · 5 yrs Active — — $40.00 6 0 Edit Idle Deactivate Idle"
    assert 'href="/technicians/new/"' in html
    assert f'href="/technicians/{dana.pk}/edit/"' in html


@pytest.mark.parametrize(
    ("query", "shown", "count"),
    [
        ("", ["Ana", "Cleo"], "2 active technicians"),
        ("?status=active", ["Ana", "Cleo"], "2 active technicians"),
        ("?status=inactive", ["Bo"], "1 inactive technician"),
        ("?status=all", ["Ana", "Bo", "Cleo"], "3 technicians"),
        ("?status=nonsense", ["Ana", "Cleo"], "2 active technicians"),
    ],
)
def test_the_list_filters_by_status_kept_in_the_links(staff_client, query, shown, count):
    # given
    for name, active in (("Cleo", True), ("Bo", False), ("Ana", True)):
        TechnicianFactory(name=name, active=active)
    # when
    html = staff_client.get(f"/technicians/{query}").content.decode()
    # then
    assert names(html) == shown
    assert f'<p class="muted">{count}</p>' in html
    current = re.findall(r'href="\?status=(\w+)"[^>]*aria-current="page"', html)
    assert current == [query.removeprefix("?status=") if "ctive" in query or "all" in query
                       else "active"]  # fmt: skip


def test_htmx_gets_only_the_results(staff_client):
    # given
    TechnicianFactory(name="Ana")
    # when
    response = staff_client.get("/technicians/?status=all", **HTMX)
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<h1>" not in html
    assert names(html) == ["Ana"]


@pytest.mark.parametrize("technicians", [2, 30])
def test_the_list_query_count_is_pinned(staff_client, django_assert_num_queries, technicians):
    # given technicians each with open and closed jobs
    for technician in TechnicianFactory.create_batch(technicians):
        JobFactory(technician=technician)
        JobFactory(technician=technician, completed=True)
    # when / then
    with django_assert_num_queries(LIST_QUERIES):
        response = staff_client.get("/technicians/?status=all")
    assert response.status_code == 200


def test_the_list_paginates_and_keeps_the_filter(staff_client):
    # given
    TechnicianFactory.create_batch(30, active=False)
    # when
    first = staff_client.get("/technicians/?status=inactive").content.decode()
    second = staff_client.get("/technicians/?status=inactive&page=2").content.decode()
    # then
    assert len(names(first)) == 25
    assert len(names(second)) == 5
    assert '<a href="?status=inactive&amp;page=2">Next</a>' in first
    assert "Page 2 of 2" in second


def test_add_on_a_page_of_its_own_saves_and_goes_to_the_list(staff_client):
    # given
    form_page = staff_client.get("/technicians/new/")
    # when
    response = staff_client.post("/technicians/new/", FORM)
    # then
    assert form_page.status_code == 200
    assert '<h2 id="modal-title">Add technician</h2>' in form_page.content.decode()
    assert "Back to technicians" in form_page.content.decode()
    assert (response.status_code, response["Location"]) == (302, "/technicians/")
    assert fields(Technician.objects.get()) == {
        "name": "Dana Whitfield", "phone": "+12125550142", "email": "dana@crew.example.com",
        "specialties": ["WashingMachine", "Dryer"], "hourly_cost": Decimal("40.00"),
        "daily_capacity": 7, "years_experience": 12, "active": True,
    }  # fmt: skip


def test_add_in_the_modal_answers_204_with_the_event(staff_client):
    # when
    response = staff_client.post("/technicians/new/", FORM, **HTMX)
    # then
    assert response.status_code == 204
    assert response["HX-Trigger"] == '{"technicians-changed": {}}'
    assert Technician.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"hourly_cost": "-5"}, "hourly_cost", "Ensure this value is greater than or equal to 0."),
        ({"hourly_cost": "40.005"}, "hourly_cost",
         "Ensure that there are no more than 2 decimal places."),
        ({"hourly_cost": "forty"}, "hourly_cost", "Enter a number."),
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"specialties": ["Toaster"]}, "specialties",
         "Select a valid choice. Toaster is not one of the available choices."),
        ({"daily_capacity": "0"}, "daily_capacity",
         "Ensure this value is greater than or equal to 1."),
        # The service's own refusal, shown next to its field.
        ({"phone": "12"}, "phone", "Phone number &#x27;12&#x27; has the wrong number of digits "
         "for its country."),
    ],
)  # fmt: skip
def test_a_refused_add_shows_the_error_inline_with_422_and_saves_nothing(
    staff_client, change, field, message
):
    # when
    modal = staff_client.post("/technicians/new/", {**FORM, **change}, **HTMX)
    page = staff_client.post("/technicians/new/", {**FORM, **change})
    # then
    for response in (modal, page):
        assert response.status_code == 422
        html = response.content.decode()
        assert re.search(rf'id="id_{field}_error"[^>]*>.*{re.escape(message)}', html, re.S)
    assert "<html" not in modal.content.decode()
    assert "<html" in page.content.decode()
    assert Technician.objects.count() == 0


def test_edit_shows_the_current_values_and_saves_changes(staff_client):
    # given
    technician = TechnicianFactory(name="Priya", hourly_cost=Decimal("35.00"), phone="")
    # when
    shown = staff_client.get(f"/technicians/{technician.pk}/edit/", **HTMX).content.decode()
    response = staff_client.post(
        f"/technicians/{technician.pk}/edit/", {**FORM, "name": "Priya N.", "hourly_cost": "36"},
        **HTMX,
    )  # fmt: skip
    # then
    assert '<h2 id="modal-title">Edit Priya</h2>' in shown
    assert 'name="hourly_cost" value="35.00"' in shown
    assert response.status_code == 204
    assert fields(technician)["name"] == "Priya N."
    assert fields(technician)["hourly_cost"] == Decimal("36.00")


def test_certifications_and_brands_are_shown_and_saved(staff_client):
    # given
    technician = TechnicianFactory(name="Priya", qualifications=["gas", "brand:Bosch"])
    url = f"/technicians/{technician.pk}/edit/"
    # when
    shown = staff_client.get(url, **HTMX).content.decode()
    response = staff_client.post(
        url, {**FORM, "certifications": ["refrigerant"], "brands": " Miele, LG ,,"}, **HTMX
    )
    # then
    assert 'value="gas" id="id_certifications_0" checked' in shown
    assert 'name="brands" value="Bosch"' in shown
    assert response.status_code == 204
    technician.refresh_from_db()
    assert technician.qualifications == ["refrigerant", "brand:LG", "brand:Miele"]
    listed = staff_client.get("/technicians/").content.decode()
    assert "Refrigerant certified (EPA 608), Authorised for LG, Authorised for Miele" in row(
        listed, technician
    )


def test_a_too_long_brand_is_refused_next_to_the_field(staff_client):
    # given
    technician = TechnicianFactory(name="Priya", qualifications=["gas"])
    # when
    response = staff_client.post(
        f"/technicians/{technician.pk}/edit/", {**FORM, "brands": "B" * 61}, **HTMX
    )
    # then
    assert response.status_code == 422
    assert "A brand name has at most 60 characters." in response.content.decode()
    technician.refresh_from_db()
    assert technician.qualifications == ["gas"]


def test_a_refused_edit_changes_nothing(staff_client):
    # given
    technician = TechnicianFactory(name="Priya", hourly_cost=Decimal("35.00"))
    before = fields(technician)
    # when
    response = staff_client.post(
        f"/technicians/{technician.pk}/edit/", {**FORM, "hourly_cost": "-1"}, **HTMX
    )
    # then
    assert response.status_code == 422
    assert fields(technician) == before


def test_edit_of_a_missing_technician_is_404(staff_client):
    assert staff_client.get("/technicians/999/edit/").status_code == 404
    assert staff_client.post("/technicians/999/deactivate/").status_code == 404


def test_deactivate_says_what_happens_then_keeps_the_open_jobs(staff_client):
    # given
    dana = TechnicianFactory(name="Dana")
    jobs = JobFactory.create_batch(3, technician=dana)
    JobFactory(technician=dana, completed=True)
    # when
    confirm = staff_client.get(f"/technicians/{dana.pk}/deactivate/", **HTMX)
    response = staff_client.post(f"/technicians/{dana.pk}/deactivate/", **HTMX)
    # then
    assert text(confirm.content.decode()).startswith(
        "Deactivate Dana ✕ Dana will no longer be offered for new jobs, in technician matching "
        "or as a customer's preferred technician. The 3 open jobs already assigned to Dana stay "
        "with Dana. Their past jobs, ratings and history are kept, and you can reactivate them "
        "at any time. Deactivate Dana Cancel"
    )
    assert response.status_code == 204
    assert response["HX-Trigger"] == '{"technicians-changed": {}}'
    assert fields(dana)["active"] is False
    assert Job.objects.filter(pk__in=[job.pk for job in jobs], technician=dana).count() == 3


def test_deactivate_one_open_job_and_none(staff_client):
    # given
    one = TechnicianFactory(name="One")
    JobFactory(technician=one)
    none = TechnicianFactory(name="None")
    # when
    one_html = text(staff_client.get(f"/technicians/{one.pk}/deactivate/").content.decode())
    none_html = text(staff_client.get(f"/technicians/{none.pk}/deactivate/").content.decode())
    # then
    assert "The 1 open job already assigned to One stays with One." in one_html
    assert "None has no open jobs." in none_html
    assert fields(one)["active"] is True


def test_reactivate_from_a_plain_form_goes_back_to_the_list(staff_client):
    # given
    bo = TechnicianFactory(name="Bo", active=False)
    # when
    confirm = staff_client.get(f"/technicians/{bo.pk}/reactivate/")
    response = staff_client.post(f"/technicians/{bo.pk}/reactivate/")
    # then
    assert "Bo will be offered again for new jobs" in confirm.content.decode()
    assert (response.status_code, response["Location"]) == (302, "/technicians/")
    assert fields(bo)["active"] is True


def test_the_navigation_links_to_the_technicians(staff_client):
    html = staff_client.get("/technicians/").content.decode()
    assert '<a href="/technicians/">Technicians</a>' in html
