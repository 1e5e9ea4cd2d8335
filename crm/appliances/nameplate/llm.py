"""Reading a nameplate with an LLM whose model reads images (LLM_READS_IMAGES), through the
crm/llm port: a strict JSON-schema answer, then the same checks as the OCR's values get."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field

from crm.appliances.nameplate.fields import NameplateFields, clean_value, fit_serial
from crm.appliances.nameplate.ocr import NameplateReading, reading_from_fields
from crm.appliances.nameplate.serial_dates import brand_family
from crm.llm.ports import LLMRequest
from crm.llm.schema import strict_json_schema
from crm.llm.services import llm_complete

SYSTEM = (
    "You read appliance rating plates (nameplates) in photos. Copy the brand, the model number, "
    "the serial number and, on Bosch, Thermador, Gaggenau or Siemens plates, the 4-digit FD "
    "number exactly as printed. Use an empty string for anything you cannot read; never guess."
)
USER = "Read the nameplate in this photo."
# A serial that fits the brand's format is as good as the OCR's best; one that does not is not
# trusted at all (the OCR reads the photo instead).
FITTING_CONFIDENCE = 0.9
UNCHECKED_CONFIDENCE = 0.6


class NameplateAnswer(BaseModel):
    """The LLM's reading of a nameplate."""

    model_config = ConfigDict(extra="forbid")

    brand: str = Field(max_length=100)
    model_number: str = Field(max_length=100)
    serial_number: str = Field(max_length=100)
    fd_number: str = Field(max_length=10)


def llm_reads_images() -> bool:
    return bool(settings.LLM_READS_IMAGES)


def nameplate_read_llm(photo_jpeg: bytes, *, today: dt.date) -> NameplateReading | None:
    """The LLM's reading, checked against the brand's formats; None when there is no usable
    answer (offline, budget, error) or its serial breaks the brand's format."""
    request = LLMRequest(
        feature="read-nameplate", system=SYSTEM, user=USER, schema_name="Nameplate",
        json_schema=strict_json_schema(NameplateAnswer), max_output_tokens=200,
        images=(photo_jpeg,),
    )  # fmt: skip
    answer = llm_complete(request=request, output_model=NameplateAnswer).parsed
    if answer is None:
        return None
    family = brand_family(answer.brand)
    serial, fits = fit_serial(answer.serial_number, family)
    fd_number = answer.fd_number.strip() if answer.fd_number.strip().isdigit() else ""
    fields = NameplateFields(
        brand=answer.brand.strip(), model_number=clean_value(answer.model_number),
        serial_number=serial, fd_number=fd_number[:4], serial_fits_brand=fits,
    )  # fmt: skip
    if not (fields.model_number or fields.serial_number) or (serial and family and not fits):
        return None
    confidence = FITTING_CONFIDENCE if fits else UNCHECKED_CONFIDENCE
    text = json.dumps(answer.model_dump())
    return reading_from_fields(fields, text=text, confidence=confidence, source="llm", today=today)
