from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from crm.llm.schema import strict_json_schema


class Need(BaseModel):
    component: str = Field(max_length=80)
    likelihood: Literal["Low", "High"]


class Alert(BaseModel):
    risk: Literal["Low", "High"]
    needs: list[Need] = Field(default_factory=list, max_length=3)
    note: str | None = None


def test_objects_are_closed_every_property_required_refs_inlined_defaults_dropped() -> None:
    # when
    schema = strict_json_schema(Alert)
    # then
    assert schema == {
        "type": "object",
        "properties": {
            "risk": {"enum": ["Low", "High"], "type": "string"},
            "needs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "component": {"type": "string"},
                        "likelihood": {"enum": ["Low", "High"], "type": "string"},
                    },
                    "required": ["component", "likelihood"],
                    "additionalProperties": False,
                },
            },
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        },
        "required": ["risk", "needs", "note"],
        "additionalProperties": False,
    }
