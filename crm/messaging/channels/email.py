"""Email through Django's mail backend: SMTP in production, a file (var/sent-email) by default.

A backend that keeps the email on this machine (file, console, memory, dummy) is the email
twin of the console channel: the message is recorded as Delivered with a label saying it did
not reach the customer, so the demo shows the whole life of a message."""

from __future__ import annotations

import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from crm.core.company import company
from crm.messaging.channels.base import (
    Outbound,
    PermanentSendError,
    SendResult,
    TransientSendError,
    UncertainSendError,
)
from crm.messaging.models import MessageStatus

SMTP_TRANSIENT = 400  # 4xx SMTP replies are "try again later"
LOCAL_BACKENDS = {"filebased", "console", "locmem", "dummy"}
UNSUBSCRIBE_FOOTER = (
    "\n\n--\nYou receive news from {company} because you agreed to it. To stop these emails: {url}"
)


def email_backend_name() -> str:
    """Django's mail backend by its module name: smtp, filebased, console, locmem..."""
    return str(settings.EMAIL_BACKEND).rsplit(".", 2)[-2]  # ...backends.smtp.EmailBackend -> smtp


def local_email_label(backend: str) -> str:
    return f"EMAIL KEPT BY THE {backend.upper()} MAIL BACKEND - NOT SENT TO THE CUSTOMER"


class EmailChannel:
    """One email per message; the Message-ID we set is the provider id."""

    def __init__(self) -> None:
        self.backend = email_backend_name()
        self.carrier = f"email-{self.backend}"
        self.throttle_account = (
            "" if self.backend in LOCAL_BACKENDS
            else f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}:{settings.EMAIL_HOST_USER}"
        )  # fmt: skip

    def send(self, outbound: Outbound) -> SendResult:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or None
        message_id = make_msgid(idstring=f"outbox{outbound.message_id}", domain=domain)
        headers = {"Message-ID": message_id, "X-ServiceCRM-Message": str(outbound.message_id)}
        body = outbound.body
        if outbound.unsubscribe_url:  # marketing: a visible link and RFC 8058 one-click
            headers |= {
                "List-Unsubscribe": f"<{outbound.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            body += UNSUBSCRIBE_FOOTER.format(company=company().name, url=outbound.unsubscribe_url)
        email = EmailMessage(
            subject=outbound.subject, body=body, to=[outbound.to], headers=headers,
            connection=get_connection(timeout=settings.MESSAGING_HTTP_TIMEOUT_S),
        )  # fmt: skip
        outbound.wait_turn()
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentSendError(f"The mail server refused {outbound.to}.") from error
        except smtplib.SMTPResponseException as error:
            text = f"SMTP {error.smtp_code}: {error.smtp_error!r}"
            if SMTP_TRANSIENT <= error.smtp_code < 500:
                raise TransientSendError(text) from error
            raise PermanentSendError(text) from error
        except (smtplib.SMTPConnectError, ConnectionError, socket.gaierror) as error:
            raise TransientSendError(f"Could not reach the mail server: {error!r}") from error
        except (smtplib.SMTPException, OSError) as error:
            raise UncertainSendError(f"The mail server stopped answering: {error!r}") from error
        if self.backend in LOCAL_BACKENDS:
            label = local_email_label(self.backend)
            return SendResult(message_id, MessageStatus.DELIVERED, self.carrier, label)
        return SendResult(message_id, MessageStatus.SENT, self.carrier)
