"""Reading a nameplate photo offline with Tesseract (Debian's tesseract-ocr, via pytesseract)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field

import pytesseract
from PIL import Image

from crm.appliances.nameplate.fields import NameplateFields, nameplate_fields
from crm.appliances.nameplate.images import cleaned, contrast_only, deskewed, turned
from crm.appliances.nameplate.serial_dates import manufacture_date
from crm.core.errors import ValidationFailed

LANGUAGES = "eng+spa"
# One uniform block of text; nameplates are short printed lines.
TESSERACT_CONFIG = "--oem 1 --psm 6"
TIMEOUT_SECONDS = 20
Reading = tuple[str, float, NameplateFields]


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


def read_text(image: Image.Image) -> Reading:
    """The best reading of the photo: upright first, then contrast only when labels were found
    but a value was not, or the quarter turns (Tesseract's orientation guess first) when
    nothing labelled was found. Each Tesseract pass costs about half a second."""
    clean = cleaned(image)
    best = _reading(deskewed(clean))
    if _complete(best[2]):
        return best
    if _score(best[2]) > 1:
        return _best_of((contrast_only(image),), best)
    return _best_of((turned(clean, turn) for turn in _turn_order(clean)), best)


def _turn_order(clean: Image.Image) -> list[int]:
    """Quarter turns (clockwise) to try, the one Tesseract's orientation detection names first."""
    turns = [90, 270, 180]
    try:
        osd = pytesseract.image_to_osd(
            clean, timeout=TIMEOUT_SECONDS, output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError:  # too little text to tell
        return turns
    guess = int(osd.get("rotate", 0))
    return [guess, *(turn for turn in turns if turn != guess)] if guess in turns else turns


def _reading(candidate: Image.Image) -> Reading:
    text, confidence = _text_and_confidence(candidate)
    return text, confidence, nameplate_fields(text)


def _best_of(candidates: Iterable[Image.Image], best: Reading) -> Reading:
    """The highest-scoring reading; stops at the first complete one."""
    for candidate in candidates:
        reading = _reading(candidate)
        if _score(reading[2]) > _score(best[2]):
            best = reading
        if _complete(reading[2]):
            break
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
