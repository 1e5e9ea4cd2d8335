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
    assert ids == ["messaging.E002", "messaging.W002", "messaging.W003", "messaging.E004"]


def test_a_local_public_base_url_is_refused_once_a_real_channel_sends(settings) -> None:  # type: ignore[no-untyped-def]
    # given SMTP really sending and the default local address
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    # when / then
    messages = messaging_settings_check(None)
    assert [message.id for message in messages] == ["messaging.E004"]
    assert "e-mail (SMTP)" in messages[0].msg
    # a public address is fine
    settings.PUBLIC_BASE_URL = "https://crm.example.com"
    assert messaging_settings_check(None) == []


def test_a_local_public_base_url_is_fine_while_every_channel_is_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    assert messaging_settings_check(None) == []
