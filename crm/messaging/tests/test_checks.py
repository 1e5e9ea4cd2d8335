"""Start-up checks catch messaging settings that would otherwise fail at send time."""

from __future__ import annotations

from crm.messaging.checks import messaging_settings_check


def test_defaults_pass() -> None:
    assert messaging_settings_check(None) == []


def test_bad_clock_partial_channels_and_missing_secret_are_reported(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QUIET_HOURS_END = "8am"
    settings.WHATSAPP_PHONE_NUMBER_ID, settings.WHATSAPP_ACCESS_TOKEN = "1098765", "token"
    settings.WHATSAPP_APP_SECRET = ""
    settings.TWILIO_ACCOUNT_SID = "AC1"
    ids = [message.id for message in messaging_settings_check(None)]
    assert ids == ["messaging.E002", "messaging.W002", "messaging.W003"]
