"""The Client Appliances card and its modal: add, edit, delete."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from crm.appliances.models import Appliance
from crm.appliances.tests.factories import ApplianceFactory
from crm.core.dates import company_today
from crm.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def fields(**changes: str) -> dict[str, str]:
    data = {
        "type": "Dryer", "brand": "Maytag", "model_number": "MED6230HW",
        "serial_number": "MY1234", "install_date": "2019-05-02",
        "last_service_date": "2024-11-20", "warranty_expires_on": "2029-05-02",
    }  # fmt: skip
    return {**data, **changes}


def card(staff_client, customer) -> str:  # type: ignore[no-untyped-def]
    url = f"/customers/{customer.pk}/cards/client-appliances/"
    return staff_client.get(url, **HTMX).content.decode()


def test_the_card_shows_each_appliance_with_its_age_against_its_lifespan(staff_client):
    # given a refrigerator (13 years expected) installed 6.5 years ago, warranty over
    customer = CustomerFactory()
    today = company_today()
    ApplianceFactory(
        customer=customer, brand="Whirlpool", model_number="WRF555", serial_number="S-77",
        install_date=today - dt.timedelta(days=round(6.5 * 365.25)),
        warranty_expires_on=today - dt.timedelta(days=1), last_service_date=dt.date(2025, 2, 3),
    )  # fmt: skip
    # when
    html = card(staff_client, customer)
    # then
    assert "Refrigerator" in html
    assert "Whirlpool" in html
    assert "WRF555" in html
    assert "S-77" in html
    assert "Feb 3, 2025" in html
    assert "Expired" in html
    assert 'aria-valuenow="50"' in html
    assert "6.5 years old of about 13.0 expected (50%)" in html
    assert 'class="fill good" width="50" height="1"' in html


def test_an_appliance_past_its_lifespan_fills_the_bar_and_says_so(staff_client):
    customer = CustomerFactory()
    ApplianceFactory(customer=customer, install_date=company_today() - dt.timedelta(days=20 * 365))
    html = card(staff_client, customer)
    assert 'class="fill past" width="100" height="1"' in html
    assert "past its expected lifespan" in html


def test_an_appliance_without_install_date_has_no_bar(staff_client):
    customer = CustomerFactory()
    ApplianceFactory(customer=customer, install_date=None)
    html = card(staff_client, customer)
    assert 'role="meter"' not in html
    assert "Install date unknown" in html


def test_the_add_form_opens_in_the_modal_with_labels(staff_client):
    customer = CustomerFactory()
    response = staff_client.get(f"/customers/{customer.pk}/appliances/new/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="modal-title">Add appliance</h2>' in html
    for name in ("type", "brand", "model_number", "serial_number", "install_date"):
        assert f'<label for="id_{name}">' in html
    assert 'type="date"' in html
    assert "<html" not in html


def test_adding_an_appliance_saves_it_and_reloads_the_card(staff_client):
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(f"/customers/{customer.pk}/appliances/new/", fields(), **HTMX)
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"appliances-changed", "crm:confirmed"}
    appliance = Appliance.objects.get(customer=customer)
    assert (appliance.type, appliance.brand) == ("Dryer", "Maytag")
    assert appliance.serial_number == "MY1234"
    assert appliance.install_date == dt.date(2019, 5, 2)
    assert appliance.warranty_expires_on == dt.date(2029, 5, 2)
    assert "Maytag" in card(staff_client, customer)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"brand": "  "}, "brand", "This field is required."),
        ({"type": "Toaster"}, "type", "Select a valid choice."),
        ({"install_date": "2019-02-30"}, "install_date", "Enter a valid date."),
        ({"install_date": "2999-01-01"}, "install_date", "cannot be in the future"),
        ({"last_service_date": "2018-01-01"}, "last_service_date",
         "Last service cannot be before the install date."),
        ({"serial_number": "x" * 101}, "serial_number", "at most 100 characters"),
    ],
)  # fmt: skip
def test_a_bad_appliance_is_refused_next_to_its_field(staff_client, changes, field, message):
    # given
    customer = CustomerFactory()
    # when
    response = staff_client.post(
        f"/customers/{customer.pk}/appliances/new/", fields(**changes), **HTMX
    )
    # then
    assert response.status_code == 422
    html = response.content.decode()
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert error is not None
    assert message in error.group(1)
    assert f'aria-invalid="true" aria-describedby="id_{field}_error"' in html
    assert not Appliance.objects.exists()


def test_editing_an_appliance_changes_it(staff_client):
    # given
    appliance = ApplianceFactory(brand="Whirlpool")
    url = f"/customers/{appliance.customer_id}/appliances/{appliance.pk}/"
    # when
    form = staff_client.get(url, **HTMX).content.decode()
    response = staff_client.post(url, fields(brand="KitchenAid", type="Refrigerator"), **HTMX)
    # then
    assert 'value="Whirlpool"' in form
    assert "Delete appliance" in form
    assert response.status_code == 204
    appliance.refresh_from_db()
    assert appliance.brand == "KitchenAid"


def test_deleting_an_appliance_removes_it(staff_client):
    appliance = ApplianceFactory()
    url = f"/customers/{appliance.customer_id}/appliances/{appliance.pk}/delete/"
    response = staff_client.post(url, **HTMX)
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {"appliances-changed", "crm:confirmed"}
    assert not Appliance.objects.filter(pk=appliance.pk).exists()
    assert staff_client.get(url).status_code == 405


def test_another_customers_appliance_cannot_be_reached_through_this_customer(staff_client):
    # given
    appliance = ApplianceFactory(brand="Kept")
    stranger = CustomerFactory()
    base = f"/customers/{stranger.pk}/appliances/{appliance.pk}/"
    # when / then
    assert staff_client.get(base, **HTMX).status_code == 404
    assert staff_client.post(base, fields(), **HTMX).status_code == 404
    assert staff_client.post(base + "delete/", **HTMX).status_code == 404
    appliance.refresh_from_db()
    assert appliance.brand == "Kept"


def test_without_htmx_the_form_is_a_page_and_saving_returns_to_the_card(staff_client):
    customer = CustomerFactory()
    url = f"/customers/{customer.pk}/appliances/new/"
    assert "<html" in staff_client.get(url).content.decode()
    response = staff_client.post(url, fields())
    assert response.status_code == 302
    assert response["Location"] == f"/customers/{customer.pk}/#client-appliances"
