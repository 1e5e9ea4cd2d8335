"""Portal links: made, sent, opened, revoked; and the customer's own changes made through one.

The URL is /p/<token>/, where the token is django.core.signing over the link's id and nonce
(salted). Opening it checks the signature first, then the row: the same nonce, not revoked, not
expired. Every failure is the same PortalLinkGone (404), so a visitor learns nothing about
which links exist. A new link does not revoke the older ones (each expires on its own);
"Revoke portal links" (or POST /api/customer/{id}/portal-link/revoke) ends them all at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.audit.context import Actor, acting
from crm.core.company import company
from crm.core.errors import ApplicationError, NotFound
from crm.core.words import spoken_date
from crm.customers.models import Customer
from crm.engagement.selectors.hub import channel_for
from crm.messaging.models import MessageSource, Purpose, ScheduledMessage
from crm.messaging.services.outbox import MessageDraft, message_schedule
from crm.portal.models import PortalLink

PORTAL_SALT = "crm.portal.link"
# How the portal's changes read in the audit trail and on the timeline.
VIA = "the customer portal"
CUSTOMER_ACTOR = "the customer"


class PortalLinkGone(ApplicationError):
    """A link that was altered, expired or revoked: one answer for all of them."""

    status = 404


@dataclass(frozen=True)
class IssuedLink:
    """A new link: its row and the URL to give the customer."""

    link: PortalLink
    url: str


def portal_token(link: PortalLink) -> str:
    return signing.dumps({"l": link.pk, "n": link.nonce}, salt=PORTAL_SALT)


@transaction.atomic
def portal_link_create(
    *, customer_id: int, user: AbstractBaseUser | AnonymousUser | None = None
) -> IssuedLink:
    """A new link for the customer, expiring after PORTAL_LINK_DAYS; older links stay valid."""
    if not Customer.objects.filter(pk=customer_id, anonymised_at__isnull=True).exists():
        raise NotFound("No customer with that id.")
    now = timezone.now()
    link = PortalLink.objects.create(
        customer_id=customer_id, created_at=now,
        expires_at=now + dt.timedelta(days=settings.PORTAL_LINK_DAYS),
        created_by_id=user.pk if user is not None and user.is_authenticated else None,
    )  # fmt: skip
    path = reverse("portal", args=[portal_token(link)])
    return IssuedLink(link=link, url=settings.PUBLIC_BASE_URL.rstrip("/") + path)


@transaction.atomic
def portal_links_revoke(*, customer_id: int) -> int:
    """End every open link of the customer now; returns how many were open."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise NotFound("No customer with that id.")
    return PortalLink.objects.filter(customer_id=customer_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _link_id_and_nonce(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=PORTAL_SALT)
    except signing.BadSignature:
        raise PortalLinkGone("This link no longer works.") from None
    valid = isinstance(data, dict) and isinstance(data.get("l"), int)
    if not valid or not isinstance(data.get("n"), str):
        raise PortalLinkGone("This link no longer works.")
    return int(data["l"]), str(data["n"])


def portal_link_open(*, token: str) -> PortalLink:
    """The live link behind a token (its customer loaded), marked as used now; PortalLinkGone
    when the token is not ours, or the link is revoked, expired or its customer anonymised."""
    link_id, nonce = _link_id_and_nonce(token)
    link = PortalLink.objects.select_related("customer").filter(pk=link_id).first()
    now = timezone.now()
    alive = (
        link is not None
        and secrets.compare_digest(link.nonce, nonce)
        and link.revoked_at is None
        and link.expires_at > now
        and link.customer.anonymised_at is None
    )
    if not alive or link is None:
        raise PortalLinkGone("This link no longer works.")
    PortalLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link


@contextmanager
def as_the_customer(link: PortalLink) -> Iterator[None]:
    """Record the changes made inside the block as the customer's own, through this link."""
    source = f"the customer's own change through portal link {link.pk}"
    with acting(Actor(None, CUSTOMER_ACTOR, source[:100])):
        yield


def _link_text(customer: Customer, url: str, expires: dt.date) -> tuple[str, str]:
    """Fixed wording: subject and body, in Spanish for Spanish speakers."""
    first = (customer.name.split() or [""])[0]
    name = company().name
    if customer.language_preference.lower().startswith("es"):
        return f"Su página de {name}", (
            f"Hola {first}, aquí puede ver sus equipos y visitas, confirmar una cita y pedir "
            f"servicio: {url} (el enlace es solo para usted y vence el "
            f"{spoken_date(expires, 'es')})."
        )
    return f"Your {name} page", (
        f"Hi {first}, here you can see your appliances and visits, confirm an appointment and "
        f"ask for service: {url} (the link is for you alone and works until "
        f"{spoken_date(expires, 'en')})."
    )


@transaction.atomic
def portal_link_send(
    *, customer_id: int, user: AbstractBaseUser | AnonymousUser
) -> ScheduledMessage:
    """A new link, sent now through the outbox on the customer's preferred usable channel (a
    Service message about their account); refused, with nothing kept, when none can carry it."""
    issued = portal_link_create(customer_id=customer_id, user=user)
    customer = Customer.objects.prefetch_related("consents").get(pk=customer_id)
    subject, body = _link_text(customer, issued.url, timezone.localdate(issued.link.expires_at))
    draft = MessageDraft(
        customer_id=customer_id, channel=channel_for(customer), body=body, subject=subject,
        purpose=Purpose.SERVICE, source=MessageSource.PORTAL,
        idempotency_key=f"portal:{issued.link.pk}",
    )  # fmt: skip
    return message_schedule(draft=draft, user=user)  # type: ignore[arg-type]
