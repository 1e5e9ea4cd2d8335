"""Jobs on the Customer View: job cards, more jobs, editing a job, its payments and expenses."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.reviews.models import ServiceFollowUp
from crm.reviews.tests.factories import ReviewFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def job_card(client, job) -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/customers/{job.customer_id}/jobs/{job.pk}/", **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def payment(**changes: str) -> dict[str, str]:
    return {"amount": "125.50", "date": "2026-02-01", "payment_method": "BankTransfer",
            "reference": "INV-7", **changes}  # fmt: skip


def expense(**changes: str) -> dict[str, str]:
    return {"amount": "40.00", "date": "2026-02-01", "category": "Parts",
            "description": "Door gasket", **changes}  # fmt: skip


def test_a_job_card_shows_technician_status_dates_review_and_money(staff_client):
    # given a completed job reviewed 4/5, paid 200 by card, 50 of parts
    job = JobFactory(
        completed=True, technician=TechnicianFactory(name="Dana Whitfield"),
        description="Dryer not heating", completed_at=dt.datetime(2026, 3, 4, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    ReviewFactory(job=job, rating=4, comment="Fixed it in an hour.")
    PaymentFactory(customer=job.customer, job=job, amount="200.00", payment_method="Card")
    ExpenseFactory(customer=job.customer, job=job, amount="50.00", category="Parts")
    # when
    html = job_card(staff_client, job)
    # then
    assert "Dryer not heating" in html
    assert "Dana Whitfield" in html
    assert ">Completed<" in html
    assert "Mar 4, 2026" in html
    assert 'role="img" aria-label="4 out of 5"' in html
    assert "★★★★☆" in html
    assert "Fixed it in an hour." in html
    assert "Payment · Card" in html
    assert "Expense · Parts" in html
    assert f'id="job-{job.pk}-revenue">$200.00<' in html
    assert f'id="job-{job.pk}-expenses">$50.00<' in html
    assert f'id="job-{job.pk}-net">$150.00<' in html
    assert "▲ Profitable" in html
    assert f'hx-trigger="job-{job.pk}-changed from:body"' in html


def test_an_unprofitable_job_is_marked_so(staff_client):
    job = JobFactory(completed=True)
    ExpenseFactory(customer=job.customer, job=job, amount="80.00")
    html = job_card(staff_client, job)
    assert f'id="job-{job.pk}-net">-$80.00<' in html
    assert "▼ Unprofitable" in html


def test_a_completed_job_without_review_offers_the_review_form_others_do_not(staff_client):
    completed = JobFactory(completed=True)
    scheduled = JobFactory(customer=completed.customer)
    assert f'id="review-add-{completed.pk}"' in job_card(staff_client, completed)
    assert "review-add" not in job_card(staff_client, scheduled)


def test_more_jobs_come_five_at_a_time_newest_first(staff_client):
    # given 7 jobs
    customer = CustomerFactory()
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    jobs = [JobFactory(customer=customer, description=f"Job number {n}",
                       scheduled_for=now - dt.timedelta(days=n)) for n in range(7)]  # fmt: skip
    # when
    page = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    first = page[page.index('id="jobs"') :]  # the Changes card names the jobs too
    more = staff_client.get(f"/customers/{customer.pk}/jobs/?page=2", **HTMX).content.decode()
    # then
    assert first.count('<article class="job"') == 5
    assert first.index("Job number 0<") < first.index("Job number 4<")
    assert f'hx-get="/customers/{customer.pk}/jobs/?page=2"' in first
    assert more.count('<article class="job"') == 2
    assert f'id="job-{jobs[6].pk}"' in more
    assert "Show more jobs" not in more


def test_a_plain_visit_to_a_job_or_more_jobs_goes_to_the_page(staff_client):
    job = JobFactory()
    card = staff_client.get(f"/customers/{job.customer_id}/jobs/{job.pk}/")
    assert card["Location"] == f"/customers/{job.customer_id}/#job-{job.pk}"
    more = staff_client.get(f"/customers/{job.customer_id}/jobs/?page=2")
    assert more["Location"] == f"/customers/{job.customer_id}/?jobs_page=2#jobs"


def test_adding_a_payment_records_its_method_and_changes_the_net_profit(staff_client):
    # given a job with 40 of expenses
    job = JobFactory(completed=True)
    ExpenseFactory(customer=job.customer, job=job, amount="40.00")
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/payments/new/"
    # when
    form = staff_client.get(url, **HTMX).content.decode()
    response = staff_client.post(url, payment(), **HTMX)
    # then
    assert '<label for="id_payment_method">Payment method:</label>' in form
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {
        f"job-{job.pk}-changed",
        "money-changed",
        "crm:confirmed",
    }
    saved = Payment.objects.get(job=job)
    assert (saved.amount, saved.payment_method, saved.reference) == (
        Decimal("125.50"), "BankTransfer", "INV-7")  # fmt: skip
    assert saved.customer_id == job.customer_id
    html = job_card(staff_client, job)
    assert f'id="job-{job.pk}-net">$85.50<' in html
    assert "Payment · Bank transfer" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "0"}, "amount", "greater than or equal to 0.01"),
        ({"amount": "-5"}, "amount", "greater than or equal to 0.01"),
        ({"amount": "12.345"}, "amount", "no more than 2 decimal places"),
        ({"amount": "lots"}, "amount", "Enter a number."),
        ({"payment_method": "Barter"}, "payment_method", "Select a valid choice."),
        ({"date": ""}, "date", "This field is required."),
    ],
)  # fmt: skip
def test_a_bad_payment_is_refused_next_to_its_field(staff_client, changes, field, message):
    job = JobFactory()
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/payments/new/"
    response = staff_client.post(url, payment(**changes), **HTMX)
    assert response.status_code == 422
    error = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    assert error is not None
    assert message in error.group(1)
    assert not Payment.objects.exists()


def test_editing_a_payment_changes_amount_and_method(staff_client):
    job = JobFactory(completed=True)
    row = PaymentFactory(customer=job.customer, job=job, amount="10.00", payment_method="Cash")
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/payments/{row.pk}/"
    form = staff_client.get(url, **HTMX).content.decode()
    response = staff_client.post(url, payment(amount="99.99", payment_method="Check"), **HTMX)
    assert 'value="10.00"' in form
    assert '<option value="Cash" selected>' in form
    assert response.status_code == 204
    row.refresh_from_db()
    assert (row.amount, row.payment_method) == (Decimal("99.99"), "Check")


def test_adding_and_editing_an_expense_of_the_job(staff_client):
    # given
    job = JobFactory(completed=True)
    base = f"/customers/{job.customer_id}/jobs/{job.pk}/expenses/"
    # when
    added = staff_client.post(base + "new/", expense(), **HTMX)
    row = Expense.objects.get(job=job)
    edited = staff_client.post(
        f"{base}{row.pk}/", expense(amount="45.00", category="Travel"), **HTMX
    )
    # then
    assert added.status_code == 204
    assert edited.status_code == 204
    assert set(json.loads(edited["HX-Trigger"])) == {
        f"job-{job.pk}-changed",
        "money-changed",
        "crm:confirmed",
    }
    row.refresh_from_db()
    assert (row.amount, row.category, row.customer_id) == (
        Decimal("45.00"),
        "Travel",
        job.customer_id,
    )
    assert f'id="job-{job.pk}-expenses">$45.00<' in job_card(staff_client, job)


def test_a_bad_expense_is_refused_and_nothing_saved(staff_client):
    job = JobFactory()
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/expenses/new/"
    response = staff_client.post(url, expense(category="Snacks", amount="0.00"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_category_error"' in html
    assert 'id="id_amount_error"' in html
    assert not Expense.objects.exists()


def test_money_of_another_customer_cannot_be_reached_through_this_one(staff_client):
    # given
    job = JobFactory()
    row = PaymentFactory(customer=job.customer, job=job, amount="10.00")
    other_job = JobFactory()
    stranger = other_job.customer
    # when / then: the job, and a payment under a job it does not belong to
    assert (
        staff_client.post(
            f"/customers/{stranger.pk}/jobs/{job.pk}/payments/new/", payment(), **HTMX
        ).status_code
        == 404
    )
    assert (
        staff_client.post(
            f"/customers/{stranger.pk}/jobs/{other_job.pk}/payments/{row.pk}/", payment(), **HTMX
        ).status_code
        == 404
    )
    other_own = JobFactory(customer=job.customer)
    assert (
        staff_client.post(
            f"/customers/{job.customer_id}/jobs/{other_own.pk}/payments/{row.pk}/",
            payment(),
            **HTMX,
        ).status_code
        == 404
    )
    assert Payment.objects.count() == 1
    row.refresh_from_db()
    assert row.amount == Decimal("10.00")


def job_form(job, **changes: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The edit form as the browser posts it, unchanged except for `changes`."""
    return {"status": job.status, "scheduled_for": "2026-12-10T09:30",
            "technician": str(job.technician_id or ""), "appliance": str(job.appliance_id or ""),
            "description": job.description, "outcome": job.outcome,
            "issues_found": job.issues_found, "labor_hours": str(job.labor_hours),
            **changes}  # fmt: skip


