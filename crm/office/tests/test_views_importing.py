"""The import page: upload, proposed columns, dry run with errors, confirm with counts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from crm.core.tests.factories import UserFactory
from crm.customers.models import Customer
from crm.office.tests.csvfiles import csv_bytes, row

pytestmark = pytest.mark.django_db
URL = reverse("customer-import")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(client: Client, data: bytes, **headers: str) -> Any:
    upload = SimpleUploadedFile("customers.csv", data, content_type="text/csv")
    return client.post(URL, {"step": "upload", "file": upload, "preset": ""}, **headers)


def _token(response: Any) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no token on the page"
    return match.group(1)


def _mapping(response: Any) -> dict[str, str]:
    """The column choices the page shows as selected."""
    html = response.content.decode()
    chosen = {}
    for name, body in re.findall(r'<select name="(map_\w+)"[^>]*>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        if selected and selected.group(1):
            chosen[name] = selected.group(1)
    return chosen


def test_the_page_offers_the_upload_form(staff_client: Client) -> None:
    response = staff_client.get(URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "Detect from the header row" in response.content.decode()


def test_upload_proposes_columns_and_keeps_the_file(staff_client: Client, media: Path) -> None:
    response = _upload(staff_client, csv_bytes([row()]))

    assert response.status_code == 200
    assert _mapping(response) == {
        "map_name": "Name",
        "map_phone": "Phone",
        "map_email": "Email",
        "map_address": "Address",
        "map_appliance_type": "Appliance type",
        "map_appliance_brand": "Brand",
        "map_job_date": "Job date",
        "map_job_description": "Job description",
        "map_job_amount": "Amount",
        "map_payment_method": "Payment method",
    }
    assert len(list((media / "imports").iterdir())) == 1
    assert Customer.objects.count() == 0


def test_an_unreadable_upload_is_refused_on_the_form(staff_client: Client) -> None:
    response = _upload(staff_client, b"PK\x03\x04junk", HTTP_HX_REQUEST="true")

    assert response.status_code == 422
    assert "This is a workbook or another binary file, not CSV." in response.content.decode()
    assert "<html" not in response.content.decode()  # htmx gets the step's partial only


def test_dry_run_lists_each_error_and_offers_no_confirmation(staff_client: Client) -> None:
    # given
    token = _token(_upload(staff_client, csv_bytes([row(), row("Bo", "555-201-0009", "bo@")])))

    # when
    response = staff_client.post(
        URL,
        {
            "step": "check",
            "token": token,
            "map_name": "Name",
            "map_phone": "Phone",
            "map_email": "Email",
        },
    )

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 problem in 1 row: nothing can be imported until the file is fixed." in html
    assert re.search(
        r"<td[^>]*>3</td><td>Email</td><td>bad email address &#x27;bo@&#x27;</td>", html
    )
    assert 'value="confirm"' not in html
    assert Customer.objects.count() == 0


def test_confirm_imports_with_the_chosen_columns_and_shows_counts(
    staff_client: Client, media: Path
) -> None:
    # given: the user maps only name and phone (email left out)
    token = _token(_upload(staff_client, csv_bytes([row(), row("Bo", "555-201-0009", "")])))
    chosen = {"token": token, "map_name": "Name", "map_phone": "Phone"}
    dry_run = staff_client.post(URL, {"step": "check", **chosen})
    assert 'value="confirm"' in dry_run.content.decode()

    # when
    response = staff_client.post(URL, {"step": "confirm", **chosen})

    # then
    assert response.status_code == 200
    assert "Imported" in response.content.decode()
    assert list(Customer.objects.order_by("name").values_list("name", "phone", "email")) == [
        ("Ana Ruiz", "+15552010001", ""),
        ("Bo", "+15552010009", ""),
    ]
    assert list((media / "imports").iterdir()) == []


def test_another_users_token_is_refused(staff_client: Client) -> None:
    token = _token(_upload(staff_client, csv_bytes([row()])))
    other = Client()
    other.force_login(UserFactory(username="other"))

    response = other.post(URL, {"step": "confirm", "token": token, "map_name": "Name"})

    assert response.status_code == 422
    assert "The uploaded file has expired or is not yours; upload it again." in (
        response.content.decode()
    )
    assert Customer.objects.count() == 0


def test_a_confirmation_of_a_file_with_errors_is_refused_and_shows_them(
    staff_client: Client,
) -> None:
    token = _token(_upload(staff_client, csv_bytes([row(), row(email="bo@")])))

    response = staff_client.post(
        URL, {"step": "confirm", "token": token, "map_name": "Name", "map_email": "Email"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert "1 problem in the file: nothing was imported." in html
    assert "bad email address &#x27;bo@&#x27;" in html
    assert Customer.objects.count() == 0
