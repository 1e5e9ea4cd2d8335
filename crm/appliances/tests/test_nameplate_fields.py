"""Fields found in nameplate OCR text: labels in English and Spanish, brand formats, OCR slips."""

from __future__ import annotations

import pytest

from crm.appliances.nameplate.fields import fit_serial, nameplate_fields


def test_labels_in_spanish_and_the_value_on_the_next_line() -> None:
    # when
    found = nameplate_fields("ELECTROLUX\nN° DE MODELO: EFLS627UTT\nNúmero de serie\nXA9 2212345")
    # then
    assert (found.brand, found.model_number) == ("Electrolux", "EFLS627UTT")
    assert found.serial_number == "XA9"  # the next line's first word: a person corrects it
    assert found.serial_fits_brand is False


@pytest.mark.parametrize(
    ("raw", "family", "fitted"),
    [
        ("OBWHS5AKM800123F", "samsung", "0BWH5AKM800123F"),  # RECIPES' reading: O for 0, stray S
        ("MVI23456R", "ge", "MV123456R"),  # I for 1 where GE has digits
        ("(61512345", "whirlpool", "C61512345"),  # a C read as "("
        ("2315AI2345", "carrier", "2315A12345"),
        ("8A92212345", "frigidaire", "BA92212345"),  # 8 for B where Frigidaire has letters
    ],
)
def test_an_ocr_slip_is_fitted_to_the_brands_serial_format(
    raw: str, family: str, fitted: str
) -> None:
    assert fit_serial(raw, family) == (fitted, True)


def test_a_serial_no_slip_can_fit_is_kept_as_read_and_flagged() -> None:
    assert fit_serial("ABC", "ge") == ("ABC", False)
    assert fit_serial("C61512345", None) == ("C61512345", False)


def test_bosch_fd_number_and_short_labels() -> None:
    # when
    found = nameplate_fields(
        "BOSCH\nE-Nr. SHX878WD5N/01\nFD 9206 Z-Nr. 12345\nM/N: SHX878WD5N\nS/N 123"
    )
    # then
    assert (found.brand, found.model_number, found.fd_number) == ("Bosch", "SHX878WD5N", "9206")
