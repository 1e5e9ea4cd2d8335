"""Four consumers, each with its own database connection, share 1,000 due messages: exactly
1,000 sends, counted where they arrive (a local WhatsApp Cloud API). PostgreSQL only: it is
where several consumers run at once (SKIP LOCKED claiming); CI runs it with DATABASE_URL set
to PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.tests.factories import CustomerFactory
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.dispatch import DispatchReport, outbox_dispatch_due
from tests.fakes.messaging_providers import FakeWhatsAppCloud

pytestmark = pytest.mark.django_db(transaction=True)
MESSAGES = 1000
CONSUMERS = 4


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL (this run uses {connection.vendor}): set DATABASE_URL="
            "postgresql://... to test concurrent consumers; SQLite deployments run one consumer"
        )


@pytest.fixture
def whatsapp(settings) -> Iterator[FakeWhatsAppCloud]:  # type: ignore[no-untyped-def]
    with FakeWhatsAppCloud(version="v21.0", phone_number_id="1098765", access_token="t") as fake:
        settings.WHATSAPP_API_BASE = fake.api_base
        settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "1098765", "t"
        settings.WHATSAPP_TEMPLATE_NAME = "service_update"
        yield fake


@pytest.mark.usefixtures("postgres")
def test_four_consumers_send_1000_due_messages_exactly_once(whatsapp: FakeWhatsAppCloud) -> None:
    # given 1,000 due WhatsApp messages for 50 customers
    customers = CustomerFactory.create_batch(50)
    due = timezone.now()
    ScheduledMessage.objects.bulk_create(
        ScheduledMessage(
            customer=customers[i % 50],
            channel="WhatsApp",
            body=f"Message {i}",
            idempotency_key=f"once:{i}",
            send_at=due,
        )
        for i in range(MESSAGES)
    )
    start = threading.Barrier(CONSUMERS)
    reports: list[DispatchReport] = []

    def consumer() -> None:
        try:
            start.wait()
            reports.append(outbox_dispatch_due(batch_size=20))
        finally:
            connection.close()  # each thread had its own connection

    # when four consumers start at the same moment
    threads = [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the provider received every message once, and only once
    arrived = Counter(r.json()["biz_opaque_callback_data"] for r in whatsapp.requests)
    assert whatsapp.problems == []
    assert len(arrived) == MESSAGES
    assert set(arrived.values()) == {1}
    assert len(reports) == CONSUMERS
    assert sum(r.claimed for r in reports) == sum(r.sent for r in reports) == MESSAGES
    assert all(r.claimed > 0 for r in reports), "every consumer took a share"
    assert (
        ScheduledMessage.objects.filter(status=MessageStatus.SENT, attempts=1).count() == MESSAGES
    )
    assert ScheduledMessage.objects.values("provider_message_id").distinct().count() == MESSAGES
    assert Activity.objects.filter(direction="Outbound").count() == MESSAGES
    sends = MessageEvent.objects.filter(to_status=MessageStatus.SENT)
    assert sends.count() == sends.values("message_id").distinct().count() == MESSAGES
