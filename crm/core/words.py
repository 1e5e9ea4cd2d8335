"""Plain words for codes people should not have to read: language names, time zones by city,
counted nouns ("1 job", "2 jobs", never "job(s)")."""

from __future__ import annotations

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
