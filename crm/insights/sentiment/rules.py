"""How a phrase rule is written: phrases of appliance-service customers that a general lexicon
misreads, with their weight (the English ones in rules_en.py, the Spanish in rules_es.py).

Each rule is a regular expression over the folded text (lower case, no accents) and a weight on
VADER's scale. Rules are tried in order and a later rule never takes words an earlier one took,
so "stopped working again" is a repeat failure before "working again" can read as praise.
A phrase also silences the lexicon's words inside it ("works perfectly now" counts once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    family: str  # what kind of phrase: "repeat", "money", "no-show", "damage", "fault", "praise"
    pattern: re.Pattern[str]
    weight: float


def rules(family: str, weight: float, *patterns: str) -> Rule:
    """One rule matching any of the patterns, each on whole words (the first listed wins
    where two start at the same place)."""
    return Rule(family, re.compile(rf"\b(?:{'|'.join(patterns)})\b"), weight)
