"""ServiceCRM's business settings, read from the environment: the company and its rules,
the LLM, and messaging. config/settings.py takes them all; every variable is in the README's
configuration table (LLM: docs/llm.md, messaging: docs/messaging.md)."""

from __future__ import annotations

from config.env import (
    env_bool,
    env_decimal,
    env_decimal_or_none,
    env_int,
    env_list,
    env_str,
    env_working_hours,
)

# Business settings.
COMPANY_NAME = env_str("COMPANY_NAME", "ServiceCRM Appliance Care")
COMPANY_COUNTRY = env_str("COMPANY_COUNTRY", "US")
COMPANY_SUBDIVISION = env_str("COMPANY_SUBDIVISION", "")
COMPANY_ADDRESS = env_str("COMPANY_ADDRESS", "")
# Where customers leave a public review (Google, Yelp); empty: review requests have no link.
# PUBLIC_REVIEW_URL (the name issue 14 gives it) wins over COMPANY_REVIEW_LINK when both are set.
COMPANY_REVIEW_LINK = env_str("PUBLIC_REVIEW_URL", "") or env_str("COMPANY_REVIEW_LINK", "")
# The arrival windows a visit is booked in, in TIME_ZONE.
COMPANY_ARRIVAL_WINDOWS = env_str(
    "COMPANY_ARRIVAL_WINDOWS", "08:00-10:00,10:00-12:00,12:00-14:00,14:00-16:00"
)
CURRENCY_SYMBOL = env_str("CURRENCY_SYMBOL", "$")
PROFIT_HIGH_MARGIN = env_decimal("PROFIT_HIGH_MARGIN", "0.45")
PROFIT_MODERATE_MARGIN = env_decimal("PROFIT_MODERATE_MARGIN", "0.10")
FOLLOWUP_DELAY_DAYS = env_int("FOLLOWUP_DELAY_DAYS", 2)
FOLLOWUP_NO_RESPONSE_DAYS = env_int("FOLLOWUP_NO_RESPONSE_DAYS", 7)
# Appointment reminders and review requests (issue 14).
APPOINTMENT_REMINDER_HOURS = env_int("APPOINTMENT_REMINDER_HOURS", 24)
APPOINTMENT_REPLY_DAYS = env_int("APPOINTMENT_REPLY_DAYS", 7)  # a reply "C"/"R" counts this long
REVIEW_REQUEST_MIN_RATING = env_int("REVIEW_REQUEST_MIN_RATING", 4)
REVIEW_REQUEST_INTERVAL_DAYS = env_int("REVIEW_REQUEST_INTERVAL_DAYS", 365)
# Office hours in TIME_ZONE (Today: inbound messages unanswered for 4 working hours).
COMPANY_WORKING_HOURS = env_working_hours("COMPANY_WORKING_HOURS", "Mon-Fri 08:00-18:00")

# LLM ---------------------------------------------------------------------------------------
# The AI features (crm/llm, crm/insights); every variable is described in docs/llm.md.
LLM_PROVIDER = env_str("LLM_PROVIDER", "offline")  # offline | openai | anthropic
LLM_BASE_URL = env_str("LLM_BASE_URL", "")  # empty: the SDK's official endpoint
LLM_API_KEY = env_str("LLM_API_KEY", "")
LLM_MODEL = env_str("LLM_MODEL", "")
LLM_TIMEOUT_S = env_decimal("LLM_TIMEOUT_S", "30")  # per read; the SDK retries timeouts
# The LLM_MODEL reads images: Read nameplate asks it first (issue 15; docs/nameplates.md).
LLM_READS_IMAGES = env_bool("LLM_READS_IMAGES", False)
LLM_MAX_RETRIES = env_int("LLM_MAX_RETRIES", 2)  # the SDK's own retries (429, 5xx, timeouts)
LLM_MAX_REQUESTS_PER_MINUTE = env_int("LLM_MAX_REQUESTS_PER_MINUTE", 30)  # all processes
LLM_MAX_CONCURRENT = env_int("LLM_MAX_CONCURRENT", 2)  # calls in flight per process
LLM_MONTHLY_BUDGET_USD = env_decimal("LLM_MONTHLY_BUDGET_USD", "20")  # 0: no limit
# USD per 1,000 tokens; unset: the shipped list price of LLM_MODEL (crm/llm/prices.py).
LLM_PRICE_INPUT_PER_1K = env_decimal_or_none("LLM_PRICE_INPUT_PER_1K")
LLM_PRICE_OUTPUT_PER_1K = env_decimal_or_none("LLM_PRICE_OUTPUT_PER_1K")
# end LLM -----------------------------------------------------------------------------------

