"""WhatsApp Cloud API: POST {WHATSAPP_API_BASE}/{phone number id}/messages with a bearer token.

Free text only inside the customer's 24-hour service window; outside it an approved template
whose body takes the message as parameters. Our outbox id travels as biz_opaque_callback_data
and comes back in status webhooks.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings

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

# The account's throughput (130429), the app's or the business account's call rate (4, 80007):
# pause the channel. Spam (131048) and per-recipient pair (131056) limits: retry later.
CHANNEL_RATE_LIMIT_CODES = {4, 80007, 130429}
RATE_LIMIT_CODES = {131048, 131056}
OPTED_OUT_CODES = {131050}  # the user stopped marketing messages
TEMPLATE_PARAM_MAX = 1024


def whatsapp_configured() -> bool:
    return bool(settings.WHATSAPP_PHONE_NUMBER_ID and settings.WHATSAPP_ACCESS_TOKEN)


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _param(value: object) -> str:
    """Template parameters may not hold newlines, tabs or runs of spaces: one line of text."""
    return " ".join(str(value).split())[:TEMPLATE_PARAM_MAX]


def message_payload(outbound: Outbound) -> dict[str, Any]:
    """The Cloud API body: text inside the 24-hour window, else the approved template."""
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": _digits(outbound.to),
        "biz_opaque_callback_data": str(outbound.message_id),
    }
    if outbound.free_text_allowed:
        payload |= {"type": "text", "text": {"preview_url": False, "body": outbound.body}}
        return payload
    name = outbound.template_name or settings.WHATSAPP_TEMPLATE_NAME
    if not name:
        raise PermanentSendError(
            "Outside WhatsApp's 24-hour window free text is not allowed and no approved "
            "template is set (WHATSAPP_TEMPLATE_NAME or the message's template)."
        )
    params = outbound.template_params or [outbound.body]
    payload |= {
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": settings.WHATSAPP_TEMPLATE_LANGUAGE},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": _param(p)} for p in params],
                }
            ],
        },
    }
    return payload


def _refusal(answer: HttpAnswer) -> Exception:
    error = answer.body.get("error") or {}
    code = error.get("code") if isinstance(error, dict) else None
    text = f"WhatsApp {answer.status} (code {code}): {str(error.get('message', answer.body))[:300]}"
    if answer.status == 429 or code in CHANNEL_RATE_LIMIT_CODES:
        return RateLimitedError(text, retry_after_s=answer.retry_after_s)
    if answer.status >= 500 or code in RATE_LIMIT_CODES:
        return TransientSendError(text)
    if code in OPTED_OUT_CODES:
        return ConsentRevokedError(text)
    return PermanentSendError(text)


class WhatsAppCloudChannel:
    """The WhatsApp Business Cloud API."""

    carrier = "whatsapp-cloud"

    @property
    def throttle_account(self) -> str:
        return str(settings.WHATSAPP_PHONE_NUMBER_ID)

    def send(self, outbound: Outbound) -> SendResult:
        url = (
            f"{settings.WHATSAPP_API_BASE.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        )
        answer = http_post(
            url,
            data=json.dumps(message_payload(outbound)).encode(),
            headers={
                "Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}",
                "Content-Type": "application/json",
            },
            timeout_s=settings.MESSAGING_HTTP_TIMEOUT_S,
            before=outbound.wait_turn,
        )
        messages = answer.body.get("messages") or []
        if answer.status == 200 and messages and messages[0].get("id"):
            return SendResult(str(messages[0]["id"]), MessageStatus.SENT, self.carrier)
        raise _refusal(answer)
