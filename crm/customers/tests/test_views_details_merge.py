"""Customer Details: edit the contact details in a modal; merge two records of one customer."""

from __future__ import annotations

import pytest
from django.test import Client

from crm.core.errors import Conflict
from crm.customers import views
from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.tests.factories import JobFactory, PaymentFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
DETAILS = {"name": "Ana Ruiz", "phone": "305 555 0199", "email": "ANA@x.com", "address": "2 Bay Rd"}


def test_the_details_form_shows_the_phone_in_national_format(staff_client: Client) -> None:
    customer = CustomerFactory(phone="+13055550142")
    response = staff_client.get(f"/customers/{customer.pk}/details/", **HTMX)
    assert response.status_code == 200
    assert 'value="(305) 555-0142"' in response.content.decode()


def test_saving_details_fires_details_changed(staff_client: Client) -> None:
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(f"/customers/{customer.pk}/details/", DETAILS, **HTMX)
    # then
    assert response.status_code == 204
    assert response["HX-Trigger"] == (
        '{"details-changed": {}, "crm:confirmed": {"text": "Contact details saved", "undo": "", '
        '"link": "", "linkText": ""}}'
    )
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.email, customer.address) == (
        "Ana Ruiz",
        "+13055550199",
        "ana@x.com",
        "2 Bay Rd",
    )


def test_a_bad_phone_comes_back_inline_and_changes_nothing(staff_client: Client) -> None:
    # given
    customer = CustomerFactory(name="Kept", phone="+13055550142")
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/details/", {**DETAILS, "phone": "12"}, **HTMX
    )
    # then
    assert response.status_code == 422
    assert "wrong number of digits" in response.content.decode()
    customer.refresh_from_db()
    assert (customer.name, customer.phone) == ("Kept", "+13055550142")


def test_the_details_card_reloads_with_the_phone_for_people_and_the_header(
    staff_client: Client,
) -> None:
    # given
    customer = CustomerFactory(name="Ana", phone="+13055550142")
    # when
    card = staff_client.get(f"/customers/{customer.pk}/cards/customer-details/", **HTMX)
    # then
    html = card.content.decode()
    assert 'hx-trigger="details-changed from:body"' in html
    assert '<a href="tel:+13055550142">(305) 555-0142</a>' in html
    assert "Preferred Technician" in html
    assert '<header class="page-head" id="page-header" hx-swap-oob="outerHTML">' in html
    assert "<h1>Ana</h1>" in html


def test_the_whole_page_has_one_header_and_none_out_of_band(staff_client: Client) -> None:
    customer = CustomerFactory(name="Ana")
    html = staff_client.get(f"/customers/{customer.pk}/").content.decode()
    assert html.count('id="page-header"') == 1
    assert "hx-swap-oob" not in html


def test_merge_search_lists_other_customers_with_links_to_confirm(staff_client: Client) -> None:
    # given
    merged = CustomerFactory(name="Ana Ruiz")
    kept = CustomerFactory(name="Ana R. Ruiz")
    # when
    response = staff_client.get(f"/customers/{merged.pk}/merge/", {"q": "ana"})
    # then
    html = response.content.decode()
    assert f'href="/customers/{merged.pk}/merge/{kept.pk}/">Keep Ana R. Ruiz</a>' in html
    assert f"/merge/{merged.pk}/" not in html


def test_the_confirmation_says_what_moves_and_merging_opens_the_kept(staff_client: Client) -> None:
    # given
    merged, kept = CustomerFactory(name="Old Ana"), CustomerFactory(name="Ana")
    JobFactory.create_batch(2, customer=merged)
    PaymentFactory(customer=merged)
    url = f"/customers/{merged.pk}/merge/{kept.pk}/"
    # when
    html = staff_client.get(url).content.decode()
    # then
    assert "Merge Old Ana into Ana?" in html
    assert "<li>2 jobs</li>" in html
    assert "<li>1 payment</li>" in html
    assert Customer.objects.count() == 2
    # when
    response = staff_client.post(url)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{kept.pk}/"
    assert list(Customer.objects.values_list("name", flat=True)) == ["Ana"]
    assert kept.jobs.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_merging_into_itself_or_a_missing_customer_is_a_404(
    staff_client: Client, method: str
) -> None:
    customer = CustomerFactory()
    for into in (customer.pk, customer.pk + 100):
        response = getattr(staff_client, method)(f"/customers/{customer.pk}/merge/{into}/")
        assert response.status_code == 404
    assert Customer.objects.count() == 1


def test_a_refused_merge_says_so_and_changes_nothing(staff_client: Client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # given
    merged, kept = CustomerFactory(name="Old Ana"), CustomerFactory(name="Ana")

    def refused(**kwargs: int) -> None:
        raise Conflict("These two customers cannot be merged: their records conflict.")

    monkeypatch.setattr(views, "customer_merge", refused)
    # when
    response = staff_client.post(f"/customers/{merged.pk}/merge/{kept.pk}/")
    # then
    assert response.status_code == 409
    assert "their records conflict. Nothing was changed." in response.content.decode()
    assert Customer.objects.count() == 2