def job_edit_url(job) -> str:  # type: ignore[no-untyped-def]
    return f"/customers/{job.customer_id}/jobs/{job.pk}/edit/"


def test_each_job_card_offers_to_edit_the_job(staff_client):
    job = JobFactory()
    assert f'id="job-edit-{job.pk}" aria-haspopup="dialog" href="{job_edit_url(job)}"' in (
        job_card(staff_client, job)
    )


def test_editing_a_job_shows_the_form_with_its_current_values(staff_client):
    # given a scheduled job with a technician, an appliance and 1.5 labour hours
    appliance = ApplianceFactory(brand="Bosch")
    job = JobFactory(
        customer=appliance.customer, appliance=appliance, description="Dishwasher leaks",
        technician=TechnicianFactory(name="Ian Okafor"), issues_found="Worn door seal",
        scheduled_for=dt.datetime(2026, 12, 10, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE)),
    )  # fmt: skip
    TechnicianFactory(name="Retired Tech", active=False)
    # when
    response = staff_client.get(job_edit_url(job), **HTMX)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="modal-title">Edit job</h2>' in html
    assert '<option value="Scheduled" selected>Scheduled</option>' in html
    assert 'value="2026-12-10T09:30"' in html
    assert f'<option value="{job.technician_id}" selected>Ian Okafor</option>' in html
    assert "Retired Tech" not in html
    assert f'<option value="{appliance.pk}" selected>Bosch Refrigerator</option>' in html
    assert ">\nDishwasher leaks</textarea>" in html
    assert ">\nWorn door seal</textarea>" in html
    assert 'name="labor_hours" value="1.50"' in html


