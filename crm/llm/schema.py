"""JSON schemas that strict structured-output modes accept, built from Pydantic models."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel

# Keywords strict modes reject or servers handle unevenly; Pydantic still enforces them locally.
DROPPED_KEYWORDS = {
    "default",
    "title",
    "description",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "pattern",
    "format",
}


@functools.cache
def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's schema by alias: refs inlined, objects closed, every property required.

    Computed once per model and shared: callers must not modify it.
    """
    schema = model.model_json_schema(by_alias=True)
    definitions = schema.pop("$defs", {})
    strict: dict[str, Any] = _strict(schema, definitions)
    return strict


def _strict(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _strict(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions)
    strict = {
        key: _strict(value, definitions)
        for key, value in node.items()
        if key not in DROPPED_KEYWORDS
    }
    if strict.get("type") == "object":
        properties = strict.get("properties", {})
        strict["properties"] = properties
        strict["required"] = list(properties)
        strict["additionalProperties"] = False
    return strict
