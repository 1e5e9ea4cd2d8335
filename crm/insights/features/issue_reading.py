"""Reading an issue text the way a dispatcher does: which appliance has the problem (not the one
said to work fine), what it needs (gas, refrigerant work), and whether the repair is complex.
English and Spanish."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.core.choices import ApplianceType
from crm.technicians.models import Qualification

TYPE_WORDS: dict[str, tuple[str, ...]] = {
    ApplianceType.REFRIGERATOR: (
        "fridge", "refrigerator", "ice maker", "icemaker", "nevera", "refrigerador", "refri",
        "heladera", "frigorifico", "frigorífico",
    ),
    ApplianceType.WASHING_MACHINE: ("washer", "washing machine", "lavadora", "lavarropas"),
    ApplianceType.DRYER: ("dryer", "tumble dryer", "secadora"),
    ApplianceType.DISHWASHER: ("dishwasher", "lavavajillas", "lavaplatos"),
    ApplianceType.OVEN_RANGE: (
        "oven", "stove", "range", "cooktop", "burner", "burners", "horno", "estufa", "quemador",
        "quemadores",
    ),
    ApplianceType.MICROWAVE: ("microwave", "microondas"),
    ApplianceType.FREEZER: ("freezer", "congelador"),
    ApplianceType.AIR_CONDITIONER: (
        "air conditioner", "air conditioning", "ac", "a/c", "heat pump", "minisplit", "mini split",
        "aire acondicionado", "aire",
    ),
    ApplianceType.WATER_HEATER: (
        "water heater", "boiler", "hot water", "calentador", "calefón", "calefon", "termo",
    ),
}  # fmt: skip
# A clause saying its appliance is fine takes that appliance out of the running.
FINE = re.compile(
    r"\b(works?|working|runs?|running|is|it's|its|seems?)\s+(fine|ok|okay|great|perfectly|well)\b"
    r"|\bno (problems?|issues?)\b|\bnothing wrong\b|\bfunciona(n)? (bien|perfecto)\b"
    r"|\bnot the\b|\bno es (el|la)\b"
    r"|\b(está|esta|anda|va) bien\b|\bsin problemas?\b",
    re.IGNORECASE,
)
PROBLEM = re.compile(
    r"\b(not|no|won'?t|doesn'?t|isn'?t|stopped|broken|broke|leak\w*|nois\w*|smell\w*|error|"
    r"fail\w*|warm|problem|issue|repair|fix|dead|trips?|gotea|fuga|ruido\w*|rot[oa]|falla\w*|"
    r"huele|olor|dej[oó] de|se apag\w*|descompuest[oa])\b",
    re.IGNORECASE,
)
NEEDS: dict[str, re.Pattern[str]] = {
    Qualification.GAS: re.compile(
        r"\bgas\b(?! refrigerante)|\bpilot\b|\bpiloto\b|\bpropan[eo]\b|\bignit[eo]r\b", re.I
    ),
    Qualification.REFRIGERANT: re.compile(
        r"\brefrigerant\b|\bfreon\b|\brecharg\w*|\bsealed system\b|\bgas refrigerante\b", re.I
    ),
}
COMPLEX = re.compile(
    r"\bcompressor\b|\bsealed system\b|\brefrigerant\b|\bfreon\b|\b(control|circuit|main) board\b"
    r"|\bmotherboard\b|\btransmission\b|\bmotor\b|\bgas (valve|leak|smell)\b|\bheat exchanger\b"
    r"|\bcompresor\b|\bplaca\b|\btarjeta\b|\bfuga de gas\b|\bwiring\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(
    r"[.;!?\n,]|\b(and|but|while|although|though|whereas|y|pero|aunque|mientras|sino)\b",
    re.IGNORECASE,
)
OLD = re.compile(r"\b(\d{1,2})[- ]years?[- ]old\b|\b(\d{1,2}) años\b", re.IGNORECASE)


@dataclass(frozen=True)
class IssueReading:
    """What an issue text says: the appliance with the problem, what it needs, how hard."""

    appliance_type: str | None
    needs: tuple[str, ...]
    complex_repair: bool
    age_years: int | None


def _mentions(clause: str) -> list[tuple[int, str]]:
    found = []
    for kind, words in TYPE_WORDS.items():
        for word in words:
            for match in re.finditer(rf"(?<![\w/]){re.escape(word)}(?![\w/])", clause, re.I):
                found.append((match.start(), str(kind)))
    return sorted(found)


def _clauses(text: str) -> list[str]:
    pieces = CLAUSE_BREAK.split(text)
    return [piece for piece in pieces if piece and not CLAUSE_BREAK.fullmatch(piece)]


def _problem_type(clauses: list[str]) -> str | None:
    """The first appliance named in a clause with a problem word; else the first not said to
    be fine; else none."""
    ranked: list[tuple[int, int, str]] = []
    for order, clause in enumerate(clauses):
        if FINE.search(clause):
            continue
        has_problem = bool(PROBLEM.search(clause))
        for position, kind in _mentions(clause):
            ranked.append((0 if has_problem else 1, order * 10_000 + position, kind))
    return min(ranked)[2] if ranked else None


def issue_read(text: str) -> IssueReading:
    """The dispatcher's reading of an issue text (empty text: nothing known)."""
    clauses = _clauses(text or "")
    troubled = " . ".join(clause for clause in clauses if not FINE.search(clause))
    age = OLD.search(troubled)
    return IssueReading(
        appliance_type=_problem_type(clauses),
        needs=tuple(str(code) for code, words in NEEDS.items() if words.search(troubled)),
        complex_repair=bool(COMPLEX.search(troubled)),
        age_years=int(age.group(1) or age.group(2)) if age else None,
    )