# Messaging ---------------------------------------------------------------------------------
# The outbox, channels, webhooks, surveys and nightly sweeps (crm/messaging, crm/engagement);
# every variable is described in docs/messaging.md. A channel without credentials goes to the
# clearly labelled console channel, so the demo works end to end with none of them set.
WHATSAPP_API_BASE = env_str("WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = env_str("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_ACCESS_TOKEN = env_str("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_APP_SECRET = env_str("WHATSAPP_APP_SECRET", "")  # signs webhooks (X-Hub-Signature-256)
WHATSAPP_VERIFY_TOKEN = env_str("WHATSAPP_VERIFY_TOKEN", "")  # the GET handshake
WHATSAPP_TEMPLATE_NAME = env_str("WHATSAPP_TEMPLATE_NAME", "")  # outside the 24-hour window
WHATSAPP_TEMPLATE_LANGUAGE = env_str("WHATSAPP_TEMPLATE_LANGUAGE", "en_US")
TWILIO_API_BASE = env_str("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")  # also signs webhooks (X-Twilio-Signature)
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "")
MESSAGING_HTTP_TIMEOUT_S = env_int("MESSAGING_HTTP_TIMEOUT_S", 15)
# Nothing is sent between QUIET_HOURS_START and QUIET_HOURS_END in the customer's time zone
# (47 CFR 64.1200: 08:00-21:00); the customer's preferred contact times narrow it further.
QUIET_HOURS_START = env_str("QUIET_HOURS_START", "21:00")
QUIET_HOURS_END = env_str("QUIET_HOURS_END", "08:00")
MESSAGE_MAX_ATTEMPTS = env_int("MESSAGE_MAX_ATTEMPTS", 5)
MESSAGE_RETRY_BASE_S = env_int("MESSAGE_RETRY_BASE_S", 60)  # 1, 4, 16, 64 minutes
MESSAGE_SENDING_TIMEOUT_MIN = env_int("MESSAGE_SENDING_TIMEOUT_MIN", 15)  # then Unknown
MESSAGE_DISPATCH_BATCH = env_int("MESSAGE_DISPATCH_BATCH", 50)
MESSAGE_DISPATCH_PARALLEL = env_int("MESSAGE_DISPATCH_PARALLEL", 1)  # tasks per minute tick
# Provider limits per sending account, shared by all consumers (crm/messaging/throttle.py):
# a Twilio long code takes ~1 SMS a second, WhatsApp Cloud's default tier 80 messages.
SMS_MAX_PER_SECOND = env_int("SMS_MAX_PER_SECOND", 1)
WHATSAPP_MAX_PER_SECOND = env_int("WHATSAPP_MAX_PER_SECOND", 80)
EMAIL_MAX_PER_SECOND = env_int("EMAIL_MAX_PER_SECOND", 10)
SURVEY_LINK_MAX_AGE_DAYS = env_int("SURVEY_LINK_MAX_AGE_DAYS", 14)
# The customer portal (issue 14): how long a portal link works; the office can revoke it sooner.
PORTAL_LINK_DAYS = env_int("PORTAL_LINK_DAYS", 30)
GREETING_LEAD_DAYS = env_int("GREETING_LEAD_DAYS", 7)
GREETING_HOLIDAYS = env_list(
    "GREETING_HOLIDAYS", "New Year's Day,Independence Day,Thanksgiving Day,Christmas Day"
)
GREETING_PERSONAL_PER_RUN = env_int("GREETING_PERSONAL_PER_RUN", 200)  # the rest: fixed text
SWEEP_HOUR_UTC = env_int("SWEEP_HOUR_UTC", 7)  # nightly sweeps at 07:15 UTC (02:15 New York)
# end Messaging -----------------------------------------------------------------------------
