"""A local LLM server for tests and benchmarks: OpenAI chat completions and Anthropic messages.

It speaks the two wire formats the official SDKs use (`POST /v1/chat/completions`,
`POST /v1/messages`) on 127.0.0.1, checks the request shape (structured output requested,
strict schema, system + user messages), records every request, and answers from a script:
queued `Reply` objects first, then `responder(request)` when set, else `default`.

Stdlib only. `protocol_version = "HTTP/1.1"` and `disable_nagle_algorithm = True` keep a call
under a millisecond; without them every call takes ~44 ms (RECIPES.md).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DATA_OPEN = "<<<DATA>>>"
DATA_CLOSE = "<<<END DATA>>>"


@dataclass
class Reply:
    """One scripted answer: the assistant's text for a 200, or an error status."""

    content: str = "{}"
    status: int = 200
    delay_s: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class Recorded:
    """A request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system(self) -> str:
        if "system" in self.body:  # Anthropic puts the system prompt beside the messages
            return str(self.body["system"])
        return "".join(m["content"] for m in self.body["messages"] if m["role"] == "system")

    @property
    def user(self) -> str:
        return "".join(_text(m["content"]) for m in self.body["messages"] if m["role"] == "user")

    @property
    def images(self) -> list[str]:
        """The images sent with the user message: data URLs (OpenAI) or base64 data (Anthropic)."""
        parts = [p for m in self.body["messages"] if isinstance(m["content"], list)
                 for p in m["content"]]  # fmt: skip
        return [p["image_url"]["url"] if p["type"] == "image_url" else p["source"]["data"]
                for p in parts if p["type"] in ("image_url", "image")]  # fmt: skip


def _text(content: str | list[dict[str, Any]]) -> str:
    """A message's text, whether a string or content parts (text beside images)."""
    if isinstance(content, str):
        return content
    return "".join(part["text"] for part in content if part["type"] == "text")


def rate_limited() -> Reply:
    """A 429 that asks the SDK to retry after 1 ms (keeps tests fast)."""
    return Reply(status=429, error="Rate limit reached", headers={"retry-after-ms": "1"})


def server_error() -> Reply:
    return Reply(status=500, error="Internal error", headers={"retry-after-ms": "1"})


def shape_problem(body: dict[str, Any], path: str) -> str:
    """Why the request is not what ServiceCRM must send ('' when it is)."""
    if not body.get("model"):
        return "model is missing"
    if path.endswith("/chat/completions"):
        fmt = body.get("response_format") or {}
        schema = (fmt.get("json_schema") or {}).get("schema") or {}
        roles = [m.get("role") for m in body.get("messages", [])]
        if fmt.get("type") != "json_schema" or fmt["json_schema"].get("strict") is not True:
            return "response_format must be a strict json_schema"
        if roles != ["system", "user"]:
            return f"expected system + user messages, got {roles}"
    else:
        schema = ((body.get("output_config") or {}).get("format") or {}).get("schema") or {}
        if not body.get("system") or not body.get("max_tokens"):
            return "system and max_tokens are required"
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        return "the schema must be a closed object (additionalProperties: false)"
    if "tools" in body:
        return "the model must have no tools"
    return ""


def outside_data_blocks(text: str) -> str:
    """The parts of `text` that are not inside a DATA block."""
    outside, rest = [], text
    while DATA_OPEN in rest:
        before, _, after = rest.partition(DATA_OPEN)
        outside.append(before)
        _, _, rest = after.partition(DATA_CLOSE)
    outside.append(rest)
    return "".join(outside)


def injection_checker(phrase: str, answer: str) -> Callable[[Recorded], Reply]:
    """A responder that answers `answer` only if `phrase` sits inside a DATA block of the prompt."""

    def respond(request: Recorded) -> Reply:
        inside_user = phrase in request.user and phrase not in outside_data_blocks(request.user)
        if phrase in request.system or not inside_user:
            return Reply(status=400, error=f"{phrase!r} escaped the data block")
        return Reply(content=answer)

    return respond


class FakeLLMServer:
    """Start with `with FakeLLMServer() as server:`; point the SDK at `server.base_url`."""

    def __init__(self, *, default: Reply | None = None) -> None:
        self.default = default or Reply()
        self.responder: Callable[[Recorded], Reply] | None = None
        self.script: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll interval: shutdown() waits for the loop to notice (0.5 s by default).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def record(self, request: Recorded) -> int:
        with self._lock:
            self.requests.append(request)
            return len(self.requests)

    def next_reply(self, request: Recorded) -> Reply:
        with self._lock:
            if self.script:
                return self.script.popleft()
        return self.responder(request) if self.responder else self.default

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _openai_body(request: Recorded, content: str, number: int) -> dict[str, Any]:
    prompt_tokens = (len(request.system) + len(request.user)) // 4
    return {
        "id": f"chatcmpl-fake-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.body["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_tokens + len(content) // 4,
        },
    }


def _anthropic_body(request: Recorded, content: str, number: int) -> dict[str, Any]:
    return {
        "id": f"msg_fake_{number}",
        "type": "message",
        "role": "assistant",
        "model": request.body["model"],
        "content": [{"type": "text", "text": content}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": (len(request.system) + len(request.user)) // 4,
            "output_tokens": len(content) // 4,
        },
    }


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: tests read server.requests instead

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except json.JSONDecodeError:
                self._send(400, {"error": {"message": "body is not JSON"}})
                return
            request = Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            number = server.record(request)
            if self.path not in ("/v1/chat/completions", "/v1/messages"):
                self._send(404, {"error": {"message": f"no route {self.path}"}})
                return
            problem = shape_problem(body, self.path)
            reply = Reply(status=400, error=problem) if problem else server.next_reply(request)
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.status != 200:
                self._send(reply.status, {"error": {"message": reply.error}}, reply.headers)
                return
            build = _openai_body if self.path.endswith("completions") else _anthropic_body
            self._send(200, build(request, reply.content, number), reply.headers)

        def _send(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer

    return Handler
