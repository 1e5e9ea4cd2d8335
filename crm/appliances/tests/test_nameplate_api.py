"""POST /api/appliance/{id}/nameplate end to end on nameplate photos rendered here, confirming
with the photo, and the clear 422s for bad photos (nothing saved)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from crm.appliances.models import Appliance
from crm.appliances.tests import nameplate_images as img
from crm.appliances.tests.factories import ApplianceFactory

pytestmark = pytest.mark.django_db
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed: `make test` installs tesseract-ocr (as root on Debian).",
)

SAMSUNG = (["SAMSUNG", "MODEL: RF28R7351SR/AA", "SERIAL NO: 0BWH5AKM800123F", "115V 60Hz 12A"],
           img.DEJAVU_BOLD, "Samsung", "RF28R7351SRAA", "0BWH5AKM800123F")  # fmt: skip
GE = (["GE Appliances", "MODEL NO. GTS18GTHBRWW", "SERIAL NO. MV123456R", "120V 60Hz"],
      img.LIBERATION, "GE", "GTS18GTHBRWW", "MV123456R")  # fmt: skip
WHIRLPOOL = (["WHIRLPOOL CORPORATION", "MOD. WRF555SDFZ00", "SER. C61512345"],
             img.DEJAVU_MONO, "Whirlpool", "WRF555SDFZ00", "C61512345")  # fmt: skip
SPANISH = (["FRIGIDAIRE", "MODELO: FFTR1835VW", "N° DE SERIE: BA92212345", "Hecho en EE.UU."],
           img.LIBERATION_SERIF, "Frigidaire", "FFTR1835VW", "BA92212345")  # fmt: skip
RULES = {"Samsung": "Samsung", "GE": "GE", "Whirlpool": "Whirlpool", "Frigidaire": "Frigidaire"}

Fault = Callable[[Image.Image], Image.Image]
FAULTS: dict[str, Fault] = {
    "clean": lambda label: img.in_cabinet(label),
    "rotated 4 degrees": lambda label: img.rotated(img.in_cabinet(label), 4),
    "noise": lambda label: img.noisy(img.in_cabinet(label)),
    "glare": lambda label: img.glare(img.in_cabinet(label)),
    "blur": lambda label: img.blurred(img.in_cabinet(label)),
    "perspective": lambda label: img.perspective(img.in_cabinet(label)),
    "curved door": lambda label: img.curved(img.in_cabinet(label)),
    "taken sideways": lambda label: img.rotated(img.in_cabinet(label), 90),
    "all at once": lambda label: img.blurred(
        img.noisy(img.glare(img.rotated(img.in_cabinet(label), -3))), 1.0
    ),
}
CASES = [
    (SAMSUNG, "clean"), (SAMSUNG, "glare"), (SAMSUNG, "curved door"), (SAMSUNG, "perspective"),
    (GE, "rotated 4 degrees"), (GE, "noise"), (GE, "taken sideways"),
    (WHIRLPOOL, "blur"), (WHIRLPOOL, "all at once"),
    (SPANISH, "clean"), (SPANISH, "curved door"), (SPANISH, "noise"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def photo_store(settings: Any, tmp_path: Path) -> Path:
    """Nameplate photos go to a fresh directory for each test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "nameplates": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _read(client: Client, appliance: Appliance, data: bytes, name: str = "plate.jpg") -> Any:
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(f"/api/appliance/{appliance.pk}/nameplate", {"image": upload})


def _unchanged(appliance: Appliance, photo_store: Path) -> None:
    before = Appliance.objects.get(pk=appliance.pk)
    assert (before.brand, before.model_number, before.serial_number) == (
        appliance.brand, appliance.model_number, appliance.serial_number,
    )  # fmt: skip
    assert before.manufactured_on is None
    assert not before.photo
    assert list(photo_store.iterdir()) == []


@needs_tesseract
@pytest.mark.parametrize(("plate", "fault"), CASES, ids=[f"{p[2]}-{f}" for p, f in CASES])
def test_a_rendered_nameplate_photo_is_read_end_to_end(
    staff_client: Client, photo_store: Path, plate: tuple[Any, ...], fault: str
) -> None:
    # given
    lines, font, brand, model, serial = plate
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    photo = img.as_file(FAULTS[fault](img.nameplate(lines, font=font)))
    # when
    response = _read(staff_client, appliance, photo)
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["brand"], body["modelNumber"], body["serialNumber"]) == (brand, model, serial)
    assert body["manufacturedOnRule"].startswith(RULES[brand])
    assert body["manufacturedOnCandidates"]
    assert body["source"] == "ocr"
    assert 0 < body["confidence"] <= 1
    assert serial[-5:] in body["rawText"].replace(" ", "")
    _unchanged(appliance, photo_store)  # reading saves nothing


