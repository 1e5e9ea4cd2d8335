"""The Customer View in headless Chromium against a live server, on demo data (issue 4)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.timezone import now
from playwright.sync_api import Dialog, Page, expect

from crm.appliances.services import lifespans_load
from crm.customers.models import Customer
from crm.demo.seed import demo_seed
from crm.jobs.models import Job, JobStatus, Payment
from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import Review
from crm.technicians.models import Technician
from tests.e2e.conftest import PASSWORD, staff_user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HEADINGS = [
    "Client Value Snapshot", "Customer Details", "Preferred Technician",
    "Communication Preferences", "Client Appliances", "Referrals", "Referred By",
    "Clients Referred", "Activity", "Jobs",
]  # fmt: skip


@pytest.fixture
def maria(transactional_db: None) -> Customer:
    """The demo as `make run` loads it (fewer customers), and a member of staff."""
    lifespans_load()
    demo_seed(customers=8, seed=42)
    Customer.objects.create(name="Zoe Newcomer", email="zoe@example.com")
    staff_user_create()
    return Customer.objects.get(name="Maria Gonzalez")


@pytest.fixture
def page_errors(page: Page) -> list[str]:
    """Script errors and browser dialogs (an alert would mean injected script ran)."""
    errors: list[str] = []

    def console_error(kind: str, text: str) -> None:
        # Chromium logs every 4xx; a refused form (422) is expected, its errors are on the page.
        if kind == "error" and "status of 422" not in text:
            errors.append(text)

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: console_error(message.type, message.text))

    def on_dialog(dialog: Dialog) -> None:
        if dialog.type != "confirm":
            errors.append(f"{dialog.type}: {dialog.message}")
        dialog.accept()

    page.on("dialog", on_dialog)
    return errors


@pytest.fixture
def customer_page(page: Page, live_server, maria: Customer, page_errors: list[str]) -> Page:  # type: ignore[no-untyped-def]
    """Signed in through the login form, on Maria's page, with a marker that a reload loses."""
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("office")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    page.get_by_role("searchbox", name="Search customers").fill("Maria")
    # The results are swapped for the search's after a pause: click in the new ones.
    page.wait_for_url(re.compile(r"search=Maria"))
    settle(page)
    page.get_by_role("link", name="Maria Gonzalez").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Gonzalez")
    settle(page)  # the cards' own requests first: a person reads before clicking
    page.evaluate("window.notReloaded = true")
    yield page
    assert page.evaluate("window.notReloaded") is True, "the page was reloaded"
    assert page_errors == []


def settle(page: Page) -> None:
    """Wait until htmx has swapped and wired up new content (a person is never that fast)."""
    # A locator, not wait_for_function: the page's CSP forbids the eval that one needs.
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.locator(busy).first.wait_for(state="detached")


def opened(page: Page, name: str | re.Pattern[str]):  # type: ignore[no-untyped-def]
    """The modal dialog called `name`, once it is open and ready."""
    dialog = page.get_by_role("dialog", name=name)
    expect(dialog).to_be_visible()
    settle(page)
    return dialog


def money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.-]", "", text))


