"""The LLM port: what the app asks of any provider, and what a provider answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class LLMRequest:
    """One structured-output request: system + user text and the JSON schema of the answer."""

    feature: str
    system: str
    user: str
    schema_name: str
    json_schema: dict[str, Any]
    max_output_tokens: int
    # Photos sent with the user text (JPEG bytes), for a model that reads images.
    images: tuple[bytes, ...] = ()


@dataclass(frozen=True)
class ProviderReply:
    """The provider's raw answer text with its usage as the provider reported it."""

    content: str
    model: str
    input_tokens: int
    output_tokens: int
    request_id: str = ""
    truncated: bool = False


class ProviderError(Exception):
    """A call that produced no usable answer; `outcome` is the short code logged with it."""

    def __init__(self, outcome: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message
        self.status = status


class Provider(Protocol):
    """An LLM behind the port. Adapters: offline (no network), openai, anthropic."""

    name: str
    model: str
    base_url: str

    @property
    def offline(self) -> bool: ...

    def complete(self, request: LLMRequest) -> ProviderReply: ...
