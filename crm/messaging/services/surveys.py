"""The post-service loop: job completed -> follow-up + survey message -> the customer's answer
-> follow-up completed, review and technician rating recorded. (Completing a job and answering
the survey page are engagement's workflows, crm/engagement/services/jobs.py and surveys.py: they
call these and raise the office's reminder when it went badly.)

The survey link is /s/<token>, signed with django.core.signing (salted, timestamped): it
expires after SURVEY_LINK_MAX_AGE_DAYS and works once (an answered follow-up is closed).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.services import activity_create
from crm.core.company import company
from crm.core.errors import ApplicationError, ValidationFailed
from crm.core.words import appliance_type_word, spoken_date
from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.jobs.models import Job, JobStatus
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.policy import consent_problem, recipient_address
from crm.messaging.services.outbox import (
    MessageChanges,
    MessageDraft,
    message_schedule,
    message_update,
)
from crm.messaging.services.transitions import status_move
from crm.reviews.models import FollowUpStatus, Review, ServiceFollowUp
from crm.reviews.services import (
    COMMENT_MAX_LENGTH,
    follow_up_schedule,
    follow_up_update,
    review_create,
)

logger = logging.getLogger(__name__)
SURVEY_SALT = "crm.messaging.survey"
CHANNEL_ORDER = (MessageChannel.WHATSAPP, MessageChannel.SMS, MessageChannel.EMAIL)
WITHDRAWN = "The job was reopened before the survey went out."
REVIEWED = "The job's review was entered before the survey went out."


class SurveyLinkInvalid(ApplicationError):
    """The link was not made by us (or was altered)."""

    status = 404


class SurveyLinkClosed(ApplicationError):
    """The link expired or was already used."""

    status = 410


def survey_token(*, follow_up_id: int) -> str:
    """A signed, timestamped token naming one follow-up."""
    return signing.dumps({"f": follow_up_id}, salt=SURVEY_SALT)


def survey_url(*, follow_up_id: int) -> str:
    token = survey_token(follow_up_id=follow_up_id)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("survey", args=[token])


def _follow_up_id(token: str) -> int:
    max_age = dt.timedelta(days=settings.SURVEY_LINK_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise SurveyLinkClosed("This survey link has expired. Thank you all the same!") from None
    except signing.BadSignature:
        raise SurveyLinkInvalid("This survey link is not valid.") from None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        raise SurveyLinkInvalid("This survey link is not valid.")
    return int(data["f"])


@dataclass(frozen=True)
class SurveyPage:
    """What the public page shows: whose visit, which day, who came."""

    follow_up_id: int
    first_name: str
    visit_day: dt.date
    technician: str
    job_title: str
    language: str = "en"  # "es" for Spanish speakers: the page speaks their language


def survey_open(*, token: str) -> SurveyPage:
    """The open survey behind a token; raises SurveyLinkInvalid / SurveyLinkClosed."""
    follow_up = (
        ServiceFollowUp.objects.select_related("job__technician", "job__appliance", "customer")
        .filter(pk=_follow_up_id(token))
        .first()
    )
    if follow_up is None:
        raise SurveyLinkInvalid("This survey link is not valid.")
    if follow_up.status == FollowUpStatus.COMPLETED:
        raise SurveyLinkClosed("This survey has already been answered. Thank you!")
    job = follow_up.job
    language = "es" if follow_up.customer.language_preference.lower().startswith("es") else "en"
    return SurveyPage(
        follow_up_id=follow_up.pk,
        first_name=(follow_up.customer.name.split() or [""])[0],
        visit_day=timezone.localdate(job.completed_at or follow_up.created_at),
        technician=job.technician.name if job.technician else "",
        job_title=_job_title(job, language),
        language=language,
    )


def _job_title(job: Job, language: str = "en") -> str:
    """A short title of the visit for the public page: which appliance, never the description,
    which is the office's own text (symptoms, gate codes, notes about the customer)."""
    appliance = job.appliance
    spanish = language == "es"
    if appliance is None:
        return "Visita de servicio" if spanish else "Service visit"
    kind = appliance_type_word(appliance.type, appliance.get_type_display(), language).lower()
    if spanish:
        return f"Servicio de {kind} {appliance.brand}".strip()
    return f"{appliance.brand} {kind} service".strip()


