"""Provider limits: local fakes of WhatsApp Cloud and Twilio count arrivals per second and
answer 429 above their limit; the dispatcher keeps under it, shared by every consumer, and a
429 pauses the channel without failing anything or counting an attempt."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection
from django.utils import timezone

from crm.customers.tests.factories import CustomerFactory
from crm.messaging.models import ScheduledMessage
from crm.messaging.services.dispatch import DispatchReport, outbox_dispatch_due
from tests.fakes.messaging_providers import FakeTwilio, FakeWhatsAppCloud

PUBLIC = "https://crm.example.com"


@pytest.fixture
def whatsapp(settings) -> Iterator[FakeWhatsAppCloud]:  # type: ignore[no-untyped-def]
    with FakeWhatsAppCloud(
        version="v21.0", phone_number_id="1098765", access_token="t", limit_per_second=5
    ) as fake:
        settings.WHATSAPP_API_BASE = fake.api_base
        settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "1098765", "t"
        settings.WHATSAPP_TEMPLATE_NAME = "service_update"
        settings.WHATSAPP_MAX_PER_SECOND = 5
        yield fake


@pytest.fixture
def twilio(settings) -> Iterator[FakeTwilio]:  # type: ignore[no-untyped-def]
    settings.PUBLIC_BASE_URL = PUBLIC
    with FakeTwilio(
        account_sid="AC1", auth_token="tw", callback_prefix=PUBLIC, limit_per_second=1
    ) as fake:
        settings.TWILIO_API_BASE = fake.base_url
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = "AC1", "tw"
        settings.TWILIO_FROM_NUMBER = "+13055550199"
        yield fake


def _due(count: int, channel: str) -> None:
    customers = CustomerFactory.create_batch(min(count, 10))
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(
            customer=customers[i % len(customers)],
            channel=channel,
            body=f"Message {i}",
            idempotency_key=f"limit:{channel}:{i}",
            send_at=timezone.now(),
        )
        for i in range(count)
    )


def _statuses() -> dict[str, int]:
    """How many messages end in each status with how many attempts ("Sent/1": 12)."""
    rows = ScheduledMessage.objects.values_list("status", "attempts")
    return dict(Counter(f"{status}/{attempts}" for status, attempts in rows))


@pytest.mark.django_db
def test_whatsapp_drains_at_its_limit_with_no_arrival_over_it(
    whatsapp: FakeWhatsAppCloud,
) -> None:
    # given 12 due messages and a provider that takes 5 a second
    _due(12, "WhatsApp")
    # when one consumer dispatches
    report = outbox_dispatch_due()
    # then all went out, none above the limit, none failed, one attempt each
    assert (whatsapp.over_limit, whatsapp.problems) == (0, [])
    assert whatsapp.busiest_second <= 5
    assert len(whatsapp.requests) == 12
    assert report.sent == 12
    assert _statuses() == {"Sent/1": 12}


@pytest.mark.django_db
def test_sms_keeps_to_one_a_second(twilio: FakeTwilio) -> None:
    # given 3 due text messages and Twilio's long-code rate (1 a second)
    _due(3, "SMS")
    # when
    outbox_dispatch_due()
    # then
    assert (twilio.over_limit, twilio.busiest_second, len(twilio.requests)) == (0, 1, 3)
    assert _statuses() == {"Sent/1": 3}


@pytest.mark.django_db
def test_a_provider_429_pauses_the_channel_and_fails_nothing(
    settings,  # type: ignore[no-untyped-def]
    whatsapp: FakeWhatsAppCloud,
) -> None:
    # given we believe the limit is 20 a second but the provider takes only 5
    settings.WHATSAPP_MAX_PER_SECOND = 20
    _due(15, "WhatsApp")
    # when
    report = outbox_dispatch_due()
    # then the provider refused some (429, Retry-After 1) and every message still went, once
    assert whatsapp.over_limit > 0
    assert report.throttled >= whatsapp.over_limit
    accepted = sorted(int(a.outbox_id) for a in whatsapp.accepted)
    assert accepted == sorted(ScheduledMessage.objects.values_list("pk", flat=True))
    assert _statuses() == {"Sent/1": 15}


@pytest.fixture(params=["database", "redis"])
def shared_state(request: pytest.FixtureRequest, settings) -> str:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("several consumers at once need PostgreSQL (SQLite runs one consumer)")
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("set REDIS_URL to test the Redis throttle")
        settings.REDIS_URL = os.environ["REDIS_URL"]
    else:
        settings.REDIS_URL = ""
    return str(request.param)


@pytest.mark.django_db(transaction=True)
def test_four_consumers_share_the_limit(shared_state: str, whatsapp: FakeWhatsAppCloud) -> None:
    # given 30 due messages, a provider that takes 5 a second, and four consumers
    _due(30, "WhatsApp")
    start = threading.Barrier(4)
    reports: list[DispatchReport] = []

    def consumer() -> None:
        try:
            start.wait()
            reports.append(outbox_dispatch_due(batch_size=5))
        finally:
            connection.close()

    # when they dispatch at once
    threads = [threading.Thread(target=consumer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then together they stayed under the provider's limit and sent everything once
    assert (whatsapp.over_limit, whatsapp.problems) == (0, [])
    assert whatsapp.busiest_second <= 5
    assert sum(r.sent for r in reports) == len(whatsapp.requests) == 30
    assert _statuses() == {"Sent/1": 30}
