"""CSV files for the import tests, written the way spreadsheets write them."""

from __future__ import annotations

import csv
import io

HEADER = [
    "Name",
    "Phone",
    "Email",
    "Address",
    "Appliance type",
    "Brand",
    "Job date",
    "Job description",
    "Amount",
    "Payment method",
]


def csv_bytes(
    rows: list[list[str]], *, header: list[str] | None = None, bom: bool = False
) -> bytes:
    """A UTF-8 CSV of `rows` under `header` (HEADER by default), with Excel's BOM if asked."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def row(
    name: str = "Ana Ruiz",
    phone: str = "(555) 201-0001",
    email: str = "Ana@Example.com",
    address: str = "1 Elm St",
    appliance: str = "",
    brand: str = "",
    job_date: str = "",
    description: str = "",
    amount: str = "",
    method: str = "",
) -> list[str]:
    """One row under HEADER."""
    return [name, phone, email, address, appliance, brand, job_date, description, amount, method]


def counts(**given: int) -> dict[str, int]:
    """A plan's counts: the given ones, zero for the rest."""
    names = ("rows", "created", "updated", "skipped", "rows_with_errors", "errors",
             "appliances", "jobs", "payments")  # fmt: skip
    return {name: given.get(name, 0) for name in names}
