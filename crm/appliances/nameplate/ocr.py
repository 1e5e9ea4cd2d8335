"""Reading a nameplate photo offline with Tesseract (Debian's tesseract-ocr, via pytesseract)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytesseract
from PIL import Image

from crm.appliances.nameplate.fields import NameplateFields, nameplate_fields
from crm.appliances.nameplate.images import turned_candidates, upright_candidates
from crm.appliances.nameplate.serial_dates import manufacture_date
from crm.core.errors import ValidationFailed

LANGUAGES = "eng+spa"
# One uniform block of text; nameplates are short printed lines.
TESSERACT_CONFIG = "--oem 1 --psm 6"
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class NameplateReading:
    """What was read from a nameplate, for a person to confirm before anything is saved."""

    brand: str
    model_number: str
    serial_number: str
    manufactured_on: dt.date | None
    manufactured_on_candidates: list[dt.date]
    manufactured_on_rule: str
    confidence: float
    source: str
    raw_text: str
    fd_number: str = ""
    notes: list[str] = field(default_factory=list)


def tesseract_available() -> bool:
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def _text_and_confidence(image: Image.Image) -> tuple[str, float]:
    data = pytesseract.image_to_data(
        image, lang=LANGUAGES, config=TESSERACT_CONFIG, timeout=TIMEOUT_SECONDS,
        output_type=pytesseract.Output.DICT,
    )  # fmt: skip
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for index, word in enumerate(data["text"]):
        if word.strip():
            key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
            lines.setdefault(key, []).append(word)
            confidences.append(max(float(data["conf"][index]), 0.0))
    text = "\n".join(" ".join(words) for words in lines.values())
    return text, (sum(confidences) / len(confidences) / 100 if confidences else 0.0)


def _score(fields: NameplateFields) -> int:
    return (
        bool(fields.brand)
        + bool(fields.model_number)
        + bool(fields.serial_number or fields.fd_number)
        + 2 * fields.serial_fits_brand
    )


def _complete(fields: NameplateFields) -> bool:
    return bool(fields.brand and fields.model_number) and (
        fields.serial_fits_brand or bool(fields.fd_number)
    )


def read_text(image: Image.Image) -> tuple[str, float, NameplateFields]:
    """The best reading of the photo: upright first; the quarter turns only when upright finds
    no labelled value at all (each Tesseract pass costs about half a second)."""
    best = _best_of(upright_candidates(image), None)
    if _score(best[2]) <= 1:
        best = _best_of(turned_candidates(image), best)
    return best


Reading = tuple[str, float, NameplateFields]


def _best_of(candidates: Iterator[Image.Image], best: Reading | None) -> Reading:
    """The highest-scoring reading; stops at the first complete one."""
    for candidate in candidates:
        text, confidence = _text_and_confidence(candidate)
        fields = nameplate_fields(text)
        if best is None or _score(fields) > _score(best[2]):
            best = (text, confidence, fields)
        if _complete(fields):
            break
    assert best is not None  # every candidate iterator yields
    return best


def nameplate_read_ocr(image: Image.Image, *, today: dt.date) -> NameplateReading:
    """Read the photo with Tesseract; the date of manufacture comes from the serial's rule."""
    if not tesseract_available():
        raise ValidationFailed(
            "Reading photos is not set up on this server (Tesseract is not installed).",
            field="image",
        )
    text, confidence, fields = read_text(image)
    if not (fields.model_number or fields.serial_number or fields.fd_number):
        raise ValidationFailed(
            "No model or serial number could be read from this photo. Try a closer, "
            "sharper photo of the label, with the light from the side.",
            field="image",
        )
    return reading_from_fields(fields, text=text, confidence=confidence, source="ocr", today=today)


def reading_from_fields(
    fields: NameplateFields, *, text: str, confidence: float, source: str, today: dt.date
) -> NameplateReading:
    """A reading with the manufacture date decided (or its candidates) by the brand's rule."""
    dated = manufacture_date(
        brand=fields.brand, serial=fields.serial_number, fd_number=fields.fd_number, today=today
    )
    notes = [] if fields.serial_fits_brand or not fields.serial_number else [
        "The serial number does not match the brand's usual format: check it against the label."
    ]  # fmt: skip
    if dated is not None and dated.manufactured_on is None:
        notes.append("The serial repeats every decade or so: choose the right date.")
    return NameplateReading(
        brand=fields.brand, model_number=fields.model_number,
        serial_number=fields.serial_number,
        manufactured_on=dated.manufactured_on if dated else None,
        manufactured_on_candidates=list(dated.candidates) if dated else [],
        manufactured_on_rule=dated.rule if dated else "",
        confidence=round(confidence, 2), source=source, raw_text=text,
        fd_number=fields.fd_number, notes=notes,
    )  # fmt: skip
