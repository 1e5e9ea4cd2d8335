"""Anthropic messages with structured output (output_config.format = json_schema)."""

from __future__ import annotations

from typing import Any

import anthropic

from crm.llm.adapters.openai_chat import b64
from crm.llm.ports import LLMRequest, ProviderError, ProviderReply


class AnthropicProvider:
    """Built once per process; the SDK retries 429/5xx/timeouts itself (`max_retries`)."""

    name = "anthropic"

    def __init__(
        self, *, base_url: str, api_key: str, model: str, timeout_s: float, max_retries: int
    ) -> None:
        self.model = model
        self.base_url = base_url
        self._client = anthropic.Anthropic(
            base_url=base_url or None,
            api_key=api_key or "not-needed",
            timeout=anthropic.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            max_retries=max_retries,
        )

    @property
    def offline(self) -> bool:
        return False

    def complete(self, request: LLMRequest) -> ProviderReply:
        try:
            message = self._client.messages.create(
                model=self.model,
                max_tokens=request.max_output_tokens,
                system=request.system,
                messages=[{"role": "user", "content": _user_content(request)}],
                output_config={"format": {"type": "json_schema", "schema": request.json_schema}},
            )
        except anthropic.APITimeoutError as error:
            raise ProviderError("timeout", f"The LLM did not answer in time ({error}).") from None
        except anthropic.APIStatusError as error:
            raise ProviderError(
                "http_error",
                f"The LLM answered HTTP {error.status_code}.",
                status=error.status_code,
            ) from None
        except anthropic.AnthropicError as error:
            raise ProviderError("connection_error", f"The LLM is unreachable ({error}).") from None
        return self._reply(message)

    def _reply(self, message: Any) -> ProviderReply:
        if message.stop_reason == "refusal":
            raise ProviderError("refused", "The LLM refused to answer.")
        text = "".join(block.text for block in message.content if block.type == "text")
        return ProviderReply(
            content=text,
            model=message.model or self.model,
            input_tokens=message.usage.input_tokens,
            output_tokens=message.usage.output_tokens,
            request_id=getattr(message, "_request_id", None) or message.id or "",
            truncated=message.stop_reason == "max_tokens",
        )


def _user_content(request: LLMRequest) -> Any:  # the SDK types each block; plain dicts here
    """The user text, or image blocks then the text when photos go with it."""
    if not request.images:
        return request.user
    images = [
        {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg",
                                     "data": b64(photo)}}
        for photo in request.images
    ]  # fmt: skip
    return [*images, {"type": "text", "text": request.user}]
