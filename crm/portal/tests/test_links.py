"""Portal links: made, opened, expired, revoked, tampered with; and the API's two doors."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from crm.core.errors import NotFound
from crm.customers.tests.factories import CustomerFactory
from crm.portal.models import PortalLink
from crm.portal.services.links import (
    PORTAL_SALT,
    PortalLinkGone,
    portal_link_create,
    portal_link_open,
    portal_links_revoke,
)

pytestmark = pytest.mark.django_db
GONE = "This link no longer works"


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_new_link_opens_its_own_customer_and_expires_after_the_setting(settings) -> None:
    # given
    settings.PORTAL_LINK_DAYS = 10
    customer = CustomerFactory()
    # when
    issued = portal_link_create(customer_id=customer.pk)
    token = _path(issued.url).split("/")[2]
    opened = portal_link_open(token=token)
    # then
    assert issued.url.startswith(settings.PUBLIC_BASE_URL.rstrip("/") + "/p/")
    assert opened.pk == issued.link.pk
    assert opened.customer_id == customer.pk
    assert issued.link.expires_at - issued.link.created_at == dt.timedelta(days=10)
    opened.refresh_from_db()
    assert opened.last_used_at is not None


def test_expired_revoked_tampered_and_foreign_tokens_are_all_gone() -> None:
    # given
    customer = CustomerFactory()
    expired = portal_link_create(customer_id=customer.pk).link
    PortalLink.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40),
        expires_at=timezone.now() - dt.timedelta(seconds=1),
    )
    revoked = portal_link_create(customer_id=customer.pk).link
    good = portal_link_create(customer_id=customer.pk).link
    tokens = [
        signing.dumps({"l": expired.pk, "n": expired.nonce}, salt=PORTAL_SALT),
        signing.dumps({"l": good.pk, "n": "guessed-nonce"}, salt=PORTAL_SALT),
        signing.dumps({"l": good.pk, "n": good.nonce}, salt="crm.messaging.survey"),
        signing.dumps({"l": good.pk, "n": good.nonce}, salt=PORTAL_SALT)[:-2] + "xx",
        signing.dumps({"l": str(good.pk), "n": good.nonce}, salt=PORTAL_SALT),
        "not-a-token",
    ]
    portal_links_revoke(customer_id=customer.pk)
    tokens.append(signing.dumps({"l": revoked.pk, "n": revoked.nonce}, salt=PORTAL_SALT))
    # then every one of them is refused the same way
    for token in tokens:
        with pytest.raises(PortalLinkGone):
            portal_link_open(token=token)


def test_revoking_ends_only_that_customers_open_links() -> None:
    # given
    ana, bob = CustomerFactory(), CustomerFactory()
    portal_link_create(customer_id=ana.pk)
    portal_link_create(customer_id=ana.pk)
    bobs = portal_link_create(customer_id=bob.pk).link
    # when
    first, again = portal_links_revoke(customer_id=ana.pk), portal_links_revoke(customer_id=ana.pk)
    # then
    assert (first, again) == (2, 0)
    bobs.refresh_from_db()
    assert bobs.revoked_at is None
    with pytest.raises(NotFound):
        portal_links_revoke(customer_id=bob.pk + 1000)


def test_the_gone_page_is_a_plain_404(client: Client) -> None:
    # given a link that was revoked, and one whose token was altered
    customer = CustomerFactory(name="Ana Secret")
    revoked = portal_link_create(customer_id=customer.pk).url
    portal_links_revoke(customer_id=customer.pk)
    altered = _path(portal_link_create(customer_id=customer.pk).url)[:-3] + "x/"
    # when / then
    for path in (_path(revoked), altered, "/p/sample/"):
        response = client.get(path)
        assert response.status_code == 404
        text = response.content.decode()
        assert GONE in text
        assert "Este enlace ya no funciona" in text
        assert "Ana" not in text


def test_api_makes_a_link_and_revokes_them(staff_client: Client) -> None:
    # given
    customer = CustomerFactory()
    # when
    made = staff_client.post(f"/api/customer/{customer.pk}/portal-link")
    # then
    assert made.status_code == 200
    body = made.json()
    assert set(body) == {"url", "expiresAt"}
    assert Client().get(_path(body["url"])).status_code == 200
    revoked = staff_client.post(f"/api/customer/{customer.pk}/portal-link/revoke")
    assert revoked.json() == {"customerId": customer.pk, "revoked": 1}
    assert Client().get(_path(body["url"])).status_code == 404


@pytest.mark.parametrize("path", ["/api/customer/{gone}/portal-link", "/api/customer/0/portal-link",
                                  "/api/customer/abc/portal-link",
                                  "/api/customer/{gone}/portal-link/revoke"])  # fmt: skip
def test_api_refuses_bad_customer_ids(staff_client: Client, path: str) -> None:
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(path.format(gone=customer.pk + 1000))
    # then
    assert response.status_code in {404, 422}
    assert PortalLink.objects.count() == 0


def test_api_needs_a_signed_in_caller() -> None:
    customer = CustomerFactory()
    response = Client().post(f"/api/customer/{customer.pk}/portal-link")
    assert response.status_code == 401
    assert PortalLink.objects.count() == 0


def test_an_anonymised_customer_gets_no_link_and_loses_theirs(staff_client: Client) -> None:
    customer = CustomerFactory()
    url = portal_link_create(customer_id=customer.pk).url
    customer.anonymised_at = timezone.now()
    customer.save()
    assert staff_client.post(f"/api/customer/{customer.pk}/portal-link").status_code == 404
    assert Client().get(_path(url)).status_code == 404


def test_the_admin_revokes_the_selected_links(admin_client: Client) -> None:
    # given two links, one selected
    customer = CustomerFactory()
    chosen, kept = (portal_link_create(customer_id=customer.pk).link for _ in range(2))
    # when
    admin_client.post(
        "/admin/portal/portallink/", {"action": "revoke", "_selected_action": [chosen.pk]}
    )
    # then
    chosen.refresh_from_db()
    kept.refresh_from_db()
    assert chosen.revoked_at is not None
    assert kept.revoked_at is None
