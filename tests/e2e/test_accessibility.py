"""Every page, at desk and phone width, through axe-core and our own layout checks (issue 13).

axe-core comes from npm (package.json, `make axe`); its source is evaluated in the page over the
DevTools protocol, which the page's Content-Security-Policy does not govern, so the CSP check
of conftest still runs. A page fails on any serious or critical axe violation, an element id
that appears twice, horizontal scrolling at 390 px, or a tap target under 44 px high at 390 px.

To add a page, add a row to PAGES: its name, who opens it, and how to build its URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from playwright.sync_api import Page

from crm.appliances.services import lifespans_load
from crm.core.roles import Role
from crm.customers.models import Customer
from crm.demo.seed import demo_seed
from crm.jobs.models import Job, JobStatus
from crm.messaging.services.consent import unsubscribe_url
from crm.messaging.services.surveys import survey_token
from crm.portal.services.links import portal_link_create
from crm.reviews.tests.factories import ServiceFollowUpFactory
from crm.technicians.models import Technician
from tests.e2e.conftest import staff_user_create
from tests.e2e.test_customer_view import settle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
TAP_MIN = 44
BLOCKING = {"serious", "critical"}


@dataclass(frozen=True)
class World:
    """What the pages are about: the demo customers, a technician who signs in, a survey."""

    maria: Customer
    other: Customer
    technician: Technician
    follow_up_id: int


@dataclass(frozen=True)
class Visit:
    name: str
    user: str | None  # username who opens it; None: signed out
    url: Callable[[World], str]


PAGES = [
    Visit("Today", "owner", lambda w: reverse("today")),
    Visit("Customer list", "owner", lambda w: reverse("customer-list")),
    Visit("Customer create", "owner", lambda w: reverse("customer-create")),
    Visit("Customer View", "owner", lambda w: reverse("customer-detail", args=[w.maria.pk])),
    Visit("Engagement Hub", "owner", lambda w: reverse("engagement-hub", args=[w.maria.pk])),
    Visit("New job", "owner", lambda w: reverse("job-new", args=[w.maria.pk])),
    Visit("New job from Today", "owner", lambda w: reverse("job-book")),
    Visit("New plan", "owner", lambda w: reverse("plan-new", args=[w.maria.pk])),
    Visit("Compose", "owner", lambda w: reverse("message-compose", args=[w.maria.pk])),
    Visit("Settings", "owner", lambda w: reverse("company-settings")),
    Visit("Import", "owner", lambda w: reverse("customer-import")),
    Visit("Technicians", "owner", lambda w: reverse("technician-list")),
    Visit("Technician add", "owner", lambda w: reverse("technician-add")),
    Visit("Technician edit", "owner",
          lambda w: reverse("technician-edit", args=[w.technician.pk])),
    Visit("Users", "owner", lambda w: reverse("user-list")),
    Visit("User add", "owner", lambda w: reverse("user-add")),
    Visit("Tokens", "owner", lambda w: reverse("token-list")),
    Visit("Merge", "owner", lambda w: reverse("customer-merge", args=[w.other.pk])),
    Visit("Merge confirm", "owner",
          lambda w: reverse("customer-merge-confirm", args=[w.other.pk, w.maria.pk])),
    Visit("Anonymise confirm", "owner",
          lambda w: reverse("customer-anonymise", args=[w.other.pk])),
    Visit("Not found", "owner", lambda w: "/customers/987654/"),
    Visit("My visits", "tech", lambda w: reverse("my-visits")),
    Visit("Tokens (Technician)", "tech", lambda w: reverse("token-list")),
    Visit("Login", None, lambda w: reverse("login")),
    Visit("Survey", None,
          lambda w: reverse("survey", args=[survey_token(follow_up_id=w.follow_up_id)])),
    Visit("Unsubscribe", None, lambda w: urlsplit(unsubscribe_url(customer_id=w.maria.pk)).path),
    # The customer portal (issue 14): the customer's own page, and the page of a dead link.
    Visit("Portal", None,
          lambda w: urlsplit(portal_link_create(customer_id=w.maria.pk).url).path),
    Visit("Portal link gone", None, lambda w: reverse("portal", args=["no-longer-works"])),
]  # fmt: skip
# Service locations (issue 14): the Add and Edit forms on pages of their own (no JavaScript).
PAGES += [
    Visit("Location add", "owner", lambda w: reverse("location-add", args=[w.maria.pk])),
    Visit("Location edit", "owner", lambda w: reverse(
        "location-edit", args=[w.maria.pk, w.maria.locations.order_by("id")[0].pk])),
]  # fmt: skip
# Read nameplate (issue 15): the add-appliance form with its photo, and reading one appliance's.
PAGES += [
    Visit("Add appliance", "owner", lambda w: reverse("appliance-add", args=[w.maria.pk])),
    Visit("Read nameplate", "owner", lambda w: reverse(
        "appliance-nameplate", args=[w.maria.pk, w.maria.appliances.order_by("id")[0].pk])),
]  # fmt: skip

# Layout facts the page computes about itself (evaluated over the DevTools protocol).
LAYOUT = """() => {
  const seen = {};
  for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
  const duplicates = Object.keys(seen).filter((id) => seen[id] > 1);
  const scroller = document.scrollingElement;
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
    + ' [role=button], [role=link], [role=tab], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(interactive)) {
    const box = el.getBoundingClientRect();
    const hidden = box.width === 0 || box.height === 0 || box.right <= 0
      || getComputedStyle(el).visibility === 'hidden';
    if (hidden) continue;  // the skip link waits off screen until it has focus
    // A checkbox or radio is tapped through its label too; a link in running text is exempt
    // (WCAG 2.5.8's inline exception).
    let measured = box;
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      for (const label of el.labels || []) {
        const around = label.getBoundingClientRect();
        if (around.height > measured.height) measured = around;
      }
    }
    const sentence = el.matches('a') && el.closest('p, li');
    const inline = sentence && sentence.textContent.trim() !== el.textContent.trim();
    if (measured.height + 0.5 < %(tap)d && !inline) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 40);
      const id = el.id ? '#' + el.id : '';
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const tag = el.tagName.toLowerCase();
      small.push(`${tag}${id}${classes} "${name}" ${Math.round(measured.height)}px`);
    }
  }
  // A box that scrolls sideways inside the page hides part of it just the same.
  const inner = [];
  for (const el of document.querySelectorAll('main *')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const what = `${el.tagName.toLowerCase()}.${el.className}`;
      inner.push(`${what} (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  return {duplicates, scrollWidth: scroller.scrollWidth, width: window.innerWidth, small, inner};
}""" % {"tap": TAP_MIN}  # noqa: UP031

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary
      .replace(/\\s+/g, ' ')),
    count: v.nodes.length,
  }));
}"""


@pytest.fixture
def world(transactional_db: None) -> World:
    lifespans_load()
    demo_seed(customers=8, seed=42)
    staff_user_create("owner", Role.OWNER)
    technician = Technician.objects.filter(jobs__status=JobStatus.SCHEDULED).first()
    technician = technician or Technician.objects.first()
    assert technician is not None
    technician.user = staff_user_create("tech", Role.TECHNICIAN)
    technician.save()
    maria = Customer.objects.get(name="Maria Gonzalez")
    other = Customer.objects.exclude(pk=maria.pk).order_by("pk").first()
    assert other is not None
    job = Job.objects.filter(customer=maria, status=JobStatus.COMPLETED).first()
    follow_up = ServiceFollowUpFactory(job=job) if job else ServiceFollowUpFactory()
    return World(maria=maria, other=other, technician=technician, follow_up_id=follow_up.pk)


def _signed_in(page: Page, live_server_url: str, username: str | None) -> None:
    """The session cookie of `username` in the browser (the login form has its own test)."""
    page.context.clear_cookies()
    if username is None:
        return
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


def _problems(page: Page, *, phone: bool) -> list[str]:
    """What is wrong with the page on screen, in words a developer can act on."""
    page.evaluate(AXE.read_text())
    problems = [
        f"axe {v['impact']} {v['id']} ({v['count']}x): {v['help']}\n      "
        + "\n      ".join(v["nodes"])
        for v in page.evaluate(AXE_RUN)
        if v["impact"] in BLOCKING
    ]
    layout = page.evaluate(LAYOUT)
    if layout["duplicates"]:
        problems.append(f"ids used more than once: {layout['duplicates']}")
    if phone and layout["scrollWidth"] > layout["width"]:
        problems.append(
            f"scrolls sideways: {layout['scrollWidth']} px wide in a {layout['width']} px window"
        )
    if phone and layout["inner"]:
        problems.append(f"boxes that scroll sideways: {layout['inner']}")
    if phone and layout["small"]:
        problems.append(f"tap targets under {TAP_MIN} px: " + "; ".join(layout["small"]))
    return problems


@pytest.mark.skipif(not AXE.is_file(), reason=f"axe-core missing at {AXE}: run `make axe` (npm)")
@pytest.mark.parametrize("size", [DESK, PHONE], ids=["1280px", "390px"])
def test_every_page_is_accessible(  # type: ignore[no-untyped-def]
    page: Page, live_server, world: World, size: dict[str, int], artifacts: Path
) -> None:
    page.set_default_timeout(15_000)
    page.set_viewport_size(size)
    phone = size == PHONE
    found: dict[str, list[str]] = {}
    user: str | None = "?"
    # The live server's first request imports every view and the API.
    page.goto(f"{live_server.url}/healthz", timeout=60_000)
    for visit in PAGES:
        if visit.user != user:
            _signed_in(page, live_server.url, visit.user)
            user = visit.user
        page.goto(live_server.url + visit.url(world))
        page.wait_for_load_state("networkidle")
        settle(page)
        page.screenshot(
            path=artifacts / f"a11y-{size['width']}-{slugify(visit.name)}.png",
            full_page=True,
        )
        problems = _problems(page, phone=phone)
        if problems:
            found[visit.name] = problems
    report = "\n".join(
        f"{name}:\n  - " + "\n  - ".join(problems) for name, problems in found.items()
    )
    assert found == {}, f"{len(found)} of {len(PAGES)} pages fail:\n{report}"