def test_every_card_heading_at_desk_and_phone_width(customer_page: Page, artifacts: Path) -> None:
    page = customer_page
    for heading in HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=False).first).to_be_visible()
    expect(page.locator("#client-value-snapshot svg[role=img]")).to_be_visible()
    # 1280 px: two columns, the snapshot heads the left one.
    page.set_viewport_size({"width": 1280, "height": 900})
    snapshot = page.locator("#client-value-snapshot").bounding_box()
    activity = page.locator("#activity").bounding_box()
    assert snapshot
    assert activity
    assert activity["x"] > snapshot["x"] + snapshot["width"] - 1
    assert abs(activity["y"] - snapshot["y"]) < 2
    page.screenshot(path=artifacts / "customer-view-1280.png", full_page=True)
    # 390 px: one column, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    snapshot = page.locator("#client-value-snapshot").bounding_box()
    activity = page.locator("#activity").bounding_box()
    assert snapshot
    assert activity
    assert activity["x"] == snapshot["x"]
    assert activity["y"] > snapshot["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "customer-view-390.png", full_page=True)


def test_add_an_appliance_in_the_modal_without_a_reload(customer_page: Page) -> None:
    page = customer_page
    card = page.locator("#client-appliances")
    count_before = card.locator("li.appliance").count()
    add = page.get_by_role("link", name="Add appliance")
    add.click()
    dialog = opened(page, "Add appliance")
    expect(dialog.get_by_label("Type")).to_be_focused()
    # A refusal shows next to its field and keeps the dialog open.
    dialog.get_by_label("Type").select_option(label="Freezer")
    dialog.get_by_label("Install date").fill("2021-06-15")
    dialog.get_by_role("button", name="Save appliance").click()
    expect(dialog.locator("#id_brand_error")).to_have_text("This field is required.")
    expect(dialog.get_by_label("Brand")).to_be_focused()
    dialog.get_by_label("Brand").fill("Frigidaire")
    dialog.get_by_label("Serial number").fill("FR-2021-77")
    dialog.get_by_role("button", name="Save appliance").click()
    expect(dialog).to_be_hidden()
    expect(card.locator("li.appliance")).to_have_count(count_before + 1)
    added = card.locator("li.appliance", has_text="Frigidaire")
    expect(added).to_contain_text("Freezer")
    expect(added).to_contain_text("FR-2021-77")
    expect(added.get_by_role("meter")).to_be_visible()
    expect(add).to_be_focused()
    # Edit, then delete it (the page's own dialog asks first; yes).
    added.get_by_role("link", name=re.compile("Edit")).click()
    dialog = opened(page, re.compile("Edit Frigidaire"))
    dialog.get_by_label("Model number").fill("FFFU20F2VW")
    dialog.get_by_role("button", name="Save appliance").click()
    expect(card.locator("li.appliance", has_text="Frigidaire")).to_contain_text("FFFU20F2VW")
    settle(page)
    card.locator("li.appliance", has_text="Frigidaire").get_by_role(
        "link", name=re.compile("Edit")
    ).click()
    opened(page, re.compile("Edit Frigidaire")).get_by_role(
        "button", name="Delete appliance"
    ).click()
    ask = page.get_by_role("dialog", name=re.compile("^Delete this freezer"))
    ask.get_by_role("button", name="Delete").click()
    expect(card.locator("li.appliance")).to_have_count(count_before)
    expect(page.locator("#toast")).to_contain_text("Appliance removed: Frigidaire")


def test_modals_work_with_the_keyboard(customer_page: Page) -> None:
    page = customer_page
    add = page.locator("#appliance-add")
    add.focus()
    page.keyboard.press("Enter")
    dialog = opened(page, "Add appliance")
    for _ in range(15):  # focus cycles inside the modal dialog
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('modal').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(add).to_be_focused()
    # The close button gives focus back too.
    first_edit = page.locator("#client-appliances li.appliance a").first
    first_edit.click()
    opened(page, re.compile("Edit")).get_by_role("button", name="Close").click()
    expect(page.locator("#modal")).to_be_hidden()
    expect(first_edit).to_be_focused()


def test_edit_communication_preferences(customer_page: Page, maria: Customer) -> None:
    page = customer_page
    section = page.locator("#communication-preferences")
    section.get_by_role("link", name="Edit preferences").click()
    expect(section.get_by_role("button", name="Save preferences")).to_be_visible()
    settle(page)
    section.get_by_label("Preferred contact method").select_option("Email")
    section.get_by_label("Contact frequency").select_option("Minimal")
    section.get_by_label("Language").fill("spanish")
    section.get_by_role("button", name="Save preferences").click()
    expect(section.locator("#id_language_preference_error")).to_contain_text("BCP 47")
    assert Customer.objects.get(pk=maria.pk).language_preference == "en"
    section.get_by_label("Language").fill("es-MX")
    section.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#contact-method")).to_have_text("Email")
    expect(page.locator("#contact-frequency")).to_have_text("Minimal")
    expect(page.locator("#contact-language")).to_have_text("Mexican Spanish")
    saved = Customer.objects.get(pk=maria.pk)
    assert (saved.preferred_contact_method, saved.language_preference) == ("Email", "es-MX")


def test_set_the_preferred_technician(customer_page: Page, maria: Customer) -> None:
    page = customer_page
    section = page.locator("#preferred-technician")
    select = section.get_by_label("Preferred technician")
    current = maria.preferred_technician.name if maria.preferred_technician else ""
    choices = [name.strip() for name in select.locator("option").all_inner_texts()]
    other = next(n for n in choices if n not in (current, "No preferred technician"))
    select.select_option(label=other)
    section.get_by_role("button", name="Set preferred technician").click()
    expect(page.locator("#preferred-technician-current")).to_have_text(other)
    saved = Customer.objects.select_related("preferred_technician").get(pk=maria.pk)
    assert saved.preferred_technician
    assert saved.preferred_technician.name == other


def test_review_a_completed_job_and_see_its_stars(customer_page: Page) -> None:
    page = customer_page
    button = page.locator("[id^=review-add-]").first
    job_id = button.get_attribute("id").removeprefix("review-add-")  # type: ignore[union-attr]
    button.click()
    dialog = opened(page, "Review of the job")
    dialog.get_by_role("button", name="Save review").click()
    expect(dialog.get_by_text("This field is required.")).to_be_visible()
    dialog.get_by_label("4 out of 5").check()
    dialog.get_by_label("Comment").fill("Fixed fast <b>and</b> tidy.")
    dialog.get_by_role("button", name="Save review").click()
    job = page.locator(f"#job-{job_id}")
    expect(job.get_by_role("img", name="4 out of 5")).to_be_visible()
    expect(job).to_contain_text("Fixed fast <b>and</b> tidy.")
    assert Review.objects.get(job_id=job_id).rating == 4


@pytest.fixture
def scheduled_job(maria: Customer) -> Job:
    """A visit of Maria's next year: her newest job, so the first card of the Jobs card."""
    return JobFactory(
        customer=maria,
        description="Washer drains slowly",
        scheduled_for=now() + timedelta(days=365),
        technician=Technician.objects.filter(active=True).first(),
    )


def test_complete_a_scheduled_job_in_the_modal_then_review_it_on_its_card(
    scheduled_job: Job, customer_page: Page
) -> None:
    page = customer_page
    job = page.locator(f"#job-{scheduled_job.pk}")
    expect(job.locator("header .badge")).to_have_text("Scheduled")
    expect(job.get_by_role("link", name="Add review")).to_have_count(0)
    settle(page)
    job.get_by_role("link", name="Edit job").click()
    dialog = opened(page, "Edit job")
    expect(dialog.get_by_label("Description")).to_have_value("Washer drains slowly")
    dialog.get_by_label("Status").select_option(label="Completed")
    dialog.get_by_label("Labour hours").fill("-1")
    dialog.get_by_role("button", name="Save job").click()
    expect(dialog.locator("#job-labor_hours_error")).to_contain_text("greater than or equal to 0")
    assert Job.objects.get(pk=scheduled_job.pk).status == JobStatus.SCHEDULED
    dialog.get_by_label("Labour hours").fill("2.50")
    dialog.get_by_label("Outcome").fill("Cleared the drain pump")
    dialog.get_by_role("button", name="Save job").click()
    expect(dialog).to_be_hidden()
    expect(job.locator("header .badge")).to_have_text("Completed")
    expect(job).to_contain_text("Cleared the drain pump")
    saved = Job.objects.get(pk=scheduled_job.pk)
    assert saved.completed_at is not None
    assert saved.labor_hours == Decimal("2.50")
    settle(page)
    job.get_by_role("link", name="Add review").click()
    expect(opened(page, "Review of the job").get_by_label("4 out of 5")).to_be_visible()


def test_add_a_payment_with_its_method_and_see_the_net_profit_change(customer_page: Page) -> None:
    page = customer_page
    job = page.locator("article.job", has=page.locator(".badge", has_text="Completed")).first
    job_id = job.get_attribute("id").removeprefix("job-")  # type: ignore[union-attr]
    net_before = money(job.locator(f"#job-{job_id}-net").inner_text())
    revenue_before = money(page.locator("#total-revenue").inner_text())
    job.get_by_role("link", name="Add payment").click()
    dialog = opened(page, "Add payment")
    dialog.get_by_label("Amount").fill("0")
    dialog.get_by_role("button", name="Add payment").click()
    expect(dialog.locator("#id_amount_error")).to_contain_text("greater than or equal to 0.01")
    dialog.get_by_label("Amount").fill("100.00")
    dialog.get_by_label("Payment method").select_option(label="Mobile wallet")
    dialog.get_by_role("button", name="Add payment").click()
    expect(dialog).to_be_hidden()
    expect(job.locator(f"#job-{job_id}-net")).to_have_text(f"${net_before + 100:,.2f}")
    expect(job).to_contain_text("Payment · Mobile wallet")
    expect(page.locator("#total-revenue")).to_have_text(f"${revenue_before + 100:,.2f}")
    assert Payment.objects.filter(job_id=job_id, payment_method="MobileWallet").count() == 1


def test_timeline_tabs_load_more_and_a_note_shown_as_text(customer_page: Page) -> None:
    page = customer_page
    activity = page.locator("#activity")
    expect(activity.locator("li.event")).to_have_count(20)
    activity.get_by_role("link", name="Load more").click()
    expect(activity.locator("li.event")).to_have_count(40)
    activity.get_by_role("tab", name="WhatsApp").click()
    expect(activity.get_by_role("tab", name="WhatsApp")).to_have_attribute("aria-selected", "true")
    kinds = activity.locator("li.event .badge").all_inner_texts()
    assert kinds
    assert set(kinds) == {"WhatsApp"}
    page.keyboard.press("ArrowRight")
    expect(activity.get_by_role("tab", name="SMS")).to_have_attribute("aria-selected", "true")
    expect(activity.get_by_role("tab", name="SMS")).to_be_focused()
    activity.get_by_role("tab", name="Notes").click()
    expect(activity.get_by_role("tab", name="Notes")).to_have_attribute("aria-selected", "true")
    settle(page)
    activity.get_by_label("Add a note").fill("<script>alert(1)</script> called back")
    activity.get_by_role("button", name="Add note").click()
    expect(activity.locator("li.event").first).to_contain_text(
        "<script>alert(1)</script> called back"
    )
    expect(activity.get_by_role("tab", name="Notes")).to_have_attribute("aria-selected", "true")


def test_add_a_referral_found_by_search(customer_page: Page) -> None:
    page = customer_page
    page.get_by_role("link", name="Add referral").click()
    dialog = opened(page, "Add referral")
    dialog.get_by_role("searchbox").fill("Newcomer")
    dialog.get_by_label(re.compile("Zoe Newcomer")).check()
    dialog.get_by_role("button", name="Save referral").click()
    expect(dialog).to_be_hidden()
    referred = page.locator("#clients-referred li", has_text="Zoe Newcomer")
    expect(referred).to_contain_text("Pending")
    referred.get_by_role("link", name="Zoe Newcomer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoe Newcomer")
    expect(page.locator("#referred-by")).to_contain_text("Maria Gonzalez")
    page.evaluate("window.notReloaded = true")  # a link is a new page, on purpose


def test_a_stale_preferences_form_cannot_undo_a_stop_and_clearing_needs_the_request(
    customer_page: Page, maria: Customer
) -> None:
    from crm.customers.models import ContactConsent
    from crm.messaging.services.consent import address_opt_out_set

    page = customer_page
    section = page.locator("#communication-preferences")
    # given the office opened the preferences form
    section.get_by_role("link", name="Edit preferences").click()
    expect(section.get_by_role("button", name="Save preferences")).to_be_visible()
    settle(page)
    # when the customer's number writes STOP while it is open, and the office saves
    Customer.objects.filter(pk=maria.pk).update(phone="+13055550100")
    address_opt_out_set(channel="SMS", address="+13055550100", opted_out=True,
                        source="Keyword", reason="The customer wrote 'STOP'.")  # fmt: skip
    section.get_by_label("Language").fill("es-MX")
    section.get_by_role("button", name="Save preferences").click()
    # then the save is refused with the reason, and nothing changed
    expect(section).to_contain_text("after this form was opened")
    saved = Customer.objects.get(pk=maria.pk)
    assert saved.language_preference != "es-MX"
    assert ContactConsent.objects.get(customer=maria, channel="SMS").opted_out_at is not None
    # when the office reopens the form, the opt-out is fixed there; clearing asks for the request
    section.get_by_role("button", name="Cancel").click()
    section.get_by_role("link", name="Edit preferences").click()
    settle(page)
    expect(section.locator('input[name="sms_opted_out"][value="yes"]')).to_be_disabled()
    section.locator("#consent-clear-sms").click()
    settle(page)
    section.get_by_role("button", name="Clear opt-out").click()
    expect(section).to_contain_text("This field is required.")
    section.get_by_label("The customer's request").fill("Called today at 10:15, wants visit texts.")
    section.get_by_role("button", name="Clear opt-out").click()
    expect(section).to_contain_text("Edit preferences")
    assert ContactConsent.objects.get(customer=maria, channel="SMS").opted_out_at is None
