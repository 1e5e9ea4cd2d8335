"""The channel port: what the dispatcher hands a channel, what it gets back, how sends fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Outbound:
    """One message ready for a channel; `free_text_allowed` is WhatsApp's 24-hour window;
    `unsubscribe_url` is set for marketing email."""

    message_id: int
    to: str
    subject: str
    body: str
    free_text_allowed: bool = True
    template_name: str = ""
    template_params: list[str] = field(default_factory=list)
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message: its id, our status for it, who carried it, and a
    label for the timeline when it did not really reach the customer (console, local email)."""

    provider_message_id: str
    status: str
    carrier: str
    label: str = ""


class SendError(Exception):
    """A send that did not succeed; the subclass says what the dispatcher may do next."""


class TransientSendError(SendError):
    """Nothing went out (connection refused, 429, 5xx): safe to retry later."""


class PermanentSendError(SendError):
    """The provider refused the message for good (bad number, no template): do not retry."""


class ConsentRevokedError(PermanentSendError):
    """The provider says the recipient opted out (Twilio 21610, WhatsApp 131050)."""


class UncertainSendError(SendError):
    """It may have gone out (timeout after the request was sent): never resend blindly."""


class Channel(Protocol):
    """An outside service that carries messages: email, WhatsApp Cloud, Twilio SMS, console."""

    carrier: str

    def send(self, outbound: Outbound) -> SendResult: ...
