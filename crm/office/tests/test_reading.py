"""Reading the upload: tablib, BOM, delimiter, size limit and files that are not CSV."""

from __future__ import annotations

import pytest
from django.test import override_settings

from crm.office.importing.reading import FileRefused, FileTooLarge, csv_read
from crm.office.tests.csvfiles import csv_bytes


def test_a_utf8_file_with_excel_byte_order_mark_reads_clean_headers() -> None:
    table = csv_read(data=csv_bytes([["Zoë Brontë", "555"]], header=["Name", "Phone"], bom=True))

    assert table.headers == ["Name", "Phone"]
    assert table.rows == [("Zoë Brontë", "555")]


def test_semicolons_short_rows_and_blank_or_repeated_headers() -> None:
    data = b"Name;Phone;;Phone\nAna;555\n"

    table = csv_read(data=data)

    assert table.headers == ["Name", "Phone", "Column 3", "Phone (2)"]
    assert table.rows == [("Ana", "555", "", "")]


@override_settings(IMPORT_MAX_MB=1)
def test_a_file_over_the_limit_is_refused_with_413() -> None:
    with pytest.raises(FileTooLarge) as refused:
        csv_read(data=b"Name\n" + b"x" * (1024 * 1024))

    assert refused.value.status == 413
    assert refused.value.message == "The file is larger than 1 MB; split it and import each part."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00rest", "This is a workbook or another binary file, not CSV."),
        (
            "Name\nJos\u00e9\n".encode("latin-1"),
            "The file is not UTF-8 text (unreadable byte at position 8).",
        ),
        (b"", "The file is empty."),
        (b"Name,Phone\n", "The file has no rows under its header row."),
        (b"Name\nAna,555\n", "Row 2 has more cells than the header row has columns."),
        (b'Name\n"Ana\n', "The file cannot be read as CSV"),
    ],
)
def test_files_that_are_not_csv_are_refused_with_the_reason(data: bytes, message: str) -> None:
    with pytest.raises(FileRefused) as refused:
        csv_read(data=data)

    assert refused.value.message.startswith(message)
    assert refused.value.status == 422
