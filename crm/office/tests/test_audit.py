"""The audit trail through the real doors: who changed what, old and new, and GET /api/audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from crm.audit.models import AuditEntry
from crm.core.services import api_token_create
from crm.core.tests.factories import UserFactory
from crm.customers.models import ContactConsent
from crm.customers.services import consents_bulk_set, customer_merge, customers_bulk_update
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.messaging.channels.base import ConsentRevokedError, Outbound, SendResult
from crm.messaging.services import dispatch
from crm.messaging.tasks import messages_dispatch_task
from crm.messaging.tests.factories import ScheduledMessageFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def _put(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def _post(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def _latest(model: str, **filters: Any) -> AuditEntry:
    return AuditEntry.objects.filter(content_type__model=model, **filters).latest("id")


def test_a_phone_and_consent_change_records_who_old_and_new(staff_client, staff_user):
    # given
    customer = CustomerFactory(phone="+12025550101")
    ContactConsentFactory(customer=customer, channel="SMS", marketing_opt_in=False)
    # when
    response = _put(staff_client, f"/api/update-customer/{customer.pk}", {
        "phone": "+1 202 555 0199",
        "consents": [{"channel": "SMS", "marketingOptIn": True}],
    })  # fmt: skip
    # then
    assert response.status_code == 200, response.content
    entry = _latest("customer", customer=customer)
    assert entry.changes == {"phone": ["+12025550101", "+12025550199"]}
    assert (entry.actor, entry.source) == (staff_user, "API session")
    consent = _latest("contactconsent", customer=customer)
    assert consent.changes == {"marketing_opt_in": [False, True]}
    assert consent.actor == staff_user


def test_an_api_token_request_is_recorded_as_the_tokens_user():
    # given
    owner = UserFactory(username="bookkeeper")
    token, raw = api_token_create(user=owner, name="books")
    customer = CustomerFactory()
    # when
    response = _post(Client(), "/api/add-payment", {
        "customerId": customer.pk, "amount": "80.00", "date": "2026-11-20", "paymentMethod": "Cash",
    }, HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    # then
    assert response.status_code == 201, response.content
    entry = _latest("payment", customer=customer)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == owner
    assert entry.source == f"API token {token.prefix}"
    assert entry.changes["amount"] == [None, "80.00"]
    assert entry.changes["payment_method"] == [None, "Cash"]


def test_payment_and_expense_edits_and_a_job_status_change_keep_old_and_new(staff_client):
    # given
    job = JobFactory()
    payment = PaymentFactory(customer=job.customer, job=job)
    expense = ExpenseFactory(customer=job.customer, job=job)
    # when
    paid = _put(staff_client, f"/api/update-payment/{payment.pk}", {"amount": "120.50"})
    spent = _put(staff_client, f"/api/expense/{expense.pk}", {"category": "Travel"})
    moved = _put(staff_client, f"/api/update-job/{job.pk}", {"status": "InProgress"})
    # then
    assert (paid.status_code, spent.status_code, moved.status_code) == (200, 200, 200)
    assert _latest("payment").changes == {"amount": ["150.00", "120.50"]}
    assert _latest("expense").changes == {"category": [expense.category, "Travel"]}
    assert _latest("job").changes == {"status": ["Scheduled", "InProgress"]}
    assert {e.actor.username for e in AuditEntry.objects.filter(source="API session")} == {"office"}


def test_the_preferred_technician_change_is_recorded_with_names(staff_client):
    # given
    before, after = TechnicianFactory(name="Ben Ortiz"), TechnicianFactory(name="Ana Lee")
    customer = CustomerFactory(preferred_technician=before)
    # when
    response = _post(
        staff_client,
        f"/api/customer/{customer.pk}/preferred-technician",
        {"technicianId": after.pk},
    )
    # then
    assert response.status_code == 200, response.content
    item = staff_client.get(f"/api/audit?customerId={customer.pk}").json()["items"][0]
    assert item["changes"] == [{
        "field": "preferred_technician", "label": "Preferred technician",
        "old": before.pk, "new": after.pk, "oldText": "Ben Ortiz", "newText": "Ana Lee",
    }]  # fmt: skip


class OptOutChannel:
    """A provider that refuses because the recipient unsubscribed with the provider."""

    carrier = "scripted"

    def send(self, outbound: Outbound) -> SendResult:
        raise ConsentRevokedError("Twilio 400 (code 21610): unsubscribed")


def test_a_change_made_by_a_task_is_the_systems(monkeypatch, settings):
    # given a due SMS to a customer who unsubscribed with the provider
    settings.QUIET_HOURS_START = settings.QUIET_HOURS_END = "00:00"
    message = ScheduledMessageFactory(channel="SMS")
    monkeypatch.setattr(dispatch, "channel_for", lambda name: OptOutChannel())
    # when the dispatch task runs
    messages_dispatch_task()
    # then the opt-out is recorded as the task's
    entry = _latest("contactconsent", customer=message.customer)
    assert entry.actor is None
    assert entry.source == "task messages_dispatch_task"
    assert entry.changes["opted_out_at"][0] is None
    assert entry.changes["opted_out_at"][1] is not None
    body = Client()
    body.force_login(UserFactory())
    item = body.get(f"/api/audit?customerId={message.customer_id}").json()["items"][0]
    assert (item["who"], item["via"]) == ("system", entry.source)


def test_bulk_writes_that_send_no_signals_are_recorded():
    # given
    customer = CustomerFactory(name="Old Name", phone="+12025550101")
    consent = ContactConsentFactory(customer=customer, channel="Email", marketing_opt_in=True)
    # when the CSV import's bulk writes change a name and a consent
    customer.name = "New Name"
    customers_bulk_update(customers=[customer], fields=["name", "phone"])
    consents_bulk_set(marketing={(customer.pk, "Email"): False, (customer.pk, "SMS"): True})
    # then
    names = AuditEntry.objects.filter(customer=customer, changes__has_key="name").latest("id")
    assert names.changes == {"name": ["Old Name", "New Name"]}
    assert names.source == "system"
    email = AuditEntry.objects.filter(object_id=consent.pk, content_type__model="contactconsent")
    assert email.latest("id").changes == {"marketing_opt_in": [True, False]}
    sms = ContactConsent.objects.get(customer=customer, channel="SMS")
    created = AuditEntry.objects.get(object_id=sms.pk, content_type__model="contactconsent")
    assert created.changes["marketing_opt_in"] == [None, True]


def test_a_merge_records_the_moved_money_and_keeps_the_merged_history():
    # given
    kept, merged = CustomerFactory(name="Kept"), CustomerFactory(name="Merged")
    payment = PaymentFactory(customer=merged)
    history = AuditEntry.objects.filter(customer=merged).count()
    # when
    customer_merge(customer_id=merged.pk, into_id=kept.pk)
    # then the payment's move is recorded and the merged record's history is the kept one's
    moved = AuditEntry.objects.filter(content_type__model="payment", object_id=payment.pk)
    assert moved.latest("id").changes == {"customer": [merged.pk, kept.pk]}
    assert AuditEntry.objects.filter(customer_id=merged.pk).count() == 0
    assert AuditEntry.objects.filter(customer=kept).count() > history


# --- GET /api/audit -------------------------------------------------------------------------


def _history(customer: Any, count: int) -> None:
    start = timezone.now() - dt.timedelta(days=1)
    for minute in range(count):
        AuditEntry.objects.log_create(
            customer, action=AuditEntry.Action.UPDATE,
            changes={"name": [f"Name {minute}", f"Name {minute + 1}"]},
            timestamp=start + dt.timedelta(minutes=minute),
        )  # fmt: skip


def test_the_list_is_newest_first_and_paginated(staff_client):
    # given 25 changes of one customer and one of another
    customer = CustomerFactory(name="Ana")
    AuditEntry.objects.filter(customer=customer).delete()
    _history(customer, 25)
    _history(CustomerFactory(), 1)
    # when
    first = staff_client.get(f"/api/audit?customerId={customer.pk}").json()
    second = staff_client.get(f"/api/audit?customerId={customer.pk}&page=2").json()
    # then
    assert (first["page"], first["pageSize"], first["hasNext"]) == (1, 20, True)
    assert (second["page"], second["hasNext"]) == (2, False)
    news = [item["changes"][0]["new"] for item in first["items"] + second["items"]]
    assert news == [f"Name {n}" for n in range(25, 0, -1)]
    item = first["items"][0]
    assert set(item) == {
        "id", "at", "who", "via", "action", "model", "objectId", "objectRepr", "changes"
    }  # fmt: skip
    assert (item["who"], item["action"], item["model"]) == ("system", "Changed", "Customer")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("customerId=999999", 404),
        ("customerId=abc", 422),
        ("customerId=0", 422),
        ("", 422),
        ("customerId=1&page=0", 422),
        ("customerId=1&page=x", 422),
    ],
)
def test_bad_input_is_refused(staff_client, query, status):
    CustomerFactory()
    response = staff_client.get(f"/api/audit?{query}")
    assert response.status_code == status
    assert set(response.json()) >= {"detail", "errors"}


def test_signed_out_is_401():
    assert Client().get(f"/api/audit?customerId={CustomerFactory().pk}").status_code == 401


# Session and user, the customer exists, the page of entries, then the technicians that the
# changed links name (one query per kind of record named, whatever the number of entries).
AUDIT_QUERIES = 5


@pytest.mark.parametrize("changes", [3, 30])
def test_the_endpoint_query_count_is_pinned(staff_client, django_assert_num_queries, changes):
    # given
    customer = CustomerFactory()
    for _ in range(changes):
        customer.preferred_technician = TechnicianFactory()
        customer.save()
    staff_client.get("/api/audit?customerId=999999")  # the session is warm
    # when / then
    with django_assert_num_queries(AUDIT_QUERIES):
        response = staff_client.get(f"/api/audit?customerId={customer.pk}")
    assert response.status_code == 200


def test_the_card_shows_a_new_records_filled_fields_and_contact_times_as_words():
    # given
    from crm.audit.selectors import audit_page

    customer = CustomerFactory(
        name="Ana",
        email="",
        preferred_contact_times=[{"day": "mon", "start": "09:00", "end": "12:00"}],
    )
    # when
    created = audit_page(customer_id=customer.pk).items[-1]
    # then blank fields are left out, and the windows read as words
    shown = {change.field: change.new_text for change in created.changes}
    assert "email" not in shown
    assert shown["name"] == "Ana"
    assert shown["preferred_contact_times"] == "mon 09:00-12:00"
    assert created.action == "Created"


def test_an_unsubscribe_link_is_recorded_as_anonymous_without_its_token():
    # given
    from crm.messaging.services.consent import unsubscribe_url

    customer = CustomerFactory()
    path = "/u/" + unsubscribe_url(customer_id=customer.pk).rsplit("/u/", 1)[1]
    # when
    response = Client().post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    # then
    assert response.status_code == 200
    entry = _latest("contactconsent", customer=customer)
    assert (entry.actor, entry.actor_email, entry.source) == (
        None,
        "anonymous",
        "public unsubscribe",
    )
    assert entry.changes["opted_out_at"][0] is None
