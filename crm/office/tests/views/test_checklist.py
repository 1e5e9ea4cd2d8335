"""Today's first-run checklist: each item ticks when done, the list leaves when all are done
or an Owner hides it, and it costs at most two queries."""

from __future__ import annotations

import pytest

from crm.core.company import company
from crm.core.models import CompanySettings
from crm.customers.tests.factories import CustomerFactory
from crm.office.selectors.checklist import first_run_checklist
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _nothing_connected(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WHATSAPP_PHONE_NUMBER_ID = settings.WHATSAPP_ACCESS_TOKEN = ""
    settings.TWILIO_ACCOUNT_SID = settings.TWILIO_AUTH_TOKEN = settings.TWILIO_FROM_NUMBER = ""
    settings.COMPANY_REVIEW_LINK = ""


def _done() -> dict[str, bool]:
    checklist = first_run_checklist()
    assert checklist is not None
    return {item.key: item.done for item in checklist.items}


def test_a_new_company_has_everything_left_to_do(django_assert_num_queries):
    # when
    with django_assert_num_queries(2):
        checklist = first_run_checklist()
    # then
    assert checklist is not None
    assert checklist.left == 4
    assert checklist.channels == {"E-mail": False, "WhatsApp": False, "SMS": False}


def test_each_item_ticks_when_done(settings):
    # when
    TechnicianFactory()
    CustomerFactory()
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "token"
    settings.TWILIO_FROM_NUMBER = "+15550100"
    # then
    assert _done() == {
        "technicians": True, "customers": True, "channels": True, "review-link": False,
    }  # fmt: skip


def test_the_list_leaves_when_everything_is_done(settings, owner_client):
    # given
    TechnicianFactory()
    CustomerFactory()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # when
    settings.COMPANY_REVIEW_LINK = "https://g.page/r/frost/review"
    # then
    assert first_run_checklist() is None
    assert 'id="first-run"' not in owner_client.get("/today/").content.decode()


def test_today_shows_what_is_left_with_its_links(owner_client):
    # given
    TechnicianFactory()
    # when
    html = owner_client.get("/today/").content.decode()
    # then
    assert "3 of 4 left" in html
    assert 'href="/customers/import/"' in html
    assert 'href="/technicians/new/"' not in html
    assert "E-mail not connected" in html


def test_an_owner_hides_the_list(owner_client):
    # when
    response = owner_client.post("/today/checklist/hide/", **HTMX)
    # then
    assert (response.status_code, response.content) == (200, b"")
    assert company().checklist_hidden is True
    assert 'id="first-run"' not in owner_client.get("/today/").content.decode()


def test_a_hidden_list_costs_no_query(owner_client, django_assert_num_queries):
    # given
    owner_client.post("/today/checklist/hide/")
    company()  # the first read after the save reads the row
    # when / then
    with django_assert_num_queries(0):
        assert first_run_checklist() is None


def test_the_office_sees_the_list_but_cannot_hide_it(staff_client):
    # when
    html = staff_client.get("/today/").content.decode()
    refused = staff_client.post("/today/checklist/hide/")
    # then
    assert 'id="first-run"' in html
    assert 'id="first-run-hide"' not in html
    assert refused.status_code == 403
    assert not CompanySettings.objects.exists()
