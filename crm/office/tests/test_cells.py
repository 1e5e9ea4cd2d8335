"""One cell to one value: the forms other systems write dates, money and choices in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from crm.office.importing.cells import CLEANERS, CellError

MARCH_4 = dt.date(2025, 3, 4)


@pytest.mark.parametrize(
    ("field", "raw", "value"),
    [
        ("job_date", "2025-03-04", MARCH_4),
        ("job_date", "2025-03-04T10:30:00Z", MARCH_4),
        ("job_date", "03/04/2025", MARCH_4),  # COMPANY_COUNTRY US: month first
        ("job_date", "3/4/25", MARCH_4),
        ("job_date", "Mar 4, 2025", MARCH_4),
        ("job_amount", "$1,250.5", Decimal("1250.5")),
        ("job_amount", " 80 ", Decimal("80")),
        ("payment_method", "Credit Card", "Card"),
        ("payment_method", "bank transfer", "BankTransfer"),
        ("payment_method", "CHEQUE", "Check"),
        ("preferred_contact_method", "text", "SMS"),
        ("preferred_contact_method", "whatsapp", "WhatsApp"),
        ("appliance_type", "Washing machine", "WashingMachine"),
        ("appliance_type", "A/C", "AirConditioner"),
        ("marketing_sms", "Yes", True),
        ("marketing_sms", "opted out", False),
        ("email", "Ana@Example.COM", "ana@example.com"),
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("language", "es-MX", "es-MX"),
        ("timezone", "Europe/Madrid", "Europe/Madrid"),
    ],
)
def test_cells_read_the_forms_exports_use(field: str, raw: str, value: Any) -> None:
    clean: Callable[[str], Any] = CLEANERS[field]

    assert clean(raw) == value


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        ("job_amount", "NaN", "bad amount 'NaN' (at most two decimal places)"),
        ("job_amount", "12,5.3.1", "bad amount '12,5.3.1'"),
        ("job_amount", "99999999999", "amount '99999999999' is too large"),
        ("marketing_email", "maybe", "'maybe' is not yes or no"),
        ("language", "Spanish", "Use a BCP 47 language tag such as en or es-MX."),
        ("timezone", "Mars/Base", "Unknown time zone; use an IANA name such as America/New_York."),
        ("name", "x" * 201, "longer than 200 characters"),
        ("job_date", "2025-02-30", "bad date '2025-02-30' (use YYYY-MM-DD)"),
    ],
)
def test_bad_cells_give_the_reason(field: str, raw: str, reason: str) -> None:
    with pytest.raises(CellError) as refused:
        CLEANERS[field](raw)

    assert refused.value.reason == reason
