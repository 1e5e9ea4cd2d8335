"""Review requests: a 4 or 5 on the survey asks for a public review (Marketing, opt-in needed,
next allowed hour), once per customer per interval; low answers never get the public link."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.core.company import company
from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.engagement.models import Reminder
from crm.engagement.services.review_requests import review_request_schedule
from crm.engagement.services.surveys import survey_answer_and_follow_up
from crm.jobs.tests.factories import JobFactory
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.services.surveys import survey_token
from crm.reviews.models import FollowUpStatus, ServiceFollowUp
from crm.reviews.tests.factories import ServiceFollowUpFactory

pytestmark = pytest.mark.django_db
LINK = "https://g.page/r/our-company/review"


@pytest.fixture(autouse=True)
def _review_link(settings):  # type: ignore[no-untyped-def]
    settings.COMPANY_REVIEW_LINK = LINK
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"


def _follow_up(*, opted_in: bool = True, **customer: object) -> ServiceFollowUp:
    person = CustomerFactory(name="Maria Lopez", preferred_contact_method="WhatsApp", **customer)
    ContactConsentFactory(customer=person, channel="WhatsApp", marketing_opt_in=opted_in)
    follow_up: ServiceFollowUp = ServiceFollowUpFactory(
        job=JobFactory(customer=person, completed=True)
    )
    return follow_up


def _answer(follow_up: ServiceFollowUp, rating: int) -> None:
    token = survey_token(follow_up_id=follow_up.pk)
    survey_answer_and_follow_up(token=token, rating=rating, comment="")


def _requests() -> list[ScheduledMessage]:
    return list(ScheduledMessage.objects.filter(source=MessageSource.REVIEW_REQUEST))


@pytest.mark.parametrize("rating", [4, 5])
def test_a_good_answer_schedules_a_marketing_review_request_for_the_next_hour(rating: int) -> None:
    # given a customer who opted in to marketing on WhatsApp
    follow_up = _follow_up()
    before = timezone.now()
    # when they answer the survey with a good rating
    _answer(follow_up, rating)
    # then one Marketing request with the link, at the next full hour
    [message] = _requests()
    assert (message.purpose, message.channel, message.status) == (
        Purpose.MARKETING, "WhatsApp", MessageStatus.SCHEDULED,
    )  # fmt: skip
    assert message.body == (
        f"Thank you for rating us {rating}/5, Maria! If you have a minute, a public review "
        f"helps your neighbors find {company().name}: {LINK}"
    )
    next_hour = before.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    assert message.send_at == next_hour
    # and the timeline shows it was asked
    assert Activity.objects.filter(
        customer=follow_up.customer, content__startswith="Asked for a public review"
    ).exists()


@pytest.mark.parametrize("rating", [1, 2, 3])
def test_a_low_answer_never_gets_the_public_link(rating: int) -> None:
    follow_up = _follow_up()

    _answer(follow_up, rating)

    assert _requests() == []
    assert not ScheduledMessage.objects.filter(body__contains=LINK).exists()
    assert Reminder.objects.filter(customer=follow_up.customer).exists() == (rating <= 2)


def test_no_request_without_a_review_link_or_without_the_opt_in(settings) -> None:  # type: ignore[no-untyped-def]
    _answer(_follow_up(opted_in=False), 5)
    settings.COMPANY_REVIEW_LINK = ""
    _answer(_follow_up(), 5)

    assert _requests() == []
    assert not Activity.objects.filter(content__startswith="Asked for a public review").exists()


def test_once_per_customer_per_interval(settings) -> None:  # type: ignore[no-untyped-def]
    # given a customer asked once after a 5
    settings.REVIEW_REQUEST_INTERVAL_DAYS = 365
    first = _follow_up()
    first.status, first.satisfaction_rating = FollowUpStatus.COMPLETED, 5
    now = timezone.now()
    assert review_request_schedule(follow_up=first, now=now) is not None
    # when they give another 5 two months later, then again thirteen months later
    second = ServiceFollowUpFactory(
        job=JobFactory(customer=first.customer, completed=True), satisfaction_rating=5,
        status=FollowUpStatus.COMPLETED,
    )  # fmt: skip
    soon = review_request_schedule(follow_up=second, now=now + dt.timedelta(days=60))
    late = review_request_schedule(follow_up=second, now=now + dt.timedelta(days=400))
    # then the second answer is not asked again, the one a year later is
    assert soon is None
    assert late is not None
    assert len(_requests()) == 2


def test_a_spanish_speaker_is_asked_in_spanish() -> None:
    follow_up = _follow_up(language_preference="es")

    _answer(follow_up, 5)

    assert _requests()[0].body.startswith("¡Gracias por calificarnos con 5/5, Maria!")


@pytest.mark.parametrize(
    ("env", "link"),
    [
        ({"PUBLIC_REVIEW_URL": "https://a.example", "COMPANY_REVIEW_LINK": "https://b.example"},
         "https://a.example"),
        ({"COMPANY_REVIEW_LINK": "https://b.example"}, "https://b.example"),
    ],
)  # fmt: skip
def test_public_review_url_is_the_review_link_and_wins(env: dict[str, str], link: str) -> None:
    # the settings module reads the environment once, at start: read it in a fresh process
    script = "from django.conf import settings; print(settings.COMPANY_REVIEW_LINK)"
    names = ("PUBLIC_REVIEW_URL", "COMPANY_REVIEW_LINK")
    clean = {name: value for name, value in os.environ.items() if name not in names}
    started = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=clean | env | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert started.stdout.strip() == link
