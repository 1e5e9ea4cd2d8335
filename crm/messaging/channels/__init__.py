"""Message channels behind one port (base.Channel); `channel_for` picks the adapter."""

from __future__ import annotations

from django.conf import settings

from crm.customers.models import MessageChannel
from crm.messaging.channels.base import Channel
from crm.messaging.channels.console import ConsoleChannel
from crm.messaging.channels.email import EmailChannel, email_backend_name
from crm.messaging.channels.twilio import TwilioSmsChannel, twilio_configured
from crm.messaging.channels.whatsapp import WhatsAppCloudChannel, whatsapp_configured


def channel_for(channel: str) -> Channel:
    """Email always goes through Django's mail backend; WhatsApp and SMS through their
    providers when configured, else through the labelled console channel."""
    if channel == MessageChannel.EMAIL:
        return EmailChannel()
    if channel == MessageChannel.WHATSAPP and whatsapp_configured():
        return WhatsAppCloudChannel()
    if channel == MessageChannel.SMS and twilio_configured():
        return TwilioSmsChannel()
    return ConsoleChannel(channel)


# E-mail backends that keep mail on this machine: nothing reaches a customer through them.
LOCAL_EMAIL_BACKENDS = frozenset({"filebased", "console", "locmem", "dummy"})


def channels_connected() -> dict[str, bool]:
    """Which channels reach customers for real ("E-mail", "WhatsApp", "SMS"), as the
    environment configures them (EMAIL_HOST, WHATSAPP_*, TWILIO_*); no query."""
    return {
        "E-mail": email_backend_name() not in LOCAL_EMAIL_BACKENDS,
        "WhatsApp": whatsapp_configured(),
        "SMS": twilio_configured(),
    }


def channels_report() -> list[str]:
    """One line per channel: the real provider it uses, or that it only writes to the console."""
    backend = email_backend_name()
    if backend == "smtp":
        email = f"SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    elif backend == "filebased":
        email = f"files in {settings.EMAIL_FILE_PATH} (nothing is sent; set EMAIL_HOST)"
    else:
        email = f"Django's {backend} mail backend ({settings.EMAIL_BACKEND})"
    whatsapp = (
        f"WhatsApp Cloud API, phone number id {settings.WHATSAPP_PHONE_NUMBER_ID}"
        if whatsapp_configured()
        else "console (nothing is sent; set WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN)"
    )
    sms = (
        f"Twilio, from {settings.TWILIO_FROM_NUMBER}"
        if twilio_configured()
        else "console (nothing is sent; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
        "TWILIO_FROM_NUMBER)"
    )
    return [f"E-mail: {email}", f"WhatsApp: {whatsapp}", f"SMS: {sms}"]
