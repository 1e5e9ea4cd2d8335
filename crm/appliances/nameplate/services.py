"""Reading a nameplate photo for an appliance, and saving what a person confirmed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse

from crm.appliances.models import Appliance
from crm.appliances.nameplate.images import photo_open, photo_to_keep, upload_read
from crm.appliances.nameplate.llm import llm_reads_images, nameplate_read_llm
from crm.appliances.nameplate.ocr import NameplateReading, nameplate_read_ocr
from crm.appliances.selectors import appliance_get
from crm.appliances.services import appliance_create, appliance_update
from crm.core.dates import company_today
from crm.core.errors import NotFound

CONFIRMED_FIELDS = (
    "brand", "model_number", "serial_number", "manufactured_on", "manufactured_on_rule",
)  # fmt: skip


def nameplate_read(*, data: bytes, today: dt.date | None = None) -> NameplateReading:
    """What the photo's nameplate says; nothing is saved. With an LLM that reads images, its
    checked answer first; else (or when it has none) Tesseract. A photo that is empty, over
    10 MB, not an image or without a readable model or serial is refused (ValidationFailed)."""
    image, day = photo_open(data), today or company_today()
    if llm_reads_images():
        reading = nameplate_read_llm(photo_to_keep(image), today=day)
        if reading is not None:
            return reading
    return nameplate_read_ocr(image, today=day)


def appliance_nameplate_read(
    *, appliance_id: int, data: bytes, today: dt.date | None = None
) -> NameplateReading:
    """nameplate_read for an existing appliance (NotFound when there is none)."""
    appliance_get(appliance_id=appliance_id)
    return nameplate_read(data=data, today=today)


@transaction.atomic
def appliance_nameplate_save(
    *, appliance_id: int, fields: dict[str, Any], photo: bytes | None
) -> Appliance:
    """Write the confirmed brand, model, serial and manufacture date, and keep the photo (as a
    JPEG without EXIF, so without its location) in place of any earlier one."""
    kept = photo_to_keep(photo_open(photo)) if photo is not None else None
    confirmed = {name: value for name, value in fields.items() if name in CONFIRMED_FIELDS}
    appliance = appliance_update(appliance_id=appliance_id, fields=confirmed)
    if kept is not None:
        earlier = appliance.photo.name
        appliance.photo.save("nameplate.jpg", ContentFile(kept), save=True)
        if earlier:
            storage = appliance.photo.storage
            transaction.on_commit(lambda: storage.delete(earlier))
    return appliance


@transaction.atomic
def appliance_add_with_photo(*, customer_id: int, data: dict[str, Any]) -> Appliance:
    """Record an appliance (appliance_create) and keep the nameplate photo it was read from."""
    upload = data.pop("image", None)
    photo = photo_to_keep(photo_open(upload_read(upload))) if upload else None
    appliance = appliance_create(customer_id=customer_id, fields=data)
    if photo is not None:
        appliance.photo.save("nameplate.jpg", ContentFile(photo), save=True)
    return appliance


def photo_response(appliance: Appliance) -> HttpResponse:
    """The appliance's kept photo as a private JPEG response, or NotFound when it has none."""
    if not appliance.photo:
        raise NotFound("This appliance has no nameplate photo.")
    with appliance.photo.open("rb") as photo:
        response = HttpResponse(photo.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
