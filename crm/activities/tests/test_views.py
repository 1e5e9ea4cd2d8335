"""The Activity card: tabs, load more, adding a note."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from crm.activities.models import Activity
from crm.activities.tests.factories import ActivityFactory
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def activity_card(client, customer, tab: str = "all") -> str:  # type: ignore[no-untyped-def]
    url = f"/customers/{customer.pk}/cards/activity/?tab={tab}"
    return client.get(url, **HTMX).content.decode()


def test_the_card_has_the_six_tabs_with_all_selected(staff_client):
    html = activity_card(staff_client, CustomerFactory())
    for key, label in [("all", "All"), ("notes", "Notes"), ("calls", "Calls"),
                       ("whatsapp", "WhatsApp"), ("sms", "SMS"), ("email", "Email")]:  # fmt: skip
        assert f'id="timeline-tab-{key}"' in html
        assert f">{label}</a>" in html
    assert 'id="timeline-tab-all" aria-controls="timeline-panel" aria-selected="true"' in html
    assert 'role="tabpanel" id="timeline-panel" aria-labelledby="timeline-tab-all"' in html


def test_a_tab_shows_only_its_kind_newest_first(staff_client):
    # given
    customer = CustomerFactory()
    now = timezone.now()
    ActivityFactory(customer=customer, kind="Note", content="Older note",
                    occurred_at=now - dt.timedelta(days=2))  # fmt: skip
    ActivityFactory(customer=customer, kind="Note", content="Newer note", occurred_at=now)
    ActivityFactory(customer=customer, kind="SMS", direction="Inbound", content="An SMS")
    # when
    notes = activity_card(staff_client, customer, "notes")
    sms = activity_card(staff_client, customer, "sms")
    # then
    assert notes.index("Newer note") < notes.index("Older note")
    assert "An SMS" not in notes
    assert 'id="timeline-tab-notes" aria-controls="timeline-panel" aria-selected="true"' in notes
    assert "An SMS" in sms
    assert "Inbound" in sms
    assert "Older note" not in sms


def test_load_more_brings_the_next_twenty(staff_client):
    # given 45 calls
    customer = CustomerFactory()
    now = timezone.now()
    for n in range(45):
        ActivityFactory(
            customer=customer, kind="Call", direction="Outbound", content=f"Call number {n}.",
            occurred_at=now - dt.timedelta(minutes=n),
        )  # fmt: skip
    url = f"/customers/{customer.pk}/activity/?tab=calls&page="
    # when
    first = activity_card(staff_client, customer, "calls")
    second = staff_client.get(url + "2", **HTMX).content.decode()
    third = staff_client.get(url + "3", **HTMX).content.decode()
    # then
    assert first.count('class="event ') == 20
    assert f'hx-get="/customers/{customer.pk}/activity/?tab=calls&amp;page=2"' in first
    assert second.count('class="event ') == 20
    assert "Call number 20." in second
    assert "Call number 39." in second
    assert third.count('class="event ') == 5
    assert "Load more" not in third


def test_a_plain_load_more_link_opens_that_page_of_the_timeline(staff_client):
    customer = CustomerFactory()
    for n in range(25):
        ActivityFactory(customer=customer, content=f"Note {n}.")
    response = staff_client.get(f"/customers/{customer.pk}/activity/?tab=notes&page=2")
    assert response["Location"] == f"/customers/{customer.pk}/?tab=notes&activity_page=2#activity"
    html = staff_client.get(response["Location"]).content.decode()
    assert html.count('class="event ') == 5


def test_adding_a_note_signs_it_and_reloads_the_timeline(staff_client, staff_user):
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/notes/", {"content": "Prefers mornings."}, **HTMX
    )
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"activity-changed", "crm:confirmed"}
    note = Activity.objects.get(customer=customer)
    assert (note.kind, note.direction, note.content, note.author) == (
        "Note", "Internal", "Prefers mornings.", staff_user)  # fmt: skip
    html = activity_card(staff_client, customer, "notes")
    assert "Prefers mornings." in html
    assert f"by {staff_user.username}" in html


@pytest.mark.parametrize(("content", "message"), [
    ("   ", "This field is required."),
    ("x" * 10_001, "at most 10000 characters"),
])  # fmt: skip
def test_an_empty_or_huge_note_is_refused_next_to_the_field(staff_client, content, message):
    customer = CustomerFactory()
    response = staff_client.post(f"/customers/{customer.pk}/notes/", {"content": content}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_content_error"' in html
    assert message in html
    assert not Activity.objects.exists()


def test_a_note_with_markup_is_stored_as_written_and_shown_as_text(staff_client):
    customer = CustomerFactory()
    attack = "<script>alert(1)</script>"
    staff_client.post(f"/customers/{customer.pk}/notes/", {"content": attack}, **HTMX)
    assert Activity.objects.get().content == attack
    html = activity_card(staff_client, customer)
    assert attack not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
