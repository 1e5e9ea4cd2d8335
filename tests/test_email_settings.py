"""E-mail settings as a new user sets them: EMAIL_HOST alone means SMTP, and the start says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crm.core.management.commands.serve import startup_report
from crm.messaging.channels import channels_report
from tests.fakes.messaging_providers import smtp_server

ROOT = Path(__file__).resolve().parents[1]
SEND = (
    "from django.core.mail import send_mail; "
    "send_mail('Hello', 'It works.', 'service@example.com', ['maria@example.com'])"
)


def _manage(var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(var_dir),
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def test_email_host_alone_sends_through_that_smtp_server(tmp_path: Path) -> None:
    # given only EMAIL_HOST and EMAIL_PORT, as a new user sets them
    with smtp_server() as (server, port):
        # when
        _manage(tmp_path, "shell", "-c", SEND, EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port))
        received = list(server.messages)
    # then the SMTP server heard from us and nothing went to files
    assert [envelope.rcpt_tos for envelope in received] == [["maria@example.com"]]
    assert not (tmp_path / "sent-email").exists()


def test_without_email_host_mail_is_kept_in_files(tmp_path: Path) -> None:
    _manage(tmp_path, "shell", "-c", SEND)
    assert len(list((tmp_path / "sent-email").iterdir())) == 1


def test_an_explicit_email_backend_still_wins(tmp_path: Path) -> None:
    backend = "django.core.mail.backends.filebased.EmailBackend"
    _manage(tmp_path, "shell", "-c", SEND, EMAIL_HOST="127.0.0.1", EMAIL_BACKEND=backend)
    assert len(list((tmp_path / "sent-email").iterdir())) == 1


def test_the_start_names_the_console_channels_when_nothing_is_configured(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/srv/crm/var/sent-email"
    settings.WHATSAPP_PHONE_NUMBER_ID = ""
    settings.TWILIO_ACCOUNT_SID = ""
    assert startup_report() == [
        "E-mail: files in /srv/crm/var/sent-email (nothing is sent; set EMAIL_HOST)",
        "WhatsApp: console (nothing is sent; set WHATSAPP_PHONE_NUMBER_ID and "
        "WHATSAPP_ACCESS_TOKEN)",
        "SMS: console (nothing is sent; set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and "
        "TWILIO_FROM_NUMBER)",
    ]


def test_the_start_names_the_real_channels(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "smtp.example.com", 587
    settings.WHATSAPP_PHONE_NUMBER_ID = "1055"
    settings.WHATSAPP_ACCESS_TOKEN = "token"
    settings.TWILIO_ACCOUNT_SID = "AC1"
    settings.TWILIO_AUTH_TOKEN = "auth"
    settings.TWILIO_FROM_NUMBER = "+13055550100"
    assert channels_report() == [
        "E-mail: SMTP server smtp.example.com:587",
        "WhatsApp: WhatsApp Cloud API, phone number id 1055",
        "SMS: Twilio, from +13055550100",
    ]
