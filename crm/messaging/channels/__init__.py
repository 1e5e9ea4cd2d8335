"""Message channels behind one port (base.Channel); `channel_for` picks the adapter."""

from __future__ import annotations

from crm.customers.models import MessageChannel
from crm.messaging.channels.base import Channel
from crm.messaging.channels.console import ConsoleChannel
from crm.messaging.channels.email import EmailChannel
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
