"""The Customer View page and the cards and forms of the customers app."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from crm.activities.tests.factories import ActivityFactory
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import company_today
from crm.customers.models import ContactConsent, Customer
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.customers.tests.heavy import HEAVY, LIGHT, customer_with_history
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.reviews.tests.factories import ReviewFactory
from crm.technicians.tests.factories import (
    CustomerTechnicianRatingFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
HEADINGS = [
    "Client Value Snapshot", "Customer Details", "Preferred Technician",
    "Communication Preferences", "Client Appliances", "Referrals", "Referred By",
    "Clients Referred", "Activity", "Jobs",
]  # fmt: skip
# Session and user, customer and consents, snapshot (3 totals + 2 by year), ratings and the
# technician select, appliances and lifespans, referrals both ways, timeline (and its capped
# count, the Activity heading's), jobs (page,
# count, payments, expenses), the changes (audit trail; plus one per kind of record that a
# changed link on its page points at: technician, job, customer, at most three).
PAGE_QUERIES = 22
PAGE_QUERIES += 2  # service locations: the Locations card, and the appliances' location headings
# Maintenance plans: the snapshot's active plans with their visits' costs, the Plans card.
PAGE_QUERIES += 2


def headings(html: str) -> list[str]:
    found = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).split("\n")[0].strip() for text in found]


def page(client: Client, customer: Customer) -> str:
    response = client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_every_card_heading_of_the_plan(staff_client):
    # given
    customer = CustomerFactory(name="Ana Ruiz")
    # when
    html = page(staff_client, customer)
    # then
    shown = headings(html)
    for heading in HEADINGS:
        assert any(text.startswith(heading) for text in shown), heading
    assert "<h1>Ana Ruiz</h1>" in html


def test_signed_out_visitors_are_sent_to_the_login_page():
    customer = CustomerFactory()
    response = Client().get(f"/customers/{customer.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_unknown_customer_is_a_404(staff_client):
    assert staff_client.get("/customers/999999/").status_code == 404
    assert staff_client.get("/customers/999999/cards/jobs/", **HTMX).status_code == 404


@pytest.mark.parametrize("history", [LIGHT, HEAVY], ids=["light", "heavy"])
def test_the_page_query_count_is_pinned_and_the_same_light_or_heavy(
    staff_client, django_assert_num_queries, history
):
    # given a customer with one of everything, or 2,000 activities, 300 jobs, 1,000 payments
    customer = customer_with_history("Query Count", history)
    staff_client.get("/customers/")  # the session is warm, as it is for a signed-in user
    # when / then
    with django_assert_num_queries(PAGE_QUERIES):
        response = staff_client.get(f"/customers/{customer.pk}/")
    assert response.status_code == 200


def test_a_heavy_customer_page_shows_one_page_of_timeline_and_jobs(staff_client):
    # given
    customer = customer_with_history("Heavy", HEAVY)
    # when
    html = page(staff_client, customer)
    # then
    assert html.count('class="event ') == 20
    assert html.count('<article class="job"') == 5
    assert "Load more" in html
    assert "Show more jobs" in html
    assert html.count('<li class="appliance"') == 8
    assert "Show all 40 appliances" in html
    assert '<span class="count">300</span>' in html
    assert '<span class="count">40</span>' in html


def test_the_snapshot_shows_totals_margin_status_labour_and_a_yearly_chart(staff_client):
    # given revenue 300, costs 100 (one job with 2 hours of a 40/hour technician)
    customer = CustomerFactory()
    job = JobFactory(customer=customer, completed=True, labor_hours="2.00")
    PaymentFactory(customer=customer, job=job, amount="200.00", date="2025-03-01")
    PaymentFactory(customer=customer, amount="100.00", date="2026-01-10")
    ExpenseFactory(customer=customer, job=job, amount="100.00", date="2026-01-10")
    # when
    html = page(staff_client, customer)
    # then
    assert 'id="total-revenue">$300.00<' in html
    assert 'id="total-costs">$100.00<' in html
    assert 'id="net-profit" class="">$200.00<' in html
    assert 'id="margin">66.67%<' in html
    assert 'id="profit-status">Profitable<' in html
    assert "Labour cost (technician time, not in the costs above): $80.00" in html
    assert html.count('<rect class="bar-revenue"') == 2
    assert "<title>2025 net profit $200.00</title>" in html
    assert "<title>2026 net profit $0.00</title>" in html


def test_the_chart_shows_the_last_twelve_years_and_says_so(staff_client):
    # given money twenty years ago and this year
    customer = CustomerFactory()
    today = company_today()
    PaymentFactory(customer=customer, amount="10.00", date=dt.date(today.year - 20, 6, 1))
    PaymentFactory(customer=customer, amount="20.00", date=today.replace(day=1))
    # when
    html = page(staff_client, customer)
    # then
    assert html.count('<rect class="bar-revenue"') == 12
    assert "Revenue and net profit per year, last 12 years" in html
    assert f"<title>{today.year - 11} revenue $0.00</title>" in html
    assert f"<title>{today.year} revenue $20.00</title>" in html
    assert 'id="total-revenue">$30.00<' in html


def test_a_loss_making_customer_is_marked_as_a_loss(staff_client):
    customer = CustomerFactory()
    ExpenseFactory(customer=customer, amount="50.00")
    html = page(staff_client, customer)
    assert 'class="status bad" id="profit-status">Loss<' in html
    assert 'class="bar-profit negative"' in html


def test_customer_details_show_preferences_consent_and_ratings(staff_client):
    # given
    carlos = TechnicianFactory(name="Carlos Ramirez")
    customer = CustomerFactory(
        preferred_technician=carlos, preferred_contact_method="WhatsApp",
        preferred_contact_times=[{"day": "sat", "start": "10:00", "end": "13:00"}],
        language_preference="es-MX", communication_frequency_preference="Minimal",
    )  # fmt: skip
    ContactConsentFactory(customer=customer, channel="SMS", marketing_opt_in=False)
    CustomerTechnicianRatingFactory(customer=customer, technician=carlos, rating=4)
    CustomerTechnicianRatingFactory(customer=customer, technician=carlos, rating=5)
    # when
    html = page(staff_client, customer)
    # then
    assert "<strong>Carlos Ramirez</strong>" in html
    assert 'aria-label="4.5 out of 5"' in html
    assert "4.5 average, 2 ratings" in html
    assert 'id="contact-method">WhatsApp<' in html
    assert 'id="contact-times">Sat 10:00\u201313:00<' in html  # an en dash
    assert 'id="contact-frequency">Minimal<' in html
    assert 'id="contact-language">Mexican Spanish<' in html
    assert "SMS: service messages only" in html


def test_text_written_by_customers_and_staff_is_shown_as_text(staff_client):
    # given
    attack = "<script>alert(1)</script>"
    customer = CustomerFactory(name=f"Eve {attack}", address=attack)
    ActivityFactory(customer=customer, content=f"Note {attack}")
    ApplianceFactory(customer=customer, brand=attack, model_number=attack)
    ReviewFactory(job=JobFactory(customer=customer, completed=True, description=attack),
                  comment=attack)  # fmt: skip
    # when
    html = page(staff_client, customer)
    # then
    assert attack not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_card_reloads_itself_as_a_partial_and_a_plain_visit_goes_to_the_page(staff_client):
    customer = CustomerFactory()
    partial = staff_client.get(f"/customers/{customer.pk}/cards/client-value-snapshot/", **HTMX)
    assert partial.status_code == 200
    html = partial.content.decode()
    assert html.strip().startswith('<section class="card" id="client-value-snapshot"')
    assert "<html" not in html
    assert 'hx-trigger="money-changed from:body"' in html
    plain = staff_client.get(f"/customers/{customer.pk}/cards/activity/?tab=notes")
    assert plain.status_code == 302
    assert plain["Location"] == f"/customers/{customer.pk}/?tab=notes#activity"
    missing = staff_client.get(f"/customers/{customer.pk}/cards/nope/", **HTMX)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "card",
    ["client-value-snapshot", "preferred-technician", "communication-preferences",
     "client-appliances", "referrals", "activity", "jobs"],
)  # fmt: skip
def test_every_card_reloads_on_its_own(staff_client, card):
    customer = customer_with_history("Cards", LIGHT)
    response = staff_client.get(f"/customers/{customer.pk}/cards/{card}/", **HTMX)
    assert response.status_code == 200
    assert f'id="{card}"' in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_setting_the_preferred_technician_saves_and_reloads_its_card(staff_client):
    # given
    customer = CustomerFactory()
    priya = TechnicianFactory(name="Priya Natarajan")
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/preferred-technician/", {"technician": priya.pk}, **HTMX
    )
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"technicians-changed", "crm:confirmed"}
    assert Customer.objects.get(pk=customer.pk).preferred_technician == priya
    card = staff_client.get(f"/customers/{customer.pk}/cards/preferred-technician/", **HTMX)
    assert "<strong>Priya Natarajan</strong>" in card.content.decode()


def test_the_preferred_technician_can_be_cleared(staff_client):
    customer = CustomerFactory(preferred_technician=TechnicianFactory())
    response = staff_client.post(
        f"/customers/{customer.pk}/preferred-technician/", {"technician": ""}, **HTMX
    )
    assert response.status_code == 204
    assert Customer.objects.get(pk=customer.pk).preferred_technician is None


def test_an_inactive_technician_is_refused_next_to_the_field(staff_client):
    # given
    current = TechnicianFactory()
    customer = CustomerFactory(preferred_technician=current)
    retired = TechnicianFactory(active=False)
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/preferred-technician/", {"technician": retired.pk}, **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_technician_error"' in html
    assert "Select a valid choice" in html
    assert 'aria-invalid="true"' in html
    assert Customer.objects.get(pk=customer.pk).preferred_technician == current


def preferences(**changes: str) -> dict[str, str]:
    data = {
        "preferred_contact_method": "Email", "communication_frequency_preference": "Frequent",
        "language_preference": "pt-BR", "timezone": "America/Sao_Paulo",
        "times-TOTAL_FORMS": "3", "times-INITIAL_FORMS": "0",
        "times-0-day": "mon", "times-0-start": "09:00", "times-0-end": "12:30",
        "times-1-day": "", "times-1-start": "", "times-1-end": "",
        "times-2-day": "fri", "times-2-start": "17:00", "times-2-end": "19:00",
        "loaded_at": timezone.now().isoformat(),
    }  # fmt: skip
    return {**data, **changes}


def test_the_communication_form_opens_with_the_current_preferences(staff_client):
    customer = CustomerFactory(
        preferred_contact_times=[{"day": "tue", "start": "08:00", "end": "10:00"}]
    )
    response = staff_client.get(f"/customers/{customer.pk}/communication/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="tue" selected>Tuesday</option>' in html
    assert 'value="08:00"' in html
    assert 'name="times-TOTAL_FORMS" value="3"' in html  # the window and two blank rows


def test_editing_communication_preferences_saves_every_field(staff_client):
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(f"/customers/{customer.pk}/communication/", preferences(), **HTMX)
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"communication-changed", "crm:confirmed"}
    customer.refresh_from_db()
    assert customer.preferred_contact_method == "Email"
    assert customer.communication_frequency_preference == "Frequent"
    assert customer.language_preference == "pt-BR"
    assert customer.timezone == "America/Sao_Paulo"
    assert customer.preferred_contact_times == [
        {"day": "mon", "start": "09:00", "end": "12:30"},
        {"day": "fri", "start": "17:00", "end": "19:00"},
    ]


@pytest.mark.parametrize(
    ("changes", "error_id", "message"),
    [
        ({"language_preference": "english please"}, "id_language_preference_error",
         "BCP 47 language tag"),
        ({"timezone": "Mars/Olympus"}, "id_timezone_error", "Unknown time zone"),
        ({"preferred_contact_method": "Pigeon"}, "id_preferred_contact_method_error",
         "Select a valid choice"),
        ({"times-0-end": "08:00"}, "id_times-0-end_error", "The end must be after the start."),
        ({"times-2-start": ""}, None, "Give a day, a start and an end"),
    ],
)  # fmt: skip
def test_bad_preferences_show_next_to_their_field_and_save_nothing(
    staff_client, changes, error_id, message
):
    # given
    customer = CustomerFactory(language_preference="en")
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/communication/", preferences(**changes), **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    if error_id:
        assert f'id="{error_id}"' in html
    customer.refresh_from_db()
    assert (customer.language_preference, customer.preferred_contact_times) == ("en", [])


def consent_shown(**values: str) -> dict[str, str]:
    """What the form showed for every channel (nothing chosen, no opt-out), plus changes."""
    shown = {f"{kind}{channel}_{part}": "no" for channel in ("whatsapp", "email", "sms")
             for part in ("marketing", "opted_out") for kind in ("", "initial-")}  # fmt: skip
    return {**shown, **values}


def consents(customer: Customer) -> list[tuple[str, bool, bool]]:
    rows = ContactConsent.objects.filter(customer=customer).order_by("channel")
    return [(row.channel, row.marketing_opt_in, row.opted_out_at is not None) for row in rows]


def test_the_communication_form_shows_each_channels_current_consent(staff_client):
    # given
    customer = CustomerFactory()
    ContactConsentFactory(customer=customer, channel="SMS", marketing_opt_in=True)
    ContactConsentFactory(
        customer=customer, channel="WhatsApp", marketing_opt_in=False,
        opted_out_at=dt.datetime(2026, 3, 4, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    # when
    response = staff_client.get(f"/customers/{customer.pk}/communication/", **HTMX)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    checked = re.findall(r'name="(\w+)" value="(\w+)"[^>]* checked', html)
    assert sorted(checked) == [
        ("email_marketing", "no"), ("email_opted_out", "no"), ("sms_marketing", "yes"),
        ("sms_opted_out", "no"), ("whatsapp_marketing", "no"), ("whatsapp_opted_out", "yes"),
    ]  # fmt: skip
    assert "Opted out: no WhatsApp messages at all" in html
    assert "Opted out on Wed, Mar 4, 2026." in html
    assert "messages already scheduled are cancelled when they fall due" in html


def test_opting_out_records_the_moment_and_the_card_says_opted_out(staff_client):
    # given
    customer = CustomerFactory()
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    before = timezone.now()
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/communication/",
        preferences(**consent_shown(whatsapp_opted_out="yes", **{
            "whatsapp_marketing": "yes", "initial-whatsapp_marketing": "yes"})),
        **HTMX,
    )  # fmt: skip
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"communication-changed", "crm:confirmed"}
    consent = ContactConsent.objects.get(customer=customer)
    assert consent.marketing_opt_in is True
    assert consent.opted_out_at is not None
    assert before <= consent.opted_out_at <= timezone.now()
    card = staff_client.get(
        f"/customers/{customer.pk}/cards/communication-preferences/", **HTMX
    ).content.decode()
    today = timezone.localtime(consent.opted_out_at)
    said = f"{today:%a}, {today:%b} "
    assert f'WhatsApp: <span class="bad">opted out</span> <span class="muted">on {said}' in card


def test_the_form_cannot_opt_back_in_an_opted_out_channel(staff_client):
    # given an Email opt-out: the form shows it fixed, with its own "Clear opt-out" action
    customer = CustomerFactory()
    ContactConsentFactory(
        customer=customer, channel="Email", marketing_opt_in=False, opted_out_at=timezone.now()
    )
    shown = staff_client.get(f"/customers/{customer.pk}/communication/", **HTMX).content.decode()
    assert re.search(r'name="email_opted_out" value="yes"[^>]*disabled', shown)
    assert f'href="/customers/{customer.pk}/consent/Email/clear/"' in shown
    # when a crafted post sends "Receives messages" and marketing for Email anyway
    response = staff_client.post(
        f"/customers/{customer.pk}/communication/",
        preferences(**consent_shown(**{
            "initial-email_opted_out": "yes", "email_opted_out": "no", "email_marketing": "yes",
            "sms_marketing": "yes"})),
        **HTMX,
    )  # fmt: skip
    # then the rest is saved, and the Email opt-out stands
    assert response.status_code == 204
    assert consents(customer) == [("Email", False, True), ("SMS", True, False)]


def test_saving_the_form_refuses_when_an_opt_out_arrived_after_it_was_opened(staff_client):
    # given the form was opened, then the customer's STOP arrived
    customer = CustomerFactory(language_preference="en")
    opened = staff_client.get(f"/customers/{customer.pk}/communication/", **HTMX).content.decode()
    loaded_at = re.search(r'name="loaded_at" value="([^"]+)"', opened)
    assert loaded_at is not None
    ContactConsentFactory(
        customer=customer, channel="SMS", marketing_opt_in=False, opted_out_at=timezone.now()
    )
    # when the office saves what it saw: SMS receiving messages, marketing welcome
    response = staff_client.post(
        f"/customers/{customer.pk}/communication/",
        preferences(**consent_shown(sms_marketing="yes", loaded_at=loaded_at[1])),
        **HTMX,
    )
    # then it is refused with the reason, and nothing changes
    assert response.status_code == 422
    assert "opted out of SMS at" in response.content.decode()
    assert "after this form was opened" in response.content.decode()
    assert consents(customer) == [("SMS", False, True)]
    customer.refresh_from_db()
    assert customer.language_preference == "en"


def test_saving_preferences_without_consent_fields_leaves_consent_alone(staff_client):
    customer = CustomerFactory()
    response = staff_client.post(f"/customers/{customer.pk}/communication/", preferences(), **HTMX)
    assert response.status_code == 204
    assert consents(customer) == []


@pytest.mark.parametrize(
    ("changes", "error_id", "message"),
    [
        ({"whatsapp_opted_out": "maybe"}, "id_whatsapp_opted_out_error", "Select a valid choice"),
        ({"sms_marketing": "true"}, "id_sms_marketing_error", "Select a valid choice"),
        ({"timezone": "Mars/Olympus"}, "id_timezone_error", "Unknown time zone"),
    ],
)
def test_a_refused_consent_change_shows_inline_and_saves_nothing(
    staff_client, changes, error_id, message
):
    # given
    customer = CustomerFactory(language_preference="en")
    # when: an opt-out and a marketing opt-in ride along with the bad value
    data = consent_shown(**{"sms_opted_out": "yes", "email_marketing": "yes", **changes})
    response = staff_client.post(
        f"/customers/{customer.pk}/communication/", preferences(**data), **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert f'id="{error_id}"' in html
    assert consents(customer) == []
    customer.refresh_from_db()
    assert customer.language_preference == "en"


def test_without_htmx_a_saved_form_redirects_and_a_refused_one_is_a_page(staff_client):
    customer = CustomerFactory()
    url = f"/customers/{customer.pk}/communication/"
    saved = staff_client.post(url, preferences())
    assert saved.status_code == 302
    assert saved["Location"] == f"/customers/{customer.pk}/#communication-preferences"
    refused = staff_client.post(url, preferences(language_preference="??"))
    assert refused.status_code == 422
    assert "<html" in refused.content.decode()
    form_page = staff_client.get(url)
    assert form_page.status_code == 200
    assert "Back to " in form_page.content.decode()


def test_forms_refuse_a_post_without_the_csrf_token(staff_user):
    # given
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    customer = CustomerFactory(language_preference="en")
    # when
    data = preferences(**consent_shown(whatsapp_opted_out="yes"))
    response = client.post(f"/customers/{customer.pk}/communication/", data, **HTMX)
    # then
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.language_preference == "en"
    assert consents(customer) == []


def test_the_page_carries_the_csrf_token_for_htmx_and_in_every_form(staff_client):
    customer = customer_with_history("Forms", LIGHT)
    html = page(staff_client, customer)
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{64}\"\}'", html)
    posting_forms = html.count('method="post"')
    assert posting_forms == 5  # sign out, preferred technician, note, portal link send, revoke
    assert html.count('name="csrfmiddlewaretoken"') == posting_forms
