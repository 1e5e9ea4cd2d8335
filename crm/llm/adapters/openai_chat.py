"""OpenAI chat completions (OpenAI, Ollama, vLLM, llama.cpp, LM Studio), strict JSON schema."""

from __future__ import annotations

import base64
from typing import Any

import openai

from crm.llm.ports import LLMRequest, ProviderError, ProviderReply


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def estimated_tokens(text: str) -> int:
    """About four characters per token: used when a server reports no usage."""
    return max(1, len(text) // 4)


class OpenAIChatProvider:
    """Built once per process; the SDK retries 429/5xx/timeouts itself (`max_retries`)."""

    name = "openai"

    def __init__(
        self, *, base_url: str, api_key: str, model: str, timeout_s: float, max_retries: int
    ) -> None:
        self.model = model
        self.base_url = base_url
        self._client = openai.OpenAI(
            base_url=base_url or None,
            # Local servers ignore the key but the SDK insists on one.
            api_key=api_key or "not-needed",
            timeout=openai.Timeout(timeout_s, connect=min(5.0, timeout_s)),
            max_retries=max_retries,
        )
        # OpenAI's own API wants max_completion_tokens; compatible servers know max_tokens.
        official = not base_url or "api.openai.com" in base_url
        self._max_tokens_param = "max_completion_tokens" if official else "max_tokens"

    @property
    def offline(self) -> bool:
        return False

    def complete(self, request: LLMRequest) -> ProviderReply:
        try:
            completion = self._client.chat.completions.create(**self._arguments(request))
        except openai.APITimeoutError as error:
            raise ProviderError("timeout", f"The LLM did not answer in time ({error}).") from None
        except openai.APIStatusError as error:
            raise ProviderError(
                "http_error",
                f"The LLM answered HTTP {error.status_code}.",
                status=error.status_code,
            ) from None
        except openai.OpenAIError as error:
            raise ProviderError("connection_error", f"The LLM is unreachable ({error}).") from None
        return self._reply(request, completion)

    def _arguments(self, request: LLMRequest) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": self._user_content(request)},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "schema": request.json_schema,
                    "strict": True,
                },
            },
            self._max_tokens_param: request.max_output_tokens,
        }

    @staticmethod
    def _user_content(request: LLMRequest) -> str | list[dict[str, Any]]:
        """The user text, or text and images as content parts when photos go with it."""
        if not request.images:
            return request.user
        images = [
            {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + b64(photo)}}
            for photo in request.images
        ]
        return [{"type": "text", "text": request.user}, *images]

    def _reply(self, request: LLMRequest, completion: Any) -> ProviderReply:
        if not completion.choices:
            raise ProviderError("empty", "The LLM answered with no choices.")
        choice = completion.choices[0]
        message = choice.message
        # Some local servers leave content empty and put the text in a reasoning field.
        content = message.content or getattr(message, "reasoning_content", None) or ""
        if not content and getattr(message, "refusal", None):
            raise ProviderError("refused", "The LLM refused to answer.")
        usage = completion.usage
        prompt_text = request.system + request.user
        return ProviderReply(
            content=content,
            model=completion.model or self.model,
            input_tokens=usage.prompt_tokens if usage else estimated_tokens(prompt_text),
            output_tokens=usage.completion_tokens if usage else estimated_tokens(content),
            request_id=getattr(completion, "_request_id", None) or completion.id or "",
            truncated=choice.finish_reason == "length",
        )
