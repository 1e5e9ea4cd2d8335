"""The default provider: no network; features answer with their offline twins."""

from __future__ import annotations

from crm.llm.ports import LLMRequest, ProviderError, ProviderReply


class OfflineProvider:
    """Never calls anything; `reason` says why (default, or a configuration problem)."""

    name = "offline"
    model = "offline"
    base_url = ""

    def __init__(self, *, reason: str = "") -> None:
        self.reason = reason

    @property
    def offline(self) -> bool:
        return True

    def complete(self, request: LLMRequest) -> ProviderReply:
        raise ProviderError("offline", self.reason or "No LLM provider is configured.")
