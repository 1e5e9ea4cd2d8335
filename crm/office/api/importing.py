"""JSON endpoints of the office: the CSV import of customers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, FormEx, P
from ninja.files import UploadedFile

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import ErrorOut
from crm.office.importing.apply import (
    ERRORS_LISTED,
    ImportChecked,
    customers_import,
    customers_import_check,
)
from crm.office.importing.presets import PRESETS, mapping_parse
from crm.office.importing.reading import upload_bytes
from crm.office.schemas import ImportOut

router = ApiRouter(tags=["import"])
ROWS_LISTED = 100
MAPPING_HELP = 'JSON {"ourField": "their column"}; empty: proposed from the header row'
PRESET_HELP = f"Whose export the file is: {', '.join(PRESETS)}; empty: guessed"


def _out(checked: ImportChecked, *, dry_run: bool) -> dict[str, Any]:
    plan = checked.plan
    return {
        "dry_run": dry_run,
        "imported": not dry_run,
        "counts": plan.counts(),
        "mapping": checked.mapping,
        "rows": plan.results[:ROWS_LISTED],
        "errors": plan.errors[:ERRORS_LISTED],
    }


@router.post("/import/customers", response={200: ImportOut, 413: ErrorOut})
def import_customers(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: FormEx[bool, P(alias="dryRun")] = True,
    mapping: FormEx[str, P(description=MAPPING_HELP)] = "",
    preset: FormEx[str, P(description=PRESET_HELP)] = "",
) -> dict[str, Any]:
    """Import customers (with an appliance and a past job per row) from CSV: dryRun=true
    checks every row and writes nothing; false writes all rows or, on any error, none."""
    data, parsed = upload_bytes(file), mapping_parse(mapping)
    if dry_run:
        return _out(customers_import_check(data=data, mapping=parsed, preset=preset), dry_run=True)
    checked = customers_import(
        data=data, mapping=parsed, preset=preset, author=request_user(request)
    )
    return _out(checked, dry_run=False)
