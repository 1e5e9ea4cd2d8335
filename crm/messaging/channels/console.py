"""The console channel: for channels without credentials. It sends nothing, says so loudly,
and records the message as delivered so the demo works end to end."""

from __future__ import annotations

import logging
import uuid

from crm.messaging.channels.base import Outbound, SendResult
from crm.messaging.models import MessageStatus

logger = logging.getLogger("crm.messaging.console")
CONSOLE_CARRIER = "console"
CONSOLE_LABEL = "CONSOLE CHANNEL - NOT SENT TO THE CUSTOMER"


class ConsoleChannel:
    """Logs the message with a clear label; nothing leaves the machine."""

    carrier = CONSOLE_CARRIER
    throttle_account = ""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, outbound: Outbound) -> SendResult:
        logger.info(
            "[%s] %s message #%s to %s: %s",
            CONSOLE_LABEL, self.channel, outbound.message_id, outbound.to, outbound.body[:200],
        )  # fmt: skip
        return SendResult(
            f"console-{uuid.uuid4().hex}", MessageStatus.DELIVERED, self.carrier, CONSOLE_LABEL
        )
