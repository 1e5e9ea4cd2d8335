"""The users page (Owners), the tokens page (each their own; Owners all) and `create_user`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from crm.core.models import ApiToken
from crm.core.roles import Role, user_role, user_technician_id
from crm.core.services import admin_login_ensure, api_token_create
from crm.core.tests.factories import UserFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(role: Role, username: str) -> tuple[Client, User]:
    user = UserFactory(username=username, role=role)
    client = Client()
    client.force_login(user)
    return client, user


def test_an_owner_adds_a_technician_user_and_sees_the_password_once() -> None:
    # given an Owner and a technician record
    owner, _ = _client(Role.OWNER, "boss")
    tess = TechnicianFactory(name="Tess")
    # when the Owner adds a Technician user linked to it, leaving the password empty
    response = owner.post(
        "/users/new/", {"username": "tess", "role": "Technician", "technician": tess.pk},
        headers=HTMX,
    )  # fmt: skip
    # then the user exists with the role and link, and the page shows the generated password
    assert response.status_code == 200
    user = get_user_model().objects.get(username="tess")
    assert (user_role(user), user_technician_id(user), user.is_staff) == (
        Role.TECHNICIAN, tess.pk, False
    )  # fmt: skip
    shown = response.content.decode().split('id="new-password">')[1].split("<")[0]
    assert (
        authenticate(RequestFactory().post("/login/"), username="tess", password=shown) is not None
    )
    assert shown not in owner.get("/users/").content.decode()


def test_a_technician_user_needs_a_technician_record() -> None:
    owner, _ = _client(Role.OWNER, "boss")
    response = owner.post("/users/new/", {"username": "tess", "role": "Technician"}, headers=HTMX)
    assert response.status_code == 422
    assert "needs a technician record" in response.content.decode()
    assert not get_user_model().objects.filter(username="tess").exists()


def test_an_owner_changes_a_role_and_deactivates() -> None:
    owner, _ = _client(Role.OWNER, "boss")
    _, clerk = _client(Role.OFFICE, "clerk")
    token, _ = api_token_create(user=clerk)
    changed = owner.post(f"/users/{clerk.pk}/edit/", {"role": "Owner", "active": "on"},
                         headers=HTMX)  # fmt: skip
    assert changed.status_code == 204
    assert user_role(get_user_model().objects.get(username="clerk")) is Role.OWNER
    gone = owner.post(f"/users/{clerk.pk}/deactivate/", headers=HTMX)
    assert gone.status_code == 204
    assert not get_user_model().objects.get(username="clerk").is_active
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_an_owner_cannot_demote_or_deactivate_themselves() -> None:
    owner, boss = _client(Role.OWNER, "boss")
    refused = owner.post(f"/users/{boss.pk}/edit/", {"role": "Office", "active": "on"},
                         headers=HTMX)  # fmt: skip
    assert refused.status_code == 422
    assert owner.post(f"/users/{boss.pk}/deactivate/", headers=HTMX).status_code == 422
    assert user_role(get_user_model().objects.get(username="boss")) is Role.OWNER


def test_office_cannot_open_the_users_page() -> None:
    office, _ = _client(Role.OFFICE, "clerk")
    assert office.get("/users/").status_code == 403
    assert office.post("/users/new/", {"username": "x", "role": "Owner"}).status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_token_is_shown_once_and_listed_for_its_owner_only() -> None:
    # given two Office users, one of whom makes a read-only token on the page
    clerk, clerk_user = _client(Role.OFFICE, "clerk")
    other, _ = _client(Role.OFFICE, "other")
    made = clerk.post("/tokens/new/", {"name": "laptop", "read_only": "on"}, headers=HTMX)
    raw = made.content.decode().split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get()
    # then the secret is shown this once, the token is read-only and expires
    assert (token.user, token.read_only, token.name) == (clerk_user, True, "laptop")
    assert token.expires_at is not None
    assert raw not in clerk.get("/tokens/").content.decode()
    assert token.prefix in clerk.get("/tokens/").content.decode()
    # and another Office user neither sees nor revokes it
    assert token.prefix not in other.get("/tokens/").content.decode()
    assert other.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_owner_sees_and_revokes_anyones_token() -> None:
    owner, _ = _client(Role.OWNER, "boss")
    token, raw = api_token_create(user=UserFactory(username="clerk"))
    assert token.prefix in owner.get("/tokens/").content.decode()
    assert owner.post(f"/tokens/{token.pk}/revoke/", headers=HTMX).status_code == 204
    bearer = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/technicians", headers=bearer).status_code == 401


def test_create_user_generates_and_prints_a_password_when_none_is_given() -> None:
    tess = TechnicianFactory(name="Tess")
    out = StringIO()
    call_command("create_user", "tess", "--role", "technician", "--technician", str(tess.pk),
                 stdout=out)  # fmt: skip
    password = out.getvalue().split("Password (shown once): ")[1].strip()
    user = authenticate(RequestFactory().post("/login/"), username="tess", password=password)
    assert user is not None
    assert (user_role(user), user_technician_id(user)) == (Role.TECHNICIAN, tess.pk)


def test_create_user_with_a_password_prints_none() -> None:
    out = StringIO()
    call_command("create_user", "olga", "--role", "office", "--password", "a long one 123",
                 stdout=out)  # fmt: skip
    assert "Password" not in out.getvalue()
    user = authenticate(
        RequestFactory().post("/login/"), username="olga", password="a long one 123"
    )
    assert user_role(user) is Role.OFFICE


def test_create_user_refuses_a_technician_without_a_record_and_makes_nothing() -> None:
    with pytest.raises(CommandError, match="needs a technician record"):
        call_command("create_user", "tess", "--role", "technician", stdout=StringIO())
    assert not get_user_model().objects.filter(username="tess").exists()


def test_the_make_run_admin_is_an_owner(tmp_path: Path) -> None:
    login = admin_login_ensure(username="admin", password="", password_file=tmp_path / "pw")
    admin = get_user_model().objects.get(username=login.username)
    assert user_role(admin) is Role.OWNER
    assert admin.groups.filter(name="Owner").exists()
