"""What every feature provides to the one pipeline (crm.insights.services)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

Context = TypeVar("Context")
Output = TypeVar("Output", bound=BaseModel)


class OutputModel(BaseModel):
    """An answer shape that mirrors the plan's Expected Output Format; camelCase on the wire."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


@dataclass(frozen=True)
class Feature(Generic[Context, Output]):
    """One feature: how to gather its data, what to ask, what to accept, how to answer offline."""

    name: str
    template: str
    output_model: type[Output]
    build_context: Callable[..., Context]
    offline: Callable[[Context], Output]
    check: Callable[[Output, Context], list[str]]
    text: Callable[[Output, Context], str]
    facts: Callable[[Context], dict[str, Any]]
    # A reason to answer offline without asking (nothing to analyse), or None.
    llm_skip: Callable[[Context], str | None] | None = None
    max_output_tokens: int = 900
    offline_version: str = "1"


def two_places(value: Decimal | None) -> str | None:
    """Money for `data`: a string with two places, as everywhere in the API."""
    return None if value is None else f"{value:.2f}"


def bullet_lines(items: list[str], *, empty: str = "None") -> str:
    return "\n".join(f"- {item}" for item in items) if items else f"- {empty}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 payment', '3 payments'."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name
