"""Read nameplate on the Customer View's appliance card: photo -> what was read -> Save."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from crm.appliances.models import Appliance
from crm.appliances.tests import nameplate_images as img
from crm.appliances.tests.factories import ApplianceFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LINES = ["GE Appliances", "MODEL NO. GTS18GTHBRWW", "SERIAL NO. MV123456R"]


@pytest.fixture(autouse=True)
def photo_store(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "nameplates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _url(appliance: Appliance, tail: str = "") -> str:
    return f"/customers/{appliance.customer_id}/appliances/{appliance.pk}/nameplate/{tail}"


def _photo() -> SimpleUploadedFile:
    data = img.as_file(img.in_cabinet(img.nameplate(LINES, font=img.LIBERATION)))
    return SimpleUploadedFile("plate.jpg", data, content_type="image/jpeg")


def test_the_card_offers_read_nameplate_and_the_form_opens_the_camera(
    staff_client: Client,
) -> None:
    # given
    appliance = ApplianceFactory()
    # when
    card = staff_client.get(f"/customers/{appliance.customer_id}/cards/client-appliances/", **HTMX)
    form = staff_client.get(_url(appliance), **HTMX)
    # then
    assert f'href="{_url(appliance)}"' in card.content.decode()
    html = form.content.decode()
    assert 'accept="image/*"' in html
    assert 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed.")
def test_reading_shows_the_photo_and_editable_values_and_saves_nothing(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    # when
    response = staff_client.post(_url(appliance), {"image": _photo()}, **HTMX)
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="data:image/jpeg;base64,' in html
    assert 'value="GTS18GTHBRWW"' in html
    assert 'value="MV123456R"' in html
    assert '<option value="2023-07-01">July 2023</option>' in html  # GE's letters repeat
    assert Appliance.objects.get(pk=appliance.pk).serial_number == ""
    assert list(photo_store.iterdir()) == []


def test_a_read_without_a_photo_says_so(staff_client: Client) -> None:
    # given
    appliance = ApplianceFactory()
    # when
    response = staff_client.post(_url(appliance), {}, **HTMX)
    # then
    assert response.status_code == 422
    assert "Choose or take a photo of the nameplate first." in response.content.decode()


def test_save_writes_the_confirmed_values_and_keeps_the_photo(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", install_date=None)
    data = {"image": _photo(), "brand": "GE", "model_number": "GTS18GTHBRWW",
            "serial_number": "MV123456R", "manufactured_on": "2011-07-01",
            "manufactured_on_rule": "GE month+year letters"}  # fmt: skip
    # when
    response = staff_client.post(_url(appliance, "save/"), data, **HTMX)
    # then
    assert response.status_code == 204
    saved = Appliance.objects.get(pk=appliance.pk)
    assert (saved.brand, saved.serial_number) == ("GE", "MV123456R")
    assert saved.manufactured_on == dt.date(2011, 7, 1)
    assert saved.manufactured_on_rule == "GE month+year letters"
    assert [p.name for p in photo_store.iterdir()] == [saved.photo.name]
    photo = staff_client.get(_url(appliance, "photo/"))
    assert (photo.status_code, photo["Content-Type"]) == (200, "image/jpeg")


def test_save_refuses_a_future_date_next_to_the_field_and_saves_nothing(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown")
    data = {"image": _photo(), "brand": "GE", "manufactured_on": "2999-01-01"}
    # when
    response = staff_client.post(_url(appliance, "save/"), data, **HTMX)
    # then
    assert response.status_code == 422
    assert "This date cannot be in the future." in response.content.decode()
    assert Appliance.objects.get(pk=appliance.pk).brand == "Unknown"
    assert list(photo_store.iterdir()) == []


def test_the_photo_of_an_appliance_without_one_is_404(staff_client: Client) -> None:
    assert staff_client.get(_url(ApplianceFactory(), "photo/")).status_code == 404


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed.")
def test_the_add_form_reads_a_nameplate_into_its_fields_and_keeps_the_photo(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    customer = ApplianceFactory().customer
    add_url = f"/customers/{customer.pk}/appliances/new/"
    form = staff_client.get(add_url, **HTMX).content.decode()
    assert 'capture="environment"' in form
    # when: read, then save what was read with the same photo
    read = staff_client.post(add_url + "nameplate/", {"image": _photo()}, **HTMX)
    saved = staff_client.post(
        add_url,
        {"image": _photo(), "type": "Refrigerator", "brand": "GE", "model_number": "GTS18GTHBRWW",
         "serial_number": "MV123456R", "manufactured_on": "2011-07-01",
         "manufactured_on_rule": "GE month+year letters"},
        **HTMX,
    )  # fmt: skip
    # then
    html = read.content.decode()
    assert read.status_code == 200
    assert 'id="nameplate-fields" hx-swap-oob="true"' in html
    assert 'value="MV123456R"' in html
    assert saved.status_code == 204
    appliance = Appliance.objects.get(customer=customer, serial_number="MV123456R")
    assert appliance.manufactured_on == dt.date(2011, 7, 1)
    assert [p.name for p in photo_store.iterdir()] == [appliance.photo.name]
