"""Twilio SMS: POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json, basic auth,
with a StatusCallback under PUBLIC_BASE_URL that carries our outbox id."""

from __future__ import annotations

import base64
import urllib.parse

from django.conf import settings
from django.urls import reverse

from crm.messaging.channels.base import (
    ConsentRevokedError,
    Outbound,
    PermanentSendError,
    RateLimitedError,
    SendResult,
    TransientSendError,
)
from crm.messaging.channels.http import HttpAnswer, http_post
from crm.messaging.models import MessageStatus

OPTED_OUT_CODES = {21610, 63014}  # unsubscribed recipient; blocked by the user
RATE_LIMIT_CODE = 20429
SMS_BODY_MAX = 1600


def twilio_configured() -> bool:
    return bool(
        settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN and settings.TWILIO_FROM_NUMBER
    )


def status_callback_url(message_id: int) -> str:
    """Where Twilio reports delivery; the same URL the signature check rebuilds."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{reverse('twilio-status')}?outbox={message_id}"


def _refusal(answer: HttpAnswer) -> Exception:
    code = answer.body.get("code")
    text = f"Twilio {answer.status} (code {code}): {str(answer.body.get('message', ''))[:300]}"
    if answer.status == 429 or code == RATE_LIMIT_CODE:
        return RateLimitedError(text, retry_after_s=answer.retry_after_s)
    if answer.status >= 500:
        return TransientSendError(text)
    if code in OPTED_OUT_CODES:
        return ConsentRevokedError(text)
    return PermanentSendError(text)


class TwilioSmsChannel:
    """Twilio's Messages REST API."""

    carrier = "twilio"

    @property
    def throttle_account(self) -> str:
        return f"{settings.TWILIO_ACCOUNT_SID}:{settings.TWILIO_FROM_NUMBER}"

    def send(self, outbound: Outbound) -> SendResult:
        sid = settings.TWILIO_ACCOUNT_SID
        url = f"{settings.TWILIO_API_BASE.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        auth = base64.b64encode(f"{sid}:{settings.TWILIO_AUTH_TOKEN}".encode()).decode()
        form = {
            "To": outbound.to,
            "From": settings.TWILIO_FROM_NUMBER,
            "Body": outbound.body[:SMS_BODY_MAX],
            "StatusCallback": status_callback_url(outbound.message_id),
        }
        answer = http_post(
            url,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Authorization": f"Basic {auth}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            timeout_s=settings.MESSAGING_HTTP_TIMEOUT_S,
            before=outbound.wait_turn,
        )
        if answer.status in (200, 201) and answer.body.get("sid"):
            return SendResult(str(answer.body["sid"]), MessageStatus.SENT, self.carrier)
        raise _refusal(answer)
