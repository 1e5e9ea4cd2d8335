"""Email through Django's mail backend: SMTP in production, a file (var/sent-email) by default."""

from __future__ import annotations

import smtplib
import socket

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from crm.messaging.channels.base import (
    Outbound,
    PermanentSendError,
    SendResult,
    TransientSendError,
    UncertainSendError,
)
from crm.messaging.models import MessageStatus

SMTP_TRANSIENT = 400  # 4xx SMTP replies are "try again later"


def _carrier() -> str:
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]  # ...backends.smtp.EmailBackend -> smtp
    return f"email-{backend}"


class EmailChannel:
    """One email per message; the Message-ID we set is the provider id."""

    def __init__(self) -> None:
        self.carrier = _carrier()

    def send(self, outbound: Outbound) -> SendResult:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or None
        message_id = make_msgid(idstring=f"outbox{outbound.message_id}", domain=domain)
        email = EmailMessage(
            subject=outbound.subject, body=outbound.body, to=[outbound.to],
            headers={"Message-ID": message_id, "X-ServiceCRM-Message": str(outbound.message_id)},
            connection=get_connection(timeout=settings.MESSAGING_HTTP_TIMEOUT_S),
        )  # fmt: skip
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
        return SendResult(message_id, MessageStatus.SENT, self.carrier)
