"""The fields of a nameplate in OCR text: brand, model, serial and Bosch's FD number.

Values are found after the labels nameplates use (English and Spanish), then fitted to the
brand's serial format: OCR confuses 0/O, 1/I, 5/S, 8/B and 2/Z, and sometimes adds a stray
character, so a serial is accepted when one fix of that kind makes it match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.appliances.nameplate.serial_dates import BRAND_FAMILIES, brand_family

MODEL_LABEL = r"MODEL(?:O)?(?:\s*(?:NO|NUMBER|N[UÚ]MERO|#))?|MOD|M/N|MN|N[°º]?\s*DE\s*MODELO"
SERIAL_LABEL = (
    r"SERIAL(?:\s*(?:NO|NUMBER|#))?|SER|S/N|SN|SERIE|N[UÚ]MERO\s*DE\s*SERIE|N[°º]?\s*DE\s*SERIE"
)
FD_LABEL = r"FD(?:\s*-?\s*NR)?"
VALUE = r"[\s.:#\-=]*([A-Z0-9(][A-Z0-9\-/]{3,24})"
LABELLED = {
    name: re.compile(rf"(?:^|[^A-Z])(?:{label})\b{VALUE}")
    for name, label in (("model", MODEL_LABEL), ("serial", SERIAL_LABEL), ("fd", FD_LABEL))
}
LABEL_ONLY = {
    name: re.compile(rf"(?:^|[^A-Z])(?:{label})[\s.:#]*$")
    for name, label in (("model", MODEL_LABEL), ("serial", SERIAL_LABEL))
}

AS_DIGIT = str.maketrans("OQDIL|SZBG", "0001115286")
AS_LETTER = str.maketrans("0158266", "OISBZGG")
# Serial numbers leave out the letters O and I (too like 0 and 1): read them as the digits.
SERIAL_NO_OI = str.maketrans("OQI", "001")
# L letter, D digit, X either: the serial shapes each brand's date rule reads.
SERIAL_SHAPES: dict[str, tuple[str, ...]] = {
    "ge": ("LLDDDDDDL", "LLDDDDDD"),
    "whirlpool": ("LDDDDDDDD", "LDDDDDDDDD", "LLDDDDDDD"),
    "frigidaire": ("LLDDDDDDDD",),
    "samsung": ("XXXXXXXLXDDDDDL", "XXXXXXXLXDDDDDX"),
    "lg": tuple("DDDLL" + "X" * n for n in range(4, 9)),
    "rheem": ("LDDDDDDDDD", "LLDDDDDDDDD", "LLLLDDDDDDDDD"),
    "aosmith": ("DDDDLDDDDDD", "DDDDDDDDDDD"),
    "carrier": ("DDDDLDDDDD",),
}


@dataclass(frozen=True)
class NameplateFields:
    """What the text says, and how many of the values matched a brand's format."""

    brand: str
    model_number: str
    serial_number: str
    fd_number: str
    serial_fits_brand: bool


def clean_value(value: str) -> str:
    value = value.upper().replace("(", "C")  # a C on a worn or curved label reads as "("
    return re.sub(r"[^A-Z0-9\-]", "", value.upper()).strip("-")


def _fit(value: str, shape: str) -> str | None:
    """The value with each position coerced to the shape's class, or None when it cannot be."""
    if len(value) != len(shape):
        return None
    out = []
    for char, kind in zip(value, shape, strict=True):
        fixed = char.translate(AS_DIGIT) if kind == "D" else char
        fixed = fixed.translate(AS_LETTER) if kind == "L" else fixed
        fixed = fixed.translate(SERIAL_NO_OI) if kind == "X" else fixed
        if (kind == "D" and not fixed.isdigit()) or (kind == "L" and not fixed.isalpha()):
            return None
        out.append(fixed)
    return "".join(out)


def _stray_first(value: str) -> list[int]:
    """Positions to try dropping, a glyph read twice first ("S5" for "5", "O0" for "0")."""
    digits = value.translate(AS_DIGIT)
    pairs = {i for i in range(1, len(value)) if digits[i] == digits[i - 1]}
    doubled = sorted(pairs | {i - 1 for i in pairs}, key=lambda i: value[i].isdigit())
    return doubled + [i for i in range(len(value)) if i not in doubled]


def fit_serial(raw: str, family: str | None) -> tuple[str, bool]:
    """The serial fitted to the brand's shapes (one stray character may go), and whether it fit."""
    value = clean_value(raw).replace("-", "")
    if family not in SERIAL_SHAPES:
        return value, False
    tries = [value] + [value[:i] + value[i + 1 :] for i in _stray_first(value)]
    for attempt in tries:
        for shape in SERIAL_SHAPES[family]:
            fitted = _fit(attempt, shape)
            if fitted is not None:
                return fitted, True
    return value, False


def _labelled(lines: list[str], name: str) -> str:
    """The first value after the label, on its line or, for a label alone, on the next line."""
    for index, line in enumerate(lines):
        match = LABELLED[name].search(line)
        if match:
            return clean_value(match[1])
        nxt = lines[index + 1] if index + 1 < len(lines) else ""
        if name in LABEL_ONLY and LABEL_ONLY[name].search(line) and nxt.strip():
            return clean_value(nxt.split()[0])
    return ""


def find_brand(text: str) -> str:
    """The first known brand named in the text, as the brand writes it."""
    upper = f" {re.sub(r'[^A-Z0-9.]+', ' ', text.upper())} "
    for names in BRAND_FAMILIES.values():
        for name in sorted(names, key=len, reverse=True):
            if len(name) > 2 and f" {name.upper()} " in upper:
                return name.title() if "." not in name else name.upper()
    return "GE" if " GE " in upper else "LG" if " LG " in upper else ""


def nameplate_fields(text: str) -> NameplateFields:
    """Brand, model, serial and FD number from a nameplate's OCR text."""
    lines = [line.strip().upper() for line in text.splitlines() if line.strip()]
    brand = find_brand(text)
    serial, fits = fit_serial(_labelled(lines, "serial"), brand_family(brand))
    fd_number = re.sub(r"\D", "", _labelled(lines, "fd").translate(AS_DIGIT))[:4]
    return NameplateFields(
        brand=brand, model_number=_labelled(lines, "model"), serial_number=serial,
        fd_number=fd_number if len(fd_number) == 4 else "", serial_fits_brand=fits,
    )  # fmt: skip
