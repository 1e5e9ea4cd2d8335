"""Engagement's answers to what lower apps tell it by signal (they cannot import it)."""

from __future__ import annotations

from typing import Any

from crm.engagement.services.appointment_replies import appointment_reply_apply


def inbound_message_answer(*, customer_id: int, channel: str, text: str, **_: Any) -> None:
    """An inbound WhatsApp / SMS may answer an appointment reminder ("C" confirms, "R" asks
    to reschedule)."""
    appointment_reply_apply(customer_id=customer_id, channel=channel, text=text)
