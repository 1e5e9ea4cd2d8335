"""Local stand-ins for the WhatsApp Cloud API and Twilio's Messages API, plus an SMTP server.

Each HTTP fake listens on 127.0.0.1, checks what a real provider would check (the path, the
credentials, the body's shape), records every request, and answers like the provider: from a
queue of scripted `Reply` objects first, then with success. Requests that are malformed or
unauthenticated are answered with the provider's own error shape AND noted in `problems`, so
a test can assert that ServiceCRM never sent one.

The webhook signers below are written from the providers' documentation, independently of
crm.messaging.signatures, so a test signing with them checks our verifier against the spec.

Stdlib only (plus aiosmtpd for SMTP). HTTP/1.1 and no Nagle delay keep calls fast (RECIPES.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import socket
import threading
import urllib.parse
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Reply:
    """A scripted answer: HTTP status and JSON body (None: the provider's normal success)."""

    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Recorded:
    path: str
    headers: dict[str, str]
    raw: bytes

    def json(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.raw)
        return loaded

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.raw.decode()))


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    replies: deque[Reply] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _FakeServer:
    """A threaded HTTP server; subclasses implement `answer(path, headers, raw)`."""

    def __init__(self) -> None:
        self.state = _State()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake.state.lock:
                    fake.state.requests.append(Recorded(self.path, headers, raw))
                    scripted = fake.state.replies.popleft() if fake.state.replies else None
                status, body = fake.answer(self.path, headers, raw, scripted)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Recorded]:
        return list(self.state.requests)

    @property
    def problems(self) -> list[str]:
        return list(self.state.problems)

    def script(self, *replies: Reply) -> None:
        self.state.replies.extend(replies)

    def problem(self, text: str) -> None:
        with self.state.lock:
            self.state.problems.append(text)

    def answer(
        self, path: str, headers: dict[str, str], raw: bytes, scripted: Reply | None
    ) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError

    def __enter__(self) -> _FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeWhatsAppCloud(_FakeServer):
    """POST /{version}/{phone_number_id}/messages with `Authorization: Bearer <token>`."""

    def __init__(self, *, version: str, phone_number_id: str, access_token: str) -> None:
        super().__init__()
        self.version, self.phone_number_id, self.access_token = (
            version,
            phone_number_id,
            access_token,
        )
        self.ids = itertools.count(1)

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/{self.version}"

    def shape_problem(self, body: dict[str, Any]) -> str:
        if body.get("messaging_product") != "whatsapp":
            return "messaging_product must be whatsapp"
        if not str(body.get("to", "")).isdigit():
            return "to must be the number in digits"
        kind = body.get("type")
        if kind == "text":
            text = body.get("text") or {}
            return "" if isinstance(text.get("body"), str) and text["body"] else "text.body missing"
        if kind == "template":
            template = body.get("template") or {}
            language = (template.get("language") or {}).get("code")
            components = template.get("components") or []
            ok = template.get("name") and language and isinstance(components, list)
            return "" if ok else "template needs name, language.code and components"
        return f"unknown type {kind!r}"

    def answer(
        self, path: str, headers: dict[str, str], raw: bytes, scripted: Reply | None
    ) -> tuple[int, dict[str, Any]]:
        if path != f"/{self.version}/{self.phone_number_id}/messages":
            self.problem(f"wrong path {path}")
            return 404, {"error": {"message": "Unknown path", "code": 100}}
        if headers.get("authorization") != f"Bearer {self.access_token}":
            self.problem("bad or missing bearer token")
            return 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        if not headers.get("content-type", "").startswith("application/json"):
            self.problem("content type is not JSON")
            return 400, {"error": {"message": "Expected JSON", "code": 100}}
        problem = self.shape_problem(json.loads(raw))
        if problem:
            self.problem(problem)
            return 400, {"error": {"message": problem, "code": 100}}
        if scripted is not None:
            return scripted.status, scripted.body
        to = json.loads(raw)["to"]
        wamid = f"wamid.TEST{next(self.ids):06d}"
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }


class FakeTwilio(_FakeServer):
    """POST /2010-04-01/Accounts/{sid}/Messages.json with HTTP basic auth sid:token."""

    def __init__(self, *, account_sid: str, auth_token: str, callback_prefix: str) -> None:
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self.callback_prefix = callback_prefix
        self.ids = itertools.count(1)

    def answer(
        self, path: str, headers: dict[str, str], raw: bytes, scripted: Reply | None
    ) -> tuple[int, dict[str, Any]]:
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            self.problem(f"wrong path {path}")
            return 404, {"code": 20404, "message": "Not found", "status": 404}
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("authorization") != f"Basic {expected}":
            self.problem("bad or missing basic auth")
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}
        form = dict(urllib.parse.parse_qsl(raw.decode()))
        missing = [name for name in ("To", "From", "Body") if not form.get(name)]
        callback = form.get("StatusCallback", "")
        if missing or not callback.startswith(self.callback_prefix):
            self.problem(f"missing {missing} or StatusCallback {callback!r}")
            return 400, {"code": 21604, "message": "Missing parameter", "status": 400}
        if scripted is not None:
            return scripted.status, scripted.body
        sid = f"SM{next(self.ids):032d}"
        return 201, {"sid": sid, "status": "queued", "to": form["To"], "from": form["From"]}


def sign_whatsapp(app_secret: str, body: bytes) -> str:
    """Meta: X-Hub-Signature-256 = 'sha256=' + hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def sign_twilio(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Twilio: base64 HMAC-SHA1 of the URL plus each POST key and value, keys sorted."""
    data = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    return base64.b64encode(
        hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()


def whatsapp_status_body(
    *, wamid: str, status: str, outbox_id: int | None = None, error_code: int | None = None
) -> bytes:
    """A Cloud API status webhook, as Meta sends it."""
    item: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": "1795000000",
        "recipient_id": "13055550100",
    }
    if outbox_id is not None:
        item["biz_opaque_callback_data"] = str(outbox_id)
    if error_code is not None:
        item["errors"] = [{"code": error_code, "title": "Message failed"}]
    value = {"messaging_product": "whatsapp", "statuses": [item]}
    return _whatsapp_envelope(value)


def whatsapp_inbound_body(*, wamid: str, sender: str, text: str) -> bytes:
    """A Cloud API inbound text message webhook."""
    value = {
        "messaging_product": "whatsapp",
        "contacts": [{"profile": {"name": "Customer"}, "wa_id": sender}],
        "messages": [
            {
                "from": sender,
                "id": wamid,
                "timestamp": "1795000000",
                "type": "text",
                "text": {"body": text},
            }
        ],
    }
    return _whatsapp_envelope(value)


def _whatsapp_envelope(value: dict[str, Any]) -> bytes:
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


class RecordingSmtpHandler:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server() -> Iterator[tuple[RecordingSmtpHandler, int]]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port."""
    handler = RecordingSmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
