"""The error pages are the app's own, with a way back; the icon is there for every page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from crm.core.tests.factories import UserFactory


@pytest.mark.django_db
def test_an_unknown_address_answers_the_styled_404_with_a_way_back(staff_client: Client) -> None:
    response = staff_client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'href="/">Back to Today</a>' in page
    assert 'class="topbar"' in page, "the 404 is drawn in the app's layout"


def test_the_500_page_renders_without_a_request_context() -> None:
    # given: Django's handler renders 500.html with an empty context (no user, no database)
    request = RequestFactory().get("/customers/1/")
    request.user = AnonymousUser()

    # when
    response = server_error(request)

    # then
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert 'href="/">Back to Today</a>' in page


@pytest.mark.django_db
def test_the_icon_is_public_and_named_by_the_pages_and_the_admin(staff_client: Client) -> None:
    anonymous = Client().get("/favicon.ico")
    assert anonymous.status_code == 301
    assert anonymous["Location"].endswith("core/favicon.svg")

    staff_client.force_login(UserFactory(username="owner", is_staff=True, is_superuser=True))
    for url in ("/today/", "/admin/"):
        page = staff_client.get(url).content.decode()
        assert 'rel="icon" href="/static/core/favicon.svg"' in page, url
