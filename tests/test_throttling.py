"""Password guessing is locked out (django-axes) and the public doors have a per-address budget."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from crm.core.tests.factories import UserFactory
from crm.core.throttling import UNKNOWN_ADDRESS, client_address

PASSWORD = "the right password 42"
LOGIN_DOORS = ["/login/", "/admin/login/"]


@pytest.fixture
def owner(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="owner", password=PASSWORD, is_staff=True, is_superuser=True)


def _sign_in(door: str, username: str, password: str, address: str = "10.0.0.1") -> int:
    response = Client(REMOTE_ADDR=address).post(door, {"username": username, "password": password})
    return response.status_code


def _fail(door: str, times: int, *, username: str = "owner", address: str = "10.0.0.1") -> int:
    """Fail `times` times; the answer to the last try (the form again: 200, or locked: 429)."""
    answers = [_sign_in(door, username, "wrong", address) for _ in range(times)]
    assert set(answers[:-1]) == ({200} if times > 1 else set())
    return answers[-1]


@pytest.mark.django_db
@pytest.mark.parametrize("door", LOGIN_DOORS)
def test_ten_failures_for_a_username_lock_it_out_from_everywhere(
    owner: object, door: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    assert _fail(door, 9) == 200
    assert _sign_in(door, "owner", PASSWORD, "10.0.0.9") == 302  # nine: still allowed
    assert _fail(door, 1) == 429  # the tenth locks
    # when: the right password, even from another address
    with caplog.at_level(logging.WARNING):
        response = Client(REMOTE_ADDR="10.0.0.2").post(
            door, {"username": "owner", "password": PASSWORD}
        )
    # then
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert any(
        "Locking out" in record.getMessage() and "owner" in record.getMessage()
        for record in caplog.records
    )


@pytest.mark.django_db
def test_ten_failures_from_an_address_lock_that_address_out(owner: object) -> None:
    # given: ten usernames guessed from one address
    answers = [_fail("/login/", 1, username=f"guess{n}", address="10.0.0.3") for n in range(10)]
    assert answers == [200] * 9 + [429]
    # when / then
    assert _sign_in("/login/", "owner", PASSWORD, "10.0.0.3") == 429
    assert _sign_in("/login/", "owner", PASSWORD, "10.0.0.4") == 302


@pytest.mark.django_db
def test_the_lock_lifts_after_fifteen_minutes(owner: object) -> None:
    # given
    assert _fail("/login/", 10) == 429
    assert _sign_in("/login/", "owner", PASSWORD) == 429
    # when: the failures are 15 minutes old
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=15))
    for attempt in AccessAttempt.objects.all():
        attempt.expiration.expires_at = timezone.now() - timezone.timedelta(seconds=1)
        attempt.expiration.save()
    # then
    assert _sign_in("/login/", "owner", PASSWORD) == 302


@pytest.mark.django_db
def test_an_owner_unlocks_a_username_in_the_admin(owner: object) -> None:
    # given
    office = UserFactory(username="office", password=PASSWORD)
    _fail("/login/", 10, username="office")
    assert _sign_in("/login/", "office", PASSWORD, "10.0.0.7") == 429
    admin = Client()
    admin.force_login(owner)  # type: ignore[arg-type]
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "office" in listing.content.decode()
    # when
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    # then
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _sign_in("/login/", office.username, PASSWORD, "10.0.0.7") == 302


@pytest.mark.django_db
def test_the_reset_command_unlocks_a_username(owner: object) -> None:
    _fail("/login/", 10)
    call_command("axes_reset_username", "owner")
    assert _sign_in("/login/", "owner", PASSWORD) == 302


PUBLIC_DOORS = [
    ("/s/not-a-token", "get", "PUBLIC_PAGE_REQUESTS_PER_MINUTE"),
    ("/u/not-a-token", "get", "PUBLIC_PAGE_REQUESTS_PER_MINUTE"),
    ("/webhooks/whatsapp", "post", "WEBHOOK_REQUESTS_PER_MINUTE"),
    ("/webhooks/twilio/status", "post", "WEBHOOK_REQUESTS_PER_MINUTE"),
    ("/webhooks/twilio/inbound", "post", "WEBHOOK_REQUESTS_PER_MINUTE"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "method", "setting"), PUBLIC_DOORS)
def test_public_doors_refuse_an_address_over_its_budget(
    url: str, method: str, setting: str
) -> None:
    cache.clear()
    with override_settings(**{setting: 3}):
        # given: three requests from one address are answered as usual
        caller = Client(REMOTE_ADDR="10.1.0.1")
        answers = [getattr(caller, method)(url).status_code for _ in range(3)]
        assert 429 not in answers
        # when
        fourth = getattr(caller, method)(url)
        other = getattr(Client(REMOTE_ADDR="10.1.0.2"), method)(url)
    # then
    assert fourth.status_code == 429
    assert 0 < int(fourth["Retry-After"]) <= 60
    assert other.status_code == answers[0]


@pytest.mark.django_db
def test_behind_a_proxy_the_address_is_the_one_the_proxy_appended() -> None:
    cache.clear()
    with override_settings(PUBLIC_PAGE_REQUESTS_PER_MINUTE=1, BEHIND_PROXY=True):
        proxy = Client(REMOTE_ADDR="10.9.9.9")
        # A forged first entry does not make a new caller; the proxy's last entry does.
        first = proxy.get("/s/x", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.2.0.1")
        forged = proxy.get("/s/x", HTTP_X_FORWARDED_FOR="2.2.2.2, 10.2.0.1")
        another = proxy.get("/s/x", HTTP_X_FORWARDED_FOR="10.2.0.2")
    assert first.status_code != 429
    assert forged.status_code == 429
    assert another.status_code != 429


@pytest.mark.django_db
def test_only_an_owner_unlocks_a_login_in_the_admin() -> None:
    # given a locked-out attempt, an Office user and an Owner
    from crm.core.roles import Role

    AccessAttempt.objects.create(
        username="dana", ip_address="10.0.0.9", user_agent="", failures_since_start=10,
        get_data="", post_data="",
    )  # fmt: skip
    office, owner = Client(), Client()
    office.force_login(UserFactory(username="office"))
    owner.force_login(UserFactory(username="owner", role=Role.OWNER))
    url = "/admin/axes/accessattempt/"
    # then the Office user is refused the unlock page; the Owner sees it
    assert office.get(url).status_code == 403
    assert owner.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [("", "", UNKNOWN_ADDRESS), ("10.0.0.5", "not-an-address", "10.0.0.5"),
     ("", "junk", UNKNOWN_ADDRESS), ("10.0.0.5", "203.0.113.7", "203.0.113.7")],
)  # fmt: skip
def test_a_missing_or_junk_address_is_never_stored_as_an_address(
    settings, remote: str, forwarded: str, expected: str
) -> None:
    # given a proxy that passes junk on, or a request with no REMOTE_ADDR at all
    from django.test import RequestFactory

    settings.BEHIND_PROXY = True
    request = RequestFactory().post("/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    # then the address is one an IP column stores (a failed login is logged with it)
    assert client_address(request) == expected
    response = Client(REMOTE_ADDR=remote).post(
        "/login/", {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == expected
