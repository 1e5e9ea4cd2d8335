"""POST /api/import/customers: dry run, confirm, and 4xx for bad files and mappings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from crm.customers.models import Customer
from crm.office.tests.csvfiles import csv_bytes, row

pytestmark = pytest.mark.django_db
URL = "/api/import/customers"


def _post(client: Client, data: bytes, **fields: str) -> Any:
    upload = SimpleUploadedFile("customers.csv", data, content_type="text/csv")
    return client.post(URL, {"file": upload, **fields})


def test_dry_run_answers_counts_rows_and_errors_and_writes_nothing(staff_client: Client) -> None:
    # when
    response = _post(staff_client, csv_bytes([row(), row("Bo", "12", "bo@example.com")]))

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["dryRun"] is True
    assert body["imported"] is False
    assert body["counts"] == {
        "rows": 2,
        "created": 1,
        "updated": 0,
        "skipped": 0,
        "rowsWithErrors": 1,
        "errors": 1,
        "appliances": 0,
        "jobs": 0,
        "payments": 0,
    }
    assert body["rows"][0] == {
        "row": 2,
        "action": "create",
        "name": "Ana Ruiz",
        "detail": "new customer",
    }
    assert body["errors"] == [
        {
            "row": 3,
            "column": "Phone",
            "reason": (
                "bad phone number: Phone number '12' has the wrong number of digits "
                "for its country."
            ),
        }
    ]
    assert body["mapping"]["phone"] == "Phone"
    assert Customer.objects.count() == 0


def test_confirm_with_a_mapping_imports_and_reports_counts(staff_client: Client) -> None:
    data = csv_bytes([["Ana", "555 201 0001", "ANA@example.com"]], header=["Who", "Cell", "Mail"])
    mapping = json.dumps({"name": "Who", "phone": "Cell", "email": "Mail"})

    response = _post(staff_client, data, dryRun="false", mapping=mapping)

    assert response.status_code == 200
    assert response.json()["imported"] is True
    assert response.json()["counts"]["created"] == 1
    assert list(Customer.objects.values_list("name", "phone", "email")) == [
        ("Ana", "+15552010001", "ana@example.com")
    ]


def test_confirm_of_a_file_with_errors_is_422_with_every_row_error(staff_client: Client) -> None:
    response = _post(staff_client, csv_bytes([row(email="x@"), row()]), dryRun="false")

    assert response.status_code == 422
    assert response.json() == {
        "detail": (
            "1 problem in the file: nothing was imported. Fix them and import the file again."
        ),
        "errors": [{"field": "row 2: Email", "message": "bad email address 'x@'"}],
    }
    assert Customer.objects.count() == 0


@override_settings(IMPORT_MAX_MB=1)
def test_a_file_over_the_limit_is_413(staff_client: Client) -> None:
    response = _post(staff_client, b"Name\n" + b"a" * (1024 * 1024))

    assert response.status_code == 413
    assert (
        response.json()["detail"] == "The file is larger than 1 MB; split it and import each part."
    )


@pytest.mark.parametrize(
    ("data", "fields", "field", "detail"),
    [
        (b"PK\x03\x04junk", {}, "file", "This is a workbook or another binary file, not CSV."),
        (b"Name\nAna\n", {"mapping": "{nope"}, "mapping", "The mapping is JSON like"),
        (b"Name\nAna\n", {"mapping": '{"name": "Nom"}'}, "mapping", "The file has no column"),
        (b"Name\nAna\n", {"preset": "salesforce"}, "preset", "Unknown preset"),
    ],
)
def test_bad_files_and_mappings_are_422_naming_the_field(
    staff_client: Client, data: bytes, fields: dict[str, str], field: str, detail: str
) -> None:
    response = _post(staff_client, data, dryRun="false", **fields)

    assert response.status_code == 422
    assert response.json()["detail"].startswith(detail)
    assert response.json()["errors"][0]["field"] == field
    assert Customer.objects.count() == 0


def test_without_a_file_the_request_is_422(staff_client: Client) -> None:
    response = staff_client.post(URL, {"dryRun": "true"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file.file"  # ninja: (location, name)
