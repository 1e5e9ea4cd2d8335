"""What messaging tells the apps above it (engagement) without importing them.

`inbound_message_stored`: a customer's inbound WhatsApp or SMS was stored on their timeline (sent
inside the webhook's transaction, once per message; never for STOP / START, which are consent
keywords and nothing else). Keyword arguments: customer_id, channel, text, activity_id.
"""

from __future__ import annotations

from django.dispatch import Signal

inbound_message_stored = Signal()