def test_completing_a_job_sets_completed_at_and_its_card_asks_for_the_review(staff_client):
    # given a scheduled job, not yet reviewed
    job = JobFactory(labor_hours=Decimal("1.50"))
    other = TechnicianFactory()
    before = timezone.now()
    # when it is completed, with its outcome, issues, labour and another technician
    response = staff_client.post(job_edit_url(job), job_form(
        job, status="Completed", outcome="Replaced the pump", issues_found="Lint in the filter",
        labor_hours="2.25", technician=str(other.pk),
    ), **HTMX)  # fmt: skip
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {
        f"job-{job.pk}-changed",
        "money-changed",
        "activity-changed",
        "appliances-changed",
        "crm:confirmed",
    }
    saved = Job.objects.get(pk=job.pk)
    assert (saved.status, saved.outcome, saved.issues_found, saved.labor_hours) == (
        "Completed", "Replaced the pump", "Lint in the filter", Decimal("2.25"))  # fmt: skip
    assert saved.technician_id == other.pk
    assert saved.completed_at is not None
    assert before <= saved.completed_at <= timezone.now()
    assert saved.scheduled_for == dt.datetime(2026, 12, 10, 9, 30,
                                              tzinfo=ZoneInfo(settings.TIME_ZONE))  # fmt: skip
    assert ServiceFollowUp.objects.filter(job=job).count() == 1  # job_update's survey loop ran
    html = job_card(staff_client, job)
    assert ">Completed<" in html
    assert f'id="review-add-{job.pk}"' in html
    assert "Replaced the pump" in html


