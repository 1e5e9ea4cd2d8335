"""Browser tests: Playwright drives Debian's chromium against Django's live server.

Skipped, with the reason, when chromium is missing (`make browser` installs it). Screenshots
go to VAR_DIR/artifacts/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from crm.core.roles import Role
from crm.core.services import user_role_set

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_MISSING = not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK))
PASSWORD = "a long browser test password"
# An assertion waits as long as an action does (page.set_default_timeout): with two test workers
# and chromium on two cores, a modal's first request has been seen to take more than the 5 s
# Playwright's expect waits by default (PostgreSQL pass of CI, the Add referral modal).
expect.set_options(timeout=10_000)

# Playwright's sync API keeps an event loop in the main thread for the whole session, which
# makes Django refuse ORM calls made there (fixtures, the flush after each live-server test).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not CHROMIUM_MISSING:
        return
    skip = pytest.mark.skip(
        reason=f"chromium not found at {CHROMIUM}: run `make browser` "
        "(apt-get install chromium) or set CHROMIUM_PATH"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def lifespans_restored(django_db_blocker: Any) -> Iterator[None]:
    """Put the lifespan table back after this module: each live-server test ends with a flush
    that empties it, and tests that run later expect what the data migration loaded."""
    yield
    from crm.appliances.services import lifespans_load

    with django_db_blocker.unblock():
        lifespans_load()


@pytest.fixture(autouse=True)
def no_content_security_policy_violation(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every browser test runs under the app's Content-Security-Policy and fails on a
    violation: the pages and htmx must work without inline script, inline style or eval."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    # No request may still be running when the test database is flushed (before pytest-django's
    # own teardown): on PostgreSQL a query left running deadlocked the TRUNCATE.
    with contextlib.suppress(PlaywrightError):
        page.wait_for_load_state("networkidle", timeout=15_000)
    assert violations == [], violations


@pytest.fixture
def artifacts() -> Path:
    folder = Path(settings.VAR_DIR) / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staff_user_create(username: str = "office", role: Role | None = Role.OFFICE) -> User:
    """A user who signs in with PASSWORD, in `role` (Office unless told)."""
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user_role_set(user=user, role=role)
    return user


def cards_unfolded(page: Any) -> None:
    """Open every Customer View card a phone-sized page has folded to its heading."""
    folded = page.locator(".card-toggle[aria-expanded=false]")
    while folded.count():
        folded.first.click()


def sign_in_to_today(page: Page, server_url: str, username: str = "office") -> None:
    """Sign in through the login form, which lands on Today, and mark the page so that
    `not_reloaded` can tell afterwards that nothing reloaded it."""
    page.set_default_timeout(10_000)
    page.goto(f"{server_url}/login/", timeout=60_000)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.evaluate("window.notReloaded = true")


def not_reloaded(page: Page) -> None:
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"


# The two widths every page is walked at: a desk and a phone.
VIEWPORTS = {"desk": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@contextlib.contextmanager
def signed_in_at(
    page: Page, server_url: str, width: str, customer_id: int | None = None
) -> Iterator[Page]:
    """Signed in through the login form at a VIEWPORTS width, on Today or (given a customer)
    their Customer View with every card open. Afterwards: no script failed and nothing
    reloaded the page (from here on, htmx only)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size(VIEWPORTS[width])
    sign_in_to_today(page, server_url)
    if customer_id is not None:
        page.goto(f"{server_url}/customers/{customer_id}/")
        page.evaluate("window.notReloaded = true")
        cards_unfolded(page)
    yield page
    not_reloaded(page)
    assert errors == []
