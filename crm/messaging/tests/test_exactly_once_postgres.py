"""Four consumers, each with its own database connection, share 1,000 due messages: exactly
1,000 sends. PostgreSQL only: it is where several consumers run (SKIP LOCKED claiming)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.tests.factories import CustomerFactory
from crm.messaging.channels.base import Outbound, SendResult
from crm.messaging.models import MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services import dispatch
from crm.messaging.services.dispatch import DispatchReport, outbox_dispatch_due

pytestmark = pytest.mark.django_db(transaction=True)
MESSAGES = 1000
CONSUMERS = 4


class RecordingChannel:
    carrier = "recording"

    def __init__(self) -> None:
        self.sent: list[int] = []
        self.lock = threading.Lock()

    def send(self, outbound: Outbound) -> SendResult:
        with self.lock:
            self.sent.append(outbound.message_id)
        return SendResult(f"rec-{outbound.message_id}", MessageStatus.SENT, self.carrier)


@pytest.fixture
def postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("exactly-once claiming across consumers is tested on PostgreSQL")


@pytest.mark.usefixtures("postgres")
def test_four_consumers_send_1000_due_messages_exactly_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given 1,000 due messages for 50 customers
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
    channel = RecordingChannel()
    monkeypatch.setattr(dispatch, "channel_for", lambda name: channel)
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

    # then every message was sent once, and only once
    assert len(reports) == CONSUMERS
    assert len(channel.sent) == MESSAGES
    assert max(Counter(channel.sent).values()) == 1
    assert sum(r.claimed for r in reports) == MESSAGES
    assert (
        ScheduledMessage.objects.filter(status=MessageStatus.SENT, attempts=1).count() == MESSAGES
    )
    assert Activity.objects.filter(direction="Outbound").count() == MESSAGES
    sends = MessageEvent.objects.filter(to_status=MessageStatus.SENT)
    assert sends.count() == sends.values("message_id").distinct().count() == MESSAGES
