"""On my way: the API (bad inputs refused with nothing saved), the job card's form, and the
message going at once through the outbox even outside contact hours; and Confirmed on the job."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from crm.core.company import company
from crm.core.htmx import CONFIRMED
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.jobs.models import Job
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.policy import send_decision
from crm.messaging.services.dispatch import outbox_dispatch_one
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _job(**fields: object) -> Job:
    customer = CustomerFactory(name="Maria Lopez", preferred_contact_method="SMS")
    job: Job = JobFactory(customer=customer, technician=TechnicianFactory(name="Sam"), **fields)
    return job


def _post(client: Client, job_id: int, body: object):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/job/{job_id}/on-my-way", data=json.dumps(body), content_type="application/json"
    )


def test_the_api_sends_it_at_once_through_the_outbox(staff_client: Client) -> None:
    # given a booked visit of a customer who prefers SMS
    job = _job()
    # when the office says the technician is on the way
    response = _post(staff_client, job.pk, {"etaMinutes": 25})
    # then one Service message about the job, due now, on SMS
    assert response.status_code == 201
    message = ScheduledMessage.objects.get(job=job)
    assert response.json()["id"] == message.pk
    assert (message.channel, message.purpose, message.source, message.status) == (
        "SMS", Purpose.SERVICE, MessageSource.ON_MY_WAY, MessageStatus.SCHEDULED,
    )  # fmt: skip
    assert message.body == (
        f"Sam from {company().name} is on the way, arriving in about 25 minutes."
    )
    assert message.send_at <= timezone.now()


@pytest.mark.parametrize(
    "body", [{"etaMinutes": -5}, {"etaMinutes": 0}, {"etaMinutes": 241}, {}, {"etaMinutes": "x"}]
)
def test_a_bad_eta_is_a_422_and_nothing_is_sent(staff_client: Client, body: object) -> None:
    job = _job()

    response = _post(staff_client, job.pk, body)

    assert response.status_code == 422
    assert not ScheduledMessage.objects.exists()


def test_the_422_names_the_field_in_plain_words(staff_client: Client) -> None:
    response = _post(staff_client, _job().pk, {"etaMinutes": -5})
    assert response.json()["detail"] == "Arrival time is whole minutes from 1 to 240."


def test_a_closed_job_is_a_409_and_an_unknown_one_a_404(staff_client: Client) -> None:
    assert _post(staff_client, _job(completed=True).pk, {"etaMinutes": 5}).status_code == 409
    assert _post(staff_client, 999_999, {"etaMinutes": 5}).status_code == 404
    assert not ScheduledMessage.objects.exists()


def test_a_customer_opted_out_everywhere_is_a_422(staff_client: Client) -> None:
    job = _job()
    job.customer.email = ""
    job.customer.save()
    for channel in ("WhatsApp", "SMS"):
        ContactConsentFactory(customer=job.customer, channel=channel, opted_out_at=timezone.now())

    response = _post(staff_client, job.pk, {"etaMinutes": 10})

    assert response.status_code == 422
    assert not ScheduledMessage.objects.exists()


def test_contact_hours_do_not_hold_it_back_but_hold_other_messages(settings) -> None:  # type: ignore[no-untyped-def]
    # given a customer whose contact hours are over for today (quiet all day)
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "00:00", "23:59"
    customer = CustomerFactory()
    now = timezone.now().replace(hour=23, minute=59, second=30)
    facts = {"customer": customer, "channel": "SMS", "purpose": Purpose.SERVICE,
             "consent": None, "last_marketing_at": None, "now": now}  # fmt: skip
    # then on my way goes, a reminder waits
    assert send_decision(**facts, source=MessageSource.ON_MY_WAY).action == "send"
    assert send_decision(**facts, source=MessageSource.APPOINTMENT).action == "defer"


def test_it_goes_out_through_the_dispatcher(staff_client: Client) -> None:
    job = _job()
    job.customer.preferred_contact_method = "Email"
    job.customer.save()

    _post(staff_client, job.pk, {"etaMinutes": 15})
    outbox_dispatch_one(message_id=ScheduledMessage.objects.get(job=job).pk)

    assert [m.to for m in mail.outbox] == [[job.customer.email]]
    assert "arriving in about 15 minutes" in mail.outbox[0].body


def test_spanish_speakers_get_it_in_spanish(staff_client: Client) -> None:
    job = _job()
    job.customer.language_preference = "es"
    job.customer.save()

    _post(staff_client, job.pk, {"etaMinutes": 30})

    assert ScheduledMessage.objects.get(job=job).body == (
        f"Sam de {company().name} va en camino y llegará en unos 30 minutos."
    )


def test_the_job_card_form_sends_and_confirms(staff_client: Client) -> None:
    # given the Customer View's job card of a booked visit offers On my way
    job = _job()
    card = staff_client.get(f"/customers/{job.customer_id}/jobs/{job.pk}/", headers=HTMX)
    card = card.content.decode()
    assert f'id="on-my-way-{job.pk}"' in card
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/on-my-way/"
    # when the form is sent with 20 minutes
    response = staff_client.post(url, {"eta_minutes": "20"}, headers=HTMX)
    # then 204, the card reloads, and the confirmation says what was sent
    assert response.status_code == 204
    trigger = json.loads(response["HX-Trigger"])
    assert trigger[CONFIRMED]["text"] == "On my way sent: arriving in about 20 minutes"
    assert f"job-{job.pk}-changed" in trigger
    assert ScheduledMessage.objects.filter(job=job, source=MessageSource.ON_MY_WAY).count() == 1


def test_the_job_card_form_shows_a_negative_eta_next_to_the_field(staff_client: Client) -> None:
    job = _job()
    url = f"/customers/{job.customer_id}/jobs/{job.pk}/on-my-way/"

    response = staff_client.post(url, {"eta_minutes": "-5"}, headers=HTMX)

    assert response.status_code == 422
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    assert not ScheduledMessage.objects.exists()


def test_a_closed_job_offers_no_on_my_way_and_a_confirmed_one_says_so(
    staff_client: Client,
) -> None:
    done = _job(completed=True)
    confirmed = _job(confirmed_at=timezone.now())

    done_card = staff_client.get(f"/customers/{done.customer_id}/jobs/{done.pk}/", headers=HTMX)
    confirmed_card = staff_client.get(
        f"/customers/{confirmed.customer_id}/jobs/{confirmed.pk}/", headers=HTMX
    )
    listed = staff_client.get("/api/jobs", {"customerId": confirmed.customer_id}).json()

    assert f'id="on-my-way-{done.pk}"' not in done_card.content.decode()
    assert f'id="job-{confirmed.pk}-confirmed"' in confirmed_card.content.decode()
    assert listed[0]["confirmedAt"] is not None
