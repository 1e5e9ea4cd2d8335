"""Reading an uploaded CSV with tablib: size limit, encoding, delimiter, header row."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from tablib.core import InvalidDimensions

from crm.core.errors import ValidationFailed

SAVE_AS_CSV = 'In Excel or Google Sheets, save or download it as "CSV UTF-8" and upload that.'


class FileRefused(ValidationFailed):
    """The upload cannot be read as a CSV of customers; nothing was checked or written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


class FileTooLarge(FileRefused):
    """The upload is over IMPORT_MAX_MB."""

    status = 413


@dataclass(frozen=True)
class Table:
    """The file's header row (unique, non-empty names) and its data rows as text."""

    headers: list[str]
    rows: list[tuple[str, ...]]


def _text(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:8192]:
        raise FileRefused(f"This is a workbook or another binary file, not CSV. {SAVE_AS_CSV}")
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as error:
        raise FileRefused(
            f"The file is not UTF-8 text (unreadable byte at position {error.start}). "
            + SAVE_AS_CSV
        ) from None
    if "\x00" in text:
        raise FileRefused(f"The file contains binary data, not CSV. {SAVE_AS_CSV}")
    return text


def _delimiter(text: str) -> str:
    """Comma, or the semicolon / tab of spreadsheets in some countries, by the header row."""
    first_line = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=first_line.count)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    named = []
    for index, header in enumerate(headers, start=1):
        name = header.strip() or f"Column {index}"
        seen[name] = seen.get(name, 0) + 1
        named.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return named


def _size_check(size: int) -> None:
    limit_mb = settings.IMPORT_MAX_MB
    if size > limit_mb * 1024 * 1024:
        raise FileTooLarge(f"The file is larger than {limit_mb} MB; split it and import each part.")


def upload_bytes(upload: UploadedFile) -> bytes:  # type: ignore[type-arg]
    """An uploaded file's bytes, refused before reading when over IMPORT_MAX_MB."""
    _size_check(upload.size or 0)
    data: bytes = upload.read()
    return data


def csv_read(*, data: bytes) -> Table:
    """The CSV's rows; a file too large, not text or not CSV is refused with the reason."""
    _size_check(len(data))
    text = _text(data)
    if not text.strip():
        raise FileRefused("The file is empty.")
    dataset = tablib.Dataset()
    try:
        # strict: an unclosed quote is an error, not the rest of the file in one cell.
        dataset.load(text, format="csv", delimiter=_delimiter(text), strict=True)
    except InvalidDimensions:
        raise FileRefused(
            f"Row {len(dataset) + 2} has more cells than the header row has columns."
        ) from None
    except csv.Error as error:
        raise FileRefused(f"The file cannot be read as CSV: {error}.") from None
    if not dataset.headers or not len(dataset):
        raise FileRefused("The file has no rows under its header row.")
    return Table(headers=_unique(list(dataset.headers)), rows=list(dataset))
