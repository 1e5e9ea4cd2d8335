"""The channel port: what the dispatcher hands a channel, what it gets back, how sends fail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


def _go_now() -> None:
    return None


@dataclass(frozen=True)
class Outbound:
    """One message ready for a channel; `free_text_allowed` is WhatsApp's 24-hour window;
    `unsubscribe_url` is set for marketing email. A provider channel calls `wait_turn` right
    before its request leaves (the provider's limit counts arrivals, so the turn is taken
    after everything slow, such as building the request); it may raise NotYourTurnError."""

    message_id: int
    to: str
    subject: str
    body: str
    free_text_allowed: bool = True
    template_name: str = ""
    template_params: list[str] = field(default_factory=list)
    unsubscribe_url: str = ""
    wait_turn: Callable[[], None] = _go_now


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message: its id, our status for it, who carried it, and a
    label for the timeline when it did not really reach the customer (console, local email)."""

    provider_message_id: str
    status: str
    carrier: str
    label: str = ""


class NotYourTurnError(Exception):
    """The provider's limit is taken until `until`: nothing was sent, come back then."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"Not before {until.isoformat()}")
        self.until = until


class SendError(Exception):
    """A send that did not succeed; the subclass says what the dispatcher may do next."""


class TransientSendError(SendError):
    """Nothing went out (connection refused, 429, 5xx): safe to retry later."""


class RateLimitedError(TransientSendError):
    """The provider refused for its rate limit (HTTP 429, WhatsApp 130429, Twilio 20429):
    nothing went out; pause the channel for `retry_after_s` and send again then."""

    def __init__(self, text: str, *, retry_after_s: float) -> None:
        super().__init__(text)
        self.retry_after_s = retry_after_s


class PermanentSendError(SendError):
    """The provider refused the message for good (bad number, no template): do not retry."""


class ConsentRevokedError(PermanentSendError):
    """The provider says the recipient opted out (Twilio 21610, WhatsApp 131050)."""


class UncertainSendError(SendError):
    """It may have gone out (timeout after the request was sent): never resend blindly."""


class Channel(Protocol):
    """An outside service that carries messages: email, WhatsApp Cloud, Twilio SMS, console."""

    carrier: str

    @property
    def throttle_account(self) -> str:
        """The provider account whose rate limit this channel shares; '' when nothing leaves
        the machine (console, local mail backends), which is not throttled."""
        ...

    def send(self, outbound: Outbound) -> SendResult: ...
