"""Plain words for codes people should not have to read: language names, time zones by city,
counted nouns ("1 job", "2 jobs", never "job(s)")."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language_info


def language_name(code: str) -> str:
    """`es` or `es-MX` -> `Spanish`; an unknown code is shown as it is."""
    if not code:
        return ""
    try:
        return str(get_language_info(code.lower())["name"])
    except KeyError:
        return code


def zone_city(zone: str) -> str:
    """`America/New_York` -> `New York`; `America/Argentina/Buenos_Aires` -> `Buenos Aires`."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def counted(count: int, singular: str, plural: str = "") -> str:
    """`1 job`, `3 jobs`; `plural` for nouns that do not take an "s" (`1 año`, `2 años`)."""
    noun = singular if count == 1 else (plural or f"{singular}s")
    return f"{count} {noun}"


MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip
DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def spoken_date(day: dt.date, language: str, *, weekday: bool = False) -> str:
    """How a message to a customer says a day, never ISO: `December 1` / `1 de diciembre`,
    with `weekday`: `Tuesday, December 1` / `martes 1 de diciembre`."""
    if language.lower().startswith("es"):
        said = f"{day.day} de {MONTHS_ES[day.month - 1]}"
        return f"{DAYS_ES[day.weekday()]} {said}" if weekday else said
    said = f"{day:%B} {day.day}"
    return f"{day:%A}, {said}" if weekday else said


def spoken_month(day: dt.date, language: str) -> str:
    """`March 2019` / `marzo de 2019`."""
    if language.lower().startswith("es"):
        return f"{MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{day:%B} {day.year}"


def written_day(day: dt.date) -> str:
    """How every page writes a day: `Tue, Dec 8, 2026` (never ISO)."""
    return f"{day:%a}, {day:%b} {day.day}, {day.year}"


def clock_time(moment: dt.datetime | dt.time) -> str:
    """`10:30 AM`, `2:00 PM`: a 12-hour clock with the minutes always shown."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def written_moment(moment: dt.datetime) -> str:
    """`Tue, Dec 8, 2026, 10:30 AM`: the day as written_day, then the clock (give it local)."""
    return f"{written_day(moment)}, {clock_time(moment)}"


def short_day(day: dt.date, today: dt.date) -> str:
    """A table column's day in the same style: `Dec 8` this year, `Dec 8, 2025` otherwise."""
    said = f"{day:%b} {day.day}"
    return said if day.year == today.year else f"{said}, {day.year}"


# Appliance types as a Spanish-speaking customer reads them (the portal and the survey page).
APPLIANCE_TYPES_ES = {
    "Refrigerator": "Refrigerador", "WashingMachine": "Lavadora", "Dryer": "Secadora",
    "Dishwasher": "Lavavajillas", "OvenRange": "Horno / estufa", "Microwave": "Microondas",
    "Freezer": "Congelador", "AirConditioner": "Aire acondicionado",
    "WaterHeater": "Calentador de agua", "Other": "Otro",
}  # fmt: skip


def appliance_type_word(kind: str, label: str, language: str) -> str:
    """An appliance type (`kind`, its English `label`) in the customer's language."""
    return APPLIANCE_TYPES_ES.get(kind, label) if language.lower().startswith("es") else label