def usable_channel(customer: Customer, *, purpose: str = Purpose.SERVICE) -> str | None:
    """The customer's preferred written channel if usable for `purpose` (an address, consent),
    else the first usable one; None when none is (the survey's, the appointment reminder's and
    the review request's channel)."""
    consents = {c.channel: c for c in ContactConsent.objects.filter(customer=customer)}
    preferred = customer.preferred_contact_method
    order = [preferred, *CHANNEL_ORDER] if preferred in MessageChannel.values else CHANNEL_ORDER
    for channel in order:
        usable = recipient_address(customer, channel) and not consent_problem(
            consents.get(channel), channel=channel, purpose=purpose
        )
        if usable:
            return channel
    return None


def _survey_text(customer: Customer, job: Job, link: str) -> tuple[str, str]:
    """Fixed wording (no LLM): subject and body, in Spanish for Spanish speakers."""
    first = (customer.name.split() or [""])[0]
    day = timezone.localdate(job.completed_at or timezone.now())
    days = settings.SURVEY_LINK_MAX_AGE_DAYS
    if customer.language_preference.lower().startswith("es"):
        return "¿Cómo lo hicimos?", (
            f"Hola {first}, gracias por elegir {company().name}. ¿Qué tal fue nuestra "
            f"visita del {spoken_date(day, 'es')}? Califíquela del 1 al 5 aquí: {link} "
            f"(el enlace funciona una vez y vence en {days} días)."
        )
    return "How did we do?", (
        f"Hi {first}, thank you for choosing {company().name}. How did our visit on "
        f"{spoken_date(day, 'en')} go? Please rate it from 1 to 5 here: {link} "
        f"(the link works once and expires in {days} days)."
    )


def _too_old(job: Job) -> bool:
    """A job recorded long after it was done gets no survey (the link would make no sense)."""
    assert job.completed_at is not None
    days = company().followup_delay_days + settings.FOLLOWUP_NO_RESPONSE_DAYS
    return job.completed_at < timezone.now() - dt.timedelta(days=days)


@transaction.atomic
def survey_schedule_for_job(*, job: Job) -> ServiceFollowUp | None:
    """On completion: a Pending follow-up at completion + FOLLOWUP_DELAY_DAYS and the survey
    message for that moment. Once per job; none when the job is reviewed or long past."""
    if job.completed_at is None or job.status != JobStatus.COMPLETED or _too_old(job):
        return None
    if Review.objects.filter(job=job).exists():
        return None
    when = job.completed_at + dt.timedelta(days=company().followup_delay_days)
    existing = ServiceFollowUp.objects.filter(job=job).first()
    if existing is not None:
        _survey_renew(existing, job, when)
        return existing
    follow_up = follow_up_schedule(job_id=job.pk, follow_up_date=when)
    channel = usable_channel(job.customer)
    if channel is None:
        logger.info("No usable channel for the survey of job %s", job.pk)
        return follow_up
    subject, body = _survey_text(job.customer, job, survey_url(follow_up_id=follow_up.pk))
    draft = MessageDraft(
        customer_id=job.customer_id, channel=channel, body=body, subject=subject,
        purpose=Purpose.SERVICE, send_at=when, source=MessageSource.SURVEY,
        idempotency_key=f"survey:{job.pk}", job_id=job.pk,
    )  # fmt: skip
    try:
        message_schedule(draft=draft, user=None)
    except ApplicationError:  # completing the job must never fail because of the survey
        logger.exception("Survey message for job %s not scheduled", job.pk)
    return follow_up


def _survey_renew(follow_up: ServiceFollowUp, job: Job, when: dt.datetime) -> None:
    """Completed again after a reopen: the withdrawn survey goes out for the new completion,
    with a fresh link (a survey already sent or answered is not repeated)."""
    message = ScheduledMessage.objects.filter(
        idempotency_key=f"survey:{job.pk}", status=MessageStatus.CANCELLED,
        last_error=WITHDRAWN,
    ).first()  # fmt: skip
    if follow_up.status != FollowUpStatus.PENDING or message is None:
        return
    follow_up_update(follow_up_id=follow_up.pk, follow_up_date=when)
    _, body = _survey_text(job.customer, job, survey_url(follow_up_id=follow_up.pk))
    changes = MessageChanges(body=body, send_at=when, status=MessageStatus.SCHEDULED)
    try:
        message_update(message_id=message.pk, changes=changes, user=None)
    except ApplicationError:  # opted out meanwhile: the follow-up stays, without a message
        logger.info("Survey for job %s not renewed", job.pk)