@needs_tesseract
def test_a_heic_photo_from_an_iphone_is_read(staff_client: Client, photo_store: Path) -> None:
    # given
    lines, font, _, _, serial = GE
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    photo = img.as_file(img.in_cabinet(img.nameplate(lines, font=font)), fmt="HEIF")
    # when
    response = _read(staff_client, appliance, photo, name="IMG_0001.HEIC")
    # then
    assert response.status_code == 200, response.content
    assert response.json()["serialNumber"] == serial
    assert response.json()["manufacturedOn"] is None  # GE's year letter repeats
    assert response.json()["manufacturedOnCandidates"][:2] == ["2023-07-01", "2011-07-01"]


def _photo_with_location() -> bytes:
    image = img.in_cabinet(img.nameplate(["RHEEM", "SERIAL Q041512345"]))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (40.0, 44.0, 55.0), 3: "W", 4: (73.0, 59.0, 11.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_confirming_saves_the_values_and_the_photo_without_its_location(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", install_date=None)
    original = _photo_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test can fail
    upload = SimpleUploadedFile("plate.jpg", original, content_type="image/jpeg")
    fields = {"brand": "Rheem", "modelNumber": "XE50M06ST45U1", "serialNumber": "Q041512345",
              "manufacturedOn": "2015-04-01", "manufacturedOnRule": "Rheem month+year"}  # fmt: skip
    # when
    response = staff_client.post(
        f"/api/appliance/{appliance.pk}/nameplate/confirm", {"image": upload, **fields}
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["brand"], body["serialNumber"]) == ("Rheem", "Q041512345")
    assert (body["manufacturedOn"], body["hasNameplatePhoto"]) == ("2015-04-01", True)
    saved = Appliance.objects.get(pk=appliance.pk)
    assert saved.manufactured_on == dt.date(2015, 4, 1)
    kept = (photo_store / saved.photo.name).read_bytes()
    assert len(Image.open(io.BytesIO(kept)).getexif()) == 0
    photo = staff_client.get(f"/api/appliance/{appliance.pk}/nameplate/photo")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content if photo.streaming else [photo.content]) == kept
    assert Client().get(f"/api/appliance/{appliance.pk}/nameplate/photo").status_code == 401


def test_a_manufacture_date_in_the_future_is_refused_and_nothing_is_saved(
    staff_client: Client, photo_store: Path
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    upload = SimpleUploadedFile("plate.jpg", _photo_with_location(), content_type="image/jpeg")
    # when
    response = staff_client.post(
        f"/api/appliance/{appliance.pk}/nameplate/confirm",
        {"image": upload, "brand": "Rheem", "manufacturedOn": "2999-01-01"},
    )
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "manufacturedOn"
    _unchanged(appliance, photo_store)


def _blank_photo() -> bytes:
    return img.as_file(Image.new("RGB", (800, 600), (120, 120, 120)))


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"Model: ABC123\nSerial: C61512345\n", "not a photo"),
        (b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "larger than 10 MB"),
        (_gif(), "JPEG, PNG, WebP or HEIC"),
        (img.as_file(Image.new("RGB", (800, 600)))[:300], "not a photo"),  # cut short
    ],
    ids=["0 bytes", "text", "50 MB", "GIF", "truncated JPEG"],
)
def test_a_bad_photo_gets_a_clear_422_and_nothing_is_saved(
    staff_client: Client, photo_store: Path, data: bytes, message: str
) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    # when
    response = _read(staff_client, appliance, data)
    # then
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    _unchanged(appliance, photo_store)


@needs_tesseract
def test_a_photo_with_no_text_gets_a_clear_422(staff_client: Client, photo_store: Path) -> None:
    # given
    appliance = ApplianceFactory(brand="Unknown", model_number="", serial_number="")
    # when
    response = _read(staff_client, appliance, _blank_photo())
    # then
    assert response.status_code == 422
    assert "No model or serial number could be read" in response.json()["detail"]
    _unchanged(appliance, photo_store)


def test_reading_for_an_appliance_that_does_not_exist_is_404(staff_client: Client) -> None:
    assert _read(staff_client, Appliance(pk=999_999), _blank_photo()).status_code == 404
