"""Serial-number date rules, one example serial per brand in the style the brands publish."""

from __future__ import annotations

import datetime as dt

import pytest

from crm.appliances.nameplate.serial_dates import brand_family, manufacture_date

TODAY = dt.date(2026, 12, 5)


# brand, serial (or FD number for BSH brands), the rule's name, the candidate months or weeks.
EXAMPLES = [
    # GE: M = July, V = 1999/2011/2023 (twelve-year cycle).
    ("GE", "MV123456R", "GE", "2023-07-01 2011-07-01 1999-07-01 1987-07-01"),
    # GE: Z = December; D = 2002/2014/2026 (December 2026 has begun).
    ("Hotpoint", "ZD512345S", "GE", "2026-12-01 2014-12-01 2002-12-01 1990-12-01"),
    # Whirlpool family: plant C, year digit 6, week 15 (the Monday of the week).
    (
        "KitchenAid",
        "C61512345",
        "Whirlpool",
        "2026-04-06 2016-04-11 2006-04-10 1996-04-08 1986-04-07",
    ),
    ("Maytag", "M22012345", "Whirlpool", "2022-05-16 2012-05-14 2002-05-13 1992-05-11 1982-05-17"),
    # Frigidaire/Electrolux: third digit 9, week 22.
    ("Electrolux", "BA92212345", "Frigidaire", "2019-05-27 2009-05-25 1999-05-31 1989-05-29"),
    # Samsung: 8th M = 2019 (and 2003, 1987), 9th 8 = August; RECIPES' sample serial.
    ("Samsung", "0BWH5AKM800123F", "Samsung", "2019-08-01 2003-08-01 1987-08-01"),
    # Samsung: 8th T = 2022 (and 2006, 1990), 9th A = October.
    ("Samsung", "Y7BR5AETA00456K", "Samsung", "2022-10-01 2006-10-01 1990-10-01"),
    # LG: 9 = 2019, 2009...; 05 = May.
    ("LG", "905KWAB01234", "LG", "2019-05-01 2009-05-01 1999-05-01 1989-05-01"),
    # Bosch FD 9206 = June 2012; FD 0103 = March 2021.
    ("Bosch", "FD 9206", "Bosch", "2012-06-01"),
    ("Thermador", "FD 0103", "Bosch", "2021-03-01"),
    # Rheem water heater: Q + 04 15 = April 2015.
    ("Rheem", "Q041512345", "Rheem", "2015-04-01"),
    # A. O. Smith: 15 12 = week 12 of 2015.
    ("A. O. Smith", "1512A012345", "A. O. Smith", "2015-03-16"),
    # Carrier: week 23 of 2015; Bryant: week 48 of 2008.
    ("Carrier", "2315A12345", "Carrier", "2015-06-01"),
    ("Bryant", "4808E02211", "Carrier", "2008-11-24"),
]


@pytest.mark.parametrize(("brand", "serial", "rule", "days"), EXAMPLES)
def test_each_brand_rule_dates_its_published_example(
    brand: str, serial: str, rule: str, days: str
) -> None:
    # given
    fd = serial.removeprefix("FD ") if serial.startswith("FD ") else ""
    candidates = tuple(dt.date.fromisoformat(day) for day in days.split())
    # when
    found = manufacture_date(brand=brand, serial="" if fd else serial, fd_number=fd, today=TODAY)
    # then
    assert found is not None
    assert found.manufactured_on == (candidates[0] if len(candidates) == 1 else None)
    assert found.candidates == candidates
    assert found.rule.startswith(rule)


@pytest.mark.parametrize(
    ("brand", "serial"),
    [
        ("Acme", "C61512345"),  # no rule for the brand
        ("GE", "XX123456"),  # X is no GE month letter
        ("Samsung", "0BWH5AKM80012"),  # 13 characters, not 15
        ("Carrier", "5415A12345"),  # week 54
        ("Rheem", "Q131512345"),  # month 13
        ("LG", "930KWAB01234"),  # month 30
        ("Bosch", "C61512345"),  # Bosch dates come from the FD number, not the serial
    ],
)
def test_a_serial_that_breaks_the_rule_gives_no_date(brand: str, serial: str) -> None:
    assert manufacture_date(brand=brand, serial=serial, today=TODAY) is None


def test_a_date_in_the_future_is_never_a_candidate() -> None:
    # when: 01/27 is not yet made in December 2026, and 1927 is before any rule applies
    found = manufacture_date(brand="Ruud", serial="W0127001234", today=TODAY)
    # then
    assert found is None


def test_brand_names_are_matched_as_nameplates_spell_them() -> None:
    assert brand_family("A.O. SMITH") == "aosmith"
    assert brand_family("Kitchen Aid") == "whirlpool"
    assert brand_family("general electric") == "ge"
    assert brand_family("Frigidaire Gallery") is None