@transaction.atomic
def survey_withdraw_for_job(*, job_id: int) -> int:
    """The job was reopened: its survey, if not sent yet, is cancelled (and renewed when the
    job is completed again). Returns how many messages were withdrawn."""
    return _survey_messages_cancel(job_id, WITHDRAWN)


def _survey_messages_cancel(job_id: int, reason: str) -> int:
    """Cancel the job's survey messages not sent yet; only WITHDRAWN ones are ever renewed."""
    pending = ScheduledMessage.objects.select_for_update().filter(
        job_id=job_id, source=MessageSource.SURVEY,
        status__in=[MessageStatus.DRAFT, MessageStatus.SCHEDULED],
    )  # fmt: skip
    cancelled = 0
    for message in pending:
        cancelled += status_move(
            message=message, from_statuses=[message.status], to_status=MessageStatus.CANCELLED,
            detail=reason, last_error=reason,
        )  # fmt: skip
    return cancelled


@transaction.atomic
def survey_close_by_review(*, review: Review) -> ServiceFollowUp | None:
    """A review entered by hand answers the job's survey: its Pending follow-up is Completed
    with the review's rating and comment, and a survey message not sent yet is cancelled (for
    good: the customer is not asked again). Returns the follow-up it completed, if any."""
    _survey_messages_cancel(review.job_id, REVIEWED)
    pending = (
        ServiceFollowUp.objects.select_for_update()
        .filter(job_id=review.job_id, status=FollowUpStatus.PENDING)
        .first()
    )
    if pending is None:
        return None
    return follow_up_update(
        follow_up_id=pending.pk, status=FollowUpStatus.COMPLETED,
        satisfaction_rating=review.rating, feedback=review.comment,
    )  # fmt: skip


def _check_answer(rating: object, comment: str) -> None:
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationFailed("Choose a rating from 1 to 5.", field="rating")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            f"Comments are limited to {COMMENT_MAX_LENGTH} characters.", field="comment"
        )


@transaction.atomic
def survey_answer(*, token: str, rating: int, comment: str = "") -> ServiceFollowUp:
    """Close the loop once: the follow-up is Completed, the job's review and the technician's
    rating are recorded (if the job has no review yet). The survey page calls it through
    crm.engagement.services.surveys.survey_answer_and_follow_up (a low score's reminder)."""
    _check_answer(rating, comment)
    follow_up_id = _follow_up_id(token)
    locked = ServiceFollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
    if locked is None:
        raise SurveyLinkInvalid("This survey link is not valid.")
    if locked.status == FollowUpStatus.COMPLETED:
        raise SurveyLinkClosed("This survey has already been answered. Thank you!")
    comment = comment.strip()
    follow_up = follow_up_update(
        follow_up_id=follow_up_id, status=FollowUpStatus.COMPLETED,
        satisfaction_rating=rating, feedback=comment,
    )  # fmt: skip
    _record_review(follow_up, rating, comment)
    activity_create(
        customer_id=follow_up.customer_id, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        job_id=follow_up.job_id,
        content=f"Satisfaction survey for job #{follow_up.job_id}: {rating}/5."
        + (f" Comment: {comment}" if comment else ""),
    )  # fmt: skip
    return follow_up


def _record_review(follow_up: ServiceFollowUp, rating: int, comment: str) -> None:
    if Review.objects.filter(job_id=follow_up.job_id).exists():
        return
    try:
        review_create(job_id=follow_up.job_id, rating=rating, comment=comment)
    except ValidationFailed:  # the job was reopened meanwhile: the follow-up keeps the answer
        logger.info(
            "Job %s is not completed; survey answer kept without a review", follow_up.job_id
        )
