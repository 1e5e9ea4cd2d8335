"""The outbox API: schedule, list, edit / reschedule / cancel (409 once sending began), send now."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.tests.factories import ScheduledMessageFactory

pytestmark = pytest.mark.django_db


def test_schedule_a_message(staff_client: Client, staff_user) -> None:  # type: ignore[no-untyped-def]
    # given
    customer = CustomerFactory(phone="+13055550100")
    job = JobFactory(customer=customer)
    # when
    response = staff_client.post(
        "/api/schedule-message",
        {
            "customerId": customer.pk,
            "jobId": job.pk,
            "channel": "SMS",
            "body": "Reminder: dryer vent check Friday.",
            "sendAt": "2030-05-03T10:00:00-04:00",
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201
    body = response.json()
    message = ScheduledMessage.objects.get()
    assert body["id"] == message.pk
    assert (body["status"], body["channel"], body["source"]) == ("Scheduled", "SMS", "Manual")
    assert body["sendAt"] == "2030-05-03T14:00:00Z"
    assert (body["createdBy"], body["approvedBy"]) == ("office", "office")
    assert message.approved_by == staff_user


def test_same_idempotency_key_twice_gives_one_message(staff_client: Client) -> None:
    customer = CustomerFactory()
    payload = {
        "customerId": customer.pk,
        "jobId": JobFactory(customer=customer).pk,
        "channel": "Email",
        "body": "Hello",
        "idempotencyKey": "k-1",
        "sendAt": "2030-01-01",
    }
    first = staff_client.post("/api/schedule-message", payload, content_type="application/json")
    second = staff_client.post("/api/schedule-message", payload, content_type="application/json")
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["subject"] == "A message from ServiceCRM Appliance Care"
    assert ScheduledMessage.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"channel": "Email"}, "channel", "The customer has no email address for Email."),
        ({"purpose": "Marketing"}, "channel", "The customer has not opted in to marketing by SMS."),
        ({"customerId": 999999}, "customerId", "No customer with that id."),
        ({"body": "x" * 1601}, "body", "SMS messages are limited to 1600 characters."),
        ({"subject": "Hi\nBcc: x@example.com"}, "subject", "The subject must be a single line."),
        ({"subject": "Hi\r"}, "subject", "The subject must be a single line."),
    ],
)
def test_refusals_save_nothing(staff_client: Client, change, field, message) -> None:  # type: ignore[no-untyped-def]
    customer = CustomerFactory(email="")
    job = JobFactory(customer=customer)
    payload = {"customerId": customer.pk, "jobId": job.pk, "channel": "SMS", "body": "Hi"} | change
    response = staff_client.post("/api/schedule-message", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert not ScheduledMessage.objects.exists()


def test_an_opted_out_channel_is_refused(staff_client: Client) -> None:
    consent = ContactConsentFactory(channel="WhatsApp", opted_out_at="2026-11-01T00:00:00Z")
    response = staff_client.post(
        "/api/schedule-message",
        {
            "customerId": consent.customer_id,
            "channel": "WhatsApp",
            "body": "Hi",
            "jobId": JobFactory(customer=consent.customer).pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "The customer opted out of WhatsApp on Sat, Oct 31, 2026."
    assert not ScheduledMessage.objects.exists()


def test_unknown_fields_and_wrong_types_are_422(staff_client: Client) -> None:
    customer = CustomerFactory()
    for payload in (
        {"customerId": customer.pk, "channel": "SMS", "body": "Hi", "priority": 1},
        {"customerId": str(customer.pk), "channel": "SMS", "body": "Hi"},
        {"customerId": customer.pk, "channel": "Fax", "body": "Hi"},
        {"customerId": customer.pk, "channel": "SMS", "body": "Hi", "status": "Sent"},
    ):
        response = staff_client.post(
            "/api/schedule-message", payload, content_type="application/json"
        )
        assert response.status_code == 422, payload
    assert not ScheduledMessage.objects.exists()


def test_list_filters_by_customer_and_status(staff_client: Client) -> None:
    mine = ScheduledMessageFactory(send_at="2030-01-02T10:00:00Z")
    ScheduledMessageFactory(customer=mine.customer, status="Draft", send_at="2030-01-03T10:00:00Z")
    ScheduledMessageFactory()
    response = staff_client.get(
        f"/api/scheduled-messages?customerId={mine.customer_id}&status=Scheduled"
    )
    assert response.status_code == 200
    assert [m["id"] for m in response.json()] == [mine.pk]
    assert staff_client.get("/api/scheduled-messages?status=Nope").status_code == 422


def test_edit_reschedule_and_cancel(staff_client: Client) -> None:
    # given a draft
    message = ScheduledMessageFactory(status="Draft", send_at="2030-01-02T10:00:00Z")
    # when it is edited and approved, then cancelled
    approved = staff_client.put(
        f"/api/scheduled-message/{message.pk}",
        {"body": "Edited text", "sendAt": "2030-02-01T09:00:00Z", "status": "Scheduled"},
        content_type="application/json",
    )
    cancelled = staff_client.put(
        f"/api/scheduled-message/{message.pk}",
        {"status": "Cancelled"},
        content_type="application/json",
    )
    # then
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["body"]) == ("Scheduled", "Edited text")
    assert approved.json()["sendAt"] == "2030-02-01T09:00:00Z"
    assert approved.json()["approvedBy"] == "office"
    assert (cancelled.json()["status"], cancelled.json()["lastError"]) == (
        "Cancelled",
        "Cancelled by office.",
    )
    message.refresh_from_db()
    assert list(message.events.values_list("to_status", flat=True)) == ["Scheduled", "Cancelled"]


@pytest.mark.parametrize("status", ["Sending", "Sent", "Delivered", "Read", "Unknown"])
def test_no_change_once_sending_has_begun(staff_client: Client, status: str) -> None:
    message = ScheduledMessageFactory(
        status=status, provider_message_id="p-1", sending_started_at="2026-11-23T10:00:00Z"
    )
    edit = staff_client.put(
        f"/api/scheduled-message/{message.pk}",
        {"status": "Cancelled"},
        content_type="application/json",
    )
    now = staff_client.post(f"/api/scheduled-message/{message.pk}/send-now")
    assert (edit.status_code, now.status_code) == (409, 409)
    assert edit.json()["detail"] == (
        f"Sending has begun (status {status}); the message can no longer change."
    )
    message.refresh_from_db()
    assert message.status == status


def test_send_now_delivers_once_after_commit(
    staff_client: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # given a draft greeting for next month
    message = ScheduledMessageFactory(status="Draft", send_at="2030-01-02T10:00:00Z")
    # when the office clicks Send now (twice)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(f"/api/scheduled-message/{message.pk}/send-now")
    again = staff_client.post(f"/api/scheduled-message/{message.pk}/send-now")
    # then it was dispatched after the commit, through the console channel, once
    assert response.status_code == 200
    assert len(callbacks) == 1
    detail = staff_client.get(f"/api/scheduled-message/{message.pk}").json()
    assert detail["status"] == "Delivered"
    assert detail["carrier"] == "console"
    assert [e["toStatus"] for e in detail["events"]] == ["Scheduled", "Sending", "Delivered"]
    assert again.status_code == 409


def test_missing_message_is_404_and_api_needs_auth(staff_client: Client) -> None:
    assert (
        staff_client.put(
            "/api/scheduled-message/999", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Client().get("/api/scheduled-messages").status_code == 401
    assert staff_client.get(f"/api/scheduled-message/{2**60}").status_code == 422
    assert MessageStatus.DRAFT == "Draft"


def test_switching_to_email_gets_a_subject(staff_client: Client) -> None:
    message = ScheduledMessageFactory(channel="SMS", send_at="2030-01-02T10:00:00Z")
    response = staff_client.put(
        f"/api/scheduled-message/{message.pk}",
        {"channel": "Email"},
        content_type="application/json",
    )
    assert (response.json()["channel"], response.json()["subject"]) == (
        "Email",
        "A message from ServiceCRM Appliance Care",
    )


def test_retry_a_failed_message_sends_it_again_through_the_outbox(
    staff_client: Client,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # given
    message = ScheduledMessageFactory(status="Failed", attempts=5, last_error="Unreachable.")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/api/scheduled-message/{message.pk}/retry")
    # then
    detail = staff_client.get(f"/api/scheduled-message/{message.pk}").json()
    assert (response.status_code, response.json()["status"]) == (200, "Scheduled")
    assert (detail["status"], detail["attempts"]) == ("Delivered", 1)


@pytest.mark.parametrize(
    ("action", "status", "answer", "after"),
    [
        ("mark-sent", "Unknown", 200, "Sent"),
        ("mark-failed", "Unknown", 200, "Failed"),
        ("retry", "Unknown", 409, "Unknown"),
        ("mark-sent", "Failed", 409, "Failed"),
        ("mark-failed", "Draft", 409, "Draft"),
    ],
)
def test_settling_a_message_by_api(
    staff_client: Client, action: str, status: str, answer: int, after: str
) -> None:
    # given
    message = ScheduledMessageFactory(status=status)
    # when
    response = staff_client.post(f"/api/scheduled-message/{message.pk}/{action}")
    # then
    assert response.status_code == answer
    assert ScheduledMessage.objects.get(pk=message.pk).status == after
    if answer == 409:
        assert response.json()["errors"][0]["field"] == "status"


def test_settling_a_missing_message_is_404(staff_client: Client) -> None:
    assert staff_client.post("/api/scheduled-message/999/mark-sent").status_code == 404
