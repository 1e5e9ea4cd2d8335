"""The marketing frequency cap holds with any number of consumers: two consumers, each with
its own PostgreSQL connection, claim one marketing message each for the same customer in the
same instant; one is sent, the other deferred by the cap."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from crm.customers.tests.factories import ContactConsentFactory, CustomerFactory
from crm.messaging.models import EventKind, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.services.dispatch import DispatchReport, outbox_dispatch_due

pytestmark = pytest.mark.django_db(transaction=True)
CONSUMERS = 2


@pytest.fixture(autouse=True)
def _postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent consumers need PostgreSQL (SQLite runs one consumer)")


@pytest.mark.parametrize("round_", range(3))
def test_two_consumers_send_one_marketing_message_and_defer_the_other(round_: int) -> None:
    # given a customer who opted in to marketing (Moderate: 14 days apart) and two greetings
    customer = CustomerFactory(communication_frequency_preference="Moderate")
    ContactConsentFactory(customer=customer, channel="WhatsApp", marketing_opt_in=True)
    for n in range(CONSUMERS):
        ScheduledMessage.objects.create(
            customer=customer, channel="WhatsApp", purpose=Purpose.MARKETING,
            body=f"Happy holidays {n}", idempotency_key=f"cap:{round_}:{n}",
            send_at=timezone.now(),
        )  # fmt: skip
    start = threading.Barrier(CONSUMERS)
    reports: list[DispatchReport] = []

    def consumer() -> None:
        try:
            start.wait()
            reports.append(outbox_dispatch_due(batch_size=1))
        finally:
            connection.close()

    # when two consumers claim one each at the same moment
    threads = [threading.Thread(target=consumer) for _ in range(CONSUMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then both were claimed, one went out and the other waits for the cap
    assert sorted(r.claimed for r in reports) == [1, 1]
    assert (sum(r.sent for r in reports), sum(r.deferred for r in reports)) == (1, 1)
    statuses = sorted(ScheduledMessage.objects.values_list("status", flat=True))
    assert statuses == [MessageStatus.DELIVERED, MessageStatus.SCHEDULED]
    waiting = ScheduledMessage.objects.get(status=MessageStatus.SCHEDULED)
    assert waiting.send_at > timezone.now() + timezone.timedelta(days=13)
    deferred = waiting.events.get(kind=EventKind.DEFERRED)
    assert deferred.detail.startswith("Frequency preference Moderate: last marketing message ")
