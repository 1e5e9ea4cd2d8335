"""System checks (`manage.py check`, run at start-up): messaging settings that would fail late."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from crm.messaging.channels.email import email_backend_name
from crm.messaging.channels.twilio import twilio_configured
from crm.messaging.channels.whatsapp import whatsapp_configured

CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _clock_errors() -> list[CheckMessage]:
    return [
        Error(
            f"{name} must be HH:MM (24-hour), got {getattr(settings, name)!r}.",
            id=f"messaging.E00{i}",
        )
        for i, name in enumerate(("QUIET_HOURS_START", "QUIET_HOURS_END"), start=1)
        if not CLOCK.fullmatch(str(getattr(settings, name)))
    ]


def _partial(names: tuple[str, ...], channel: str, check_id: str) -> list[CheckMessage]:
    given = [name for name in names if getattr(settings, name)]
    if not given or len(given) == len(names):
        return []
    missing = ", ".join(name for name in names if not getattr(settings, name))
    return [
        Warning(
            f"{channel} is partly configured (missing {missing}): its messages go to the "
            "console channel, which sends nothing.",
            id=check_id,
        )
    ]


def _webhook_secrets() -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    if settings.WHATSAPP_ACCESS_TOKEN and not settings.WHATSAPP_APP_SECRET:
        problems.append(
            Warning(
                "WHATSAPP_APP_SECRET is empty: /webhooks/whatsapp refuses every delivery "
                "report and inbound message.",
                id="messaging.W003",
            )
        )
    if not str(settings.PUBLIC_BASE_URL).startswith(("https://", "http://")):
        problems.append(
            Error("PUBLIC_BASE_URL must start with https:// or http://.", id="messaging.E003")
        )
    return problems


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (a name, not a bind)


def _public_base_url() -> list[CheckMessage]:
    """Customers open survey and unsubscribe links and providers call back on PUBLIC_BASE_URL:
    with a real channel, a local address would send customers links that lead nowhere."""
    real = [
        name
        for name, configured in (
            ("e-mail (SMTP)", email_backend_name() == "smtp"),
            ("WhatsApp", whatsapp_configured()),
            ("SMS (Twilio)", twilio_configured()),
        )
        if configured
    ]
    host = (urlsplit(str(settings.PUBLIC_BASE_URL)).hostname or "").lower()
    if not real or not (host in LOCAL_HOSTS or host.startswith("127.")):
        return []
    return [
        Error(
            f"PUBLIC_BASE_URL ({settings.PUBLIC_BASE_URL}) points at this machine while "
            f"{', '.join(real)} really sends: customers' survey and unsubscribe links and the "
            "providers' callbacks would lead nowhere. Set it to the public https:// address.",
            id="messaging.E004",
        )
    ]


@register()
def messaging_settings_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Quiet hours parse, channels are wholly configured or not at all, webhooks can verify."""
    return [
        *_clock_errors(),
        *_partial(
            ("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_ACCESS_TOKEN"), "WhatsApp", "messaging.W001"
        ),
        *_partial(
            ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER"),
            "Twilio SMS",
            "messaging.W002",
        ),
        *_webhook_secrets(),
        *_public_base_url(),
    ]
