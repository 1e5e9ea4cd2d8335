"""The closed loop: job completed -> follow-up and survey message -> public page -> answer."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from crm.activities.models import Activity
from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.jobs import job_create_and_follow_up, job_update_and_follow_up
from crm.engagement.services.surveys import follow_ups_no_response
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.dispatch import outbox_dispatch_due
from crm.messaging.services.outbox import MessageChanges, message_update
from crm.messaging.services.surveys import SURVEY_SALT, survey_token
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.tests.factories import ReviewFactory, ServiceFollowUpFactory
from crm.technicians.models import CustomerTechnicianRating
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
PUBLIC = "https://crm.example.com"


@pytest.fixture(autouse=True)
def _public_url(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC
    settings.FOLLOWUP_DELAY_DAYS = 2
    settings.SURVEY_LINK_MAX_AGE_DAYS = 14


def _complete_a_job():  # type: ignore[no-untyped-def]
    customer = CustomerFactory(
        name="Maria Gonzalez", phone="+13055550100", preferred_contact_method="WhatsApp"
    )
    technician = TechnicianFactory(name="Ana Ruiz")
    job = JobFactory(customer=customer, technician=technician, description="Dryer not heating")
    return job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})


def _answer(client: Client, path: str, **data: object):  # type: ignore[no-untyped-def]
    page = client.get(path)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else ""
    return client.post(path, {"csrfmiddlewaretoken": token, **data})


def test_the_whole_loop_from_completion_to_a_low_score_reminder() -> None:
    # given a job completed through the job service
    job = _complete_a_job()
    # then a Pending follow-up two days later and the survey message for that moment exist
    follow_up = ServiceFollowUp.objects.get(job=job)
    message = ScheduledMessage.objects.get(job=job)
    assert follow_up.status == "Pending"
    assert follow_up.follow_up_date == job.completed_at + dt.timedelta(days=2)
    assert (message.source, message.purpose, message.channel) == ("Survey", "Service", "WhatsApp")
    assert (message.status, message.send_at) == ("Scheduled", follow_up.follow_up_date)
    link = re.search(r"https://crm\.example\.com(/s/[^ ]+)", message.body)
    assert link is not None
    assert message.body.startswith("Hi Maria, thank you for choosing ServiceCRM Appliance Care.")

    # when two days pass and the dispatcher runs
    ScheduledMessage.objects.filter(pk=message.pk).update(send_at=timezone.now())
    outbox_dispatch_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED

    # and the customer opens the link (no login) and answers 2 with a comment
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(link.group(1))
    assert page.status_code == 200
    assert b"Ana Ruiz" in page.content
    answer = _answer(anonymous, link.group(1), rating="2", comment="Came late, <b>messy</b>.")

    # then the loop is closed
    assert answer.status_code == 200
    assert b"Thank you!" in answer.content
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.satisfaction_rating) == ("Completed", 2)
    assert follow_up.feedback == "Came late, <b>messy</b>."
    review = Review.objects.get(job=job)
    assert (review.rating, review.comment, review.technician_id) == (
        2,
        follow_up.feedback,
        job.technician_id,
    )
    rating = CustomerTechnicianRating.objects.get(job=job)
    assert (rating.rating, rating.technician_id) == (2, job.technician_id)
    reminder = Reminder.objects.get(customer=job.customer)
    assert (reminder.kind, reminder.priority, reminder.status) == ("LowSurveyScore", "High", "Open")
    assert reminder.title == f"Low survey score (2/5) for job #{job.pk}: call the customer"
    assert Activity.objects.filter(customer=job.customer, kind="System").get().content == (
        f"Satisfaction survey for job #{job.pk}: 2/5. Comment: Came late, <b>messy</b>."
    )

    # when the link is used again
    again = _answer(anonymous, link.group(1), rating="5")
    # then it is closed and nothing changes
    assert again.status_code == 410
    assert b"already been answered" in again.content
    follow_up.refresh_from_db()
    assert follow_up.satisfaction_rating == 2
    assert (Review.objects.count(), Reminder.objects.count()) == (1, 1)


def test_a_good_score_needs_no_reminder() -> None:
    follow_up = ServiceFollowUpFactory()
    response = _answer(Client(), f"/s/{survey_token(follow_up_id=follow_up.pk)}", rating="5")
    assert response.status_code == 200
    assert Review.objects.get(job=follow_up.job).rating == 5
    assert not Reminder.objects.exists()


def test_a_rating_outside_1_to_5_is_refused_and_nothing_changes() -> None:
    follow_up = ServiceFollowUpFactory()
    response = _answer(Client(), f"/s/{survey_token(follow_up_id=follow_up.pk)}", rating="6")
    follow_up.refresh_from_db()
    assert response.status_code == 422
    assert follow_up.status == "Pending"
    assert not Review.objects.exists()


def test_an_expired_link_is_closed() -> None:
    # given a token signed 15 days ago (links live 14 days)
    follow_up = ServiceFollowUpFactory()

    class FifteenDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 15 * 86400)

    token = FifteenDaysAgo(salt=SURVEY_SALT).sign_object({"f": follow_up.pk})
    # when / then
    page = Client().get(f"/s/{token}")
    assert page.status_code == 410
    assert b"expired" in page.content
    assert _answer(Client(), f"/s/{token}", rating="5").status_code == 410
    follow_up.refresh_from_db()
    assert follow_up.status == "Pending"


def test_a_tampered_or_foreign_token_is_not_found() -> None:
    follow_up = ServiceFollowUpFactory()
    token = survey_token(follow_up_id=follow_up.pk)
    other_salt = signing.dumps({"f": follow_up.pk}, salt="something-else")
    assert Client().get(f"/s/{token[:-3]}abc").status_code == 404
    assert Client().get(f"/s/{other_salt}").status_code == 404


def test_completing_twice_schedules_one_survey() -> None:
    job = _complete_a_job()
    job_update_and_follow_up(job_id=job.pk, fields={"status": "InProgress"})
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    assert ServiceFollowUp.objects.filter(job=job).count() == 1
    assert ScheduledMessage.objects.filter(job=job).count() == 1


def test_no_survey_for_an_old_job_or_an_already_reviewed_one() -> None:
    # given a job recorded a month after it was done, and a reviewed job completed again
    customer = CustomerFactory()
    old = job_create_and_follow_up(
        customer_id=customer.pk,
        fields={
            "description": "Old repair",
            "status": "Completed",
            "completed_at": timezone.now() - dt.timedelta(days=30),
        },
    )
    review = ReviewFactory()
    job_update_and_follow_up(job_id=review.job_id, fields={"status": "InProgress"})
    job_update_and_follow_up(job_id=review.job_id, fields={"status": "Completed"})
    # then
    assert not ServiceFollowUp.objects.filter(job__in=[old, review.job]).exists()
    assert not ScheduledMessage.objects.exists()


def test_survey_goes_by_a_channel_the_customer_has_not_stopped() -> None:
    # given WhatsApp is preferred but the customer opted out of it
    customer = CustomerFactory(preferred_contact_method="WhatsApp", email="m@example.com")
    ContactConsentFactory(customer=customer, channel="WhatsApp", opted_out_at=timezone.now())
    job = JobFactory(customer=customer)
    # when
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    # then SMS (next in order) carries it
    assert ScheduledMessage.objects.get(job=job).channel == "SMS"


def test_a_customer_without_any_address_gets_the_follow_up_only() -> None:
    job = JobFactory(customer=CustomerFactory(email="", phone=""))
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    assert ServiceFollowUp.objects.filter(job=job).count() == 1
    assert not ScheduledMessage.objects.exists()


def test_a_reopened_job_gets_no_survey_until_it_is_completed_again(settings) -> None:  # type: ignore[no-untyped-def]
    # given a completed job whose survey waits for its day
    settings.FOLLOWUP_NO_RESPONSE_DAYS = 7
    job = _complete_a_job()
    message = ScheduledMessage.objects.get(job=job)
    # when the job is reopened (the repair did not hold)
    job_update_and_follow_up(job_id=job.pk, fields={"status": "InProgress"})
    # then the survey is withdrawn, and the follow-up is not closed as unanswered
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        "Cancelled",
        "The job was reopened before the survey went out.",
    )
    assert follow_ups_no_response(now=timezone.now() + dt.timedelta(days=30)) == 0
    # when it is completed again three days later
    later = timezone.now() + dt.timedelta(days=3)
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed", "completed_at": later})
    # then the same survey goes out two days after the new completion, about the new visit
    message.refresh_from_db()
    follow_up = ServiceFollowUp.objects.get(job=job)
    assert (message.status, message.send_at) == ("Scheduled", later + dt.timedelta(days=2))
    assert follow_up.follow_up_date == later + dt.timedelta(days=2)
    day = timezone.localdate(later)
    assert f"How did our visit on {day:%B} {day.day} go?" in message.body
    assert ScheduledMessage.objects.filter(job=job).count() == 1


def test_a_survey_the_office_cancelled_stays_cancelled_after_a_reopen() -> None:
    job = _complete_a_job()
    message = ScheduledMessage.objects.get(job=job)
    message_update(message_id=message.pk, changes=MessageChanges(status="Cancelled"))
    job_update_and_follow_up(job_id=job.pk, fields={"status": "InProgress"})
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed"})
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("Cancelled", "Cancelled by the office.")


def test_a_spanish_survey_says_the_day_in_words_never_as_digits() -> None:
    # given a Spanish-speaking customer whose job is completed on December 1
    customer = CustomerFactory(language_preference="es", phone="+13055550111")
    job = JobFactory(customer=customer, description="Lavadora no centrifuga")
    done = dt.datetime(2026, 12, 1, 15, 0, tzinfo=timezone.get_current_timezone())
    # when
    job_update_and_follow_up(job_id=job.pk, fields={"status": "Completed", "completed_at": done})
    # then
    body = ScheduledMessage.objects.get(job=job).body
    assert "¿Qué tal fue nuestra visita del 1 de diciembre?" in body
    assert not re.search(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}", body)


@pytest.mark.parametrize(
    ("with_appliance", "title"),
    [(True, "Whirlpool refrigerator service"), (False, "Service visit")],
)
def test_the_survey_page_names_the_visit_not_the_offices_description(
    with_appliance: bool, title: str
) -> None:
    # given a job whose description is the office's own notes
    customer = CustomerFactory(name="Maria Gonzalez")
    appliance = ApplianceFactory(customer=customer) if with_appliance else None
    job = JobFactory(
        customer=customer,
        appliance=appliance,
        status="Completed",
        completed_at=dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC),
        description="Gate code 4412; customer argued about the last invoice",
    )
    follow_up = ServiceFollowUpFactory(job=job, customer=customer)
    # when
    page = Client().get(f"/s/{survey_token(follow_up_id=follow_up.pk)}").content.decode()
    # then
    assert f"{title}, Fri, Nov 20, 2026" in page
    assert "Gate code" not in page
    assert "invoice" not in page


# The survey page in the customer's language (issue 14).
def test_a_spanish_customer_reads_the_survey_and_its_errors_in_spanish() -> None:
    # given a Spanish speaker's completed visit
    customer = CustomerFactory(name="Lucía Pérez", language_preference="es-MX")
    job = JobFactory(
        customer=customer, status="Completed",
        completed_at=dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC),
    )  # fmt: skip
    path = f"/s/{survey_token(follow_up_id=ServiceFollowUpFactory(job=job, customer=customer).pk)}"
    # when
    page = Client().get(path).content.decode()
    refused = _answer(Client(), path, rating="").content.decode()
    # then
    assert '<html lang="es">' in page
    assert "¿Cómo lo hicimos?" in page
    assert "Hola Lucía, califique nuestra visita del viernes 20 de noviembre" in page
    assert "Enviar mi respuesta" in page
    assert "Visita de servicio, viernes 20 de noviembre" in page
    assert "Este campo es obligatorio." in refused  # Django's own message, in Spanish


def test_a_closed_survey_says_why_in_english_and_spanish() -> None:
    page = Client().get("/s/not-a-token").content.decode()
    assert "This survey link is not valid." in page
    assert "Este enlace de encuesta no es válido." in page


def test_both_survey_phrase_tables_say_the_same_things() -> None:
    from crm.messaging.survey_phrases import ENGLISH, SPANISH

    assert set(ENGLISH) == set(SPANISH)