def test_a_job_can_lose_its_technician_and_appliance(staff_client):
    appliance = ApplianceFactory()
    job = JobFactory(customer=appliance.customer, appliance=appliance)
    response = staff_client.post(job_edit_url(job), job_form(job, technician="", appliance=""),
                                 **HTMX)  # fmt: skip
    assert response.status_code == 204
    job.refresh_from_db()
    assert (job.technician_id, job.appliance_id) == (None, None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"labor_hours": "-1"}, "labor_hours", "greater than or equal to 0"),
        ({"labor_hours": "1.234"}, "labor_hours", "no more than 2 decimal places"),
        ({"technician": "999999"}, "technician", "Select a valid choice."),
        ({"status": "Done"}, "status", "Select a valid choice."),
        ({"description": "   "}, "description", "This field is required."),
        ({"scheduled_for": "next week"}, "scheduled_for", "Enter a valid date/time."),
    ],
)  # fmt: skip
def test_a_bad_job_edit_is_refused_next_to_its_field_and_saves_nothing(
    staff_client, changes, field, message
):
    # given
    job = JobFactory(labor_hours=Decimal("1.50"))
    before = Job.objects.values().get(pk=job.pk)
    # when
    posted = job_form(job, **{"status": "Completed", **changes})
    response = staff_client.post(job_edit_url(job), posted, **HTMX)
    # then
    assert response.status_code == 422
    error = re.search(
        rf'<ul class="errorlist" id="job-{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    assert error is not None
    assert message in error.group(1)
    assert Job.objects.values().get(pk=job.pk) == before
    assert not ServiceFollowUp.objects.exists()


def test_a_job_edit_cannot_use_an_inactive_technician_or_another_customers_appliance(
    staff_client,
):
    job = JobFactory()
    retired = TechnicianFactory(active=False)
    strangers = ApplianceFactory()
    response = staff_client.post(
        job_edit_url(job),
        job_form(job, technician=str(retired.pk), appliance=str(strangers.pk)),
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="job-technician_error"' in html
    assert 'id="job-appliance_error"' in html
    assert Job.objects.get(pk=job.pk).technician_id == job.technician_id


def test_a_job_keeps_its_technician_after_the_technician_retires(staff_client):
    # given the job's technician is no longer active
    retired = TechnicianFactory(name="Old Hand", active=False)
    job = JobFactory(technician=retired)
    # when / then: the form still shows them and saving keeps them
    assert "Old Hand" in staff_client.get(job_edit_url(job), **HTMX).content.decode()
    response = staff_client.post(job_edit_url(job), job_form(job, outcome="Done"), **HTMX)
    assert response.status_code == 204
    assert Job.objects.get(pk=job.pk).technician_id == retired.pk


def test_a_job_of_another_customer_cannot_be_edited_through_this_one(staff_client):
    job = JobFactory()
    stranger = CustomerFactory()
    url = f"/customers/{stranger.pk}/jobs/{job.pk}/edit/"
    assert staff_client.get(url, **HTMX).status_code == 404
    assert staff_client.post(url, job_form(job, status="Cancelled"), **HTMX).status_code == 404
    assert Job.objects.get(pk=job.pk).status == "Scheduled"


def test_without_htmx_a_job_edit_is_a_page_then_a_redirect_to_the_job(staff_client):
    job = JobFactory()
    page = staff_client.get(job_edit_url(job))
    saved = staff_client.post(job_edit_url(job), job_form(job, status="InProgress"))
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert saved.status_code == 302
    assert saved["Location"] == f"/customers/{job.customer_id}/#job-{job.pk}"
    assert Job.objects.get(pk=job.pk).status == "InProgress"


def test_a_job_edit_without_the_csrf_token_is_refused(staff_user):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    job = JobFactory()
    # when
    response = client.post(job_edit_url(job), job_form(job, status="Completed"), **HTMX)
    # then
    assert response.status_code == 403
    assert Job.objects.get(pk=job.pk).status == "Scheduled"


@pytest.mark.django_db
def test_the_edit_job_modal_shares_no_element_id_with_the_customer_view(staff_client):
    # given: the modal is swapped into the Customer View, so their ids live in one document
    job = JobFactory()
    page = staff_client.get(f"/customers/{job.customer_id}/").content.decode()
    modal = staff_client.get(job_edit_url(job), **HTMX).content.decode()

    # then: a label's `for` finds its own control, never the Preferred technician field
    page_ids = re.findall(r'\bid="([^"]+)"', page)
    modal_ids = re.findall(r'\bid="([^"]+)"', modal)
    assert len(page_ids) == len(set(page_ids))
    assert "job-technician" in modal_ids
    assert set(page_ids) & set(modal_ids) <= {"modal-title"}
