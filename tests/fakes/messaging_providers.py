"""Local stand-ins for the WhatsApp Cloud API and Twilio's Messages API, plus an SMTP server.

Each HTTP fake listens on 127.0.0.1, checks what a real provider would check (the path, the
credentials, the body's shape), records every request, and answers like the provider: from a
queue of scripted `Reply` objects first, then with success. Requests that are malformed or
unauthenticated are answered with the provider's own error shape AND noted in `problems`, so
a test can assert that ServiceCRM never sent one.

The webhook signers below are written from the providers' documentation, independently of
crm.messaging.signatures, so a test signing with them checks our verifier against the spec.

Like the real providers, the fakes report back: after a successful send they remember the
message, and `deliver_statuses()` POSTs signed status webhooks to ServiceCRM (WhatsApp: the
configured webhook with `biz_opaque_callback_data`; Twilio: each message's StatusCallback).
With `limit_per_second` a fake counts arrivals per wall-clock second and answers the
provider's 429 above it (`over_limit` counts those arrivals).

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
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


@dataclass(frozen=True)
class Accepted:
    """A message the fake accepted: its provider id, our id as sent, where to report."""

    provider_id: str
    outbox_id: str
    to: str
    callback_url: str = ""


@dataclass
class _State:
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    replies: deque[Reply] = field(default_factory=deque)
    accepted: list[Accepted] = field(default_factory=list)
    per_second: Counter[int] = field(default_factory=Counter)
    over_limit: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def post_webhook(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST a webhook as a provider does; the HTTP status ServiceCRM answered."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class _FakeServer:
    """A threaded HTTP server; subclasses implement `answer(path, headers, raw)`."""

    def __init__(self, *, limit_per_second: int | None = None) -> None:
        self.state = _State()
        self.limit_per_second = limit_per_second
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with fake.state.lock:
                    fake.state.requests.append(Recorded(self.path, headers, raw))
                    over = fake.arrival_over_limit()
                    scripted = (
                        None if over or not fake.state.replies else fake.state.replies.popleft()
                    )
                if over:
                    status, body = 429, fake.rate_limited_body()
                else:
                    status, body = fake.answer(self.path, headers, raw, scripted)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if over:
                    self.send_header("Retry-After", "1")
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

    @property
    def accepted(self) -> list[Accepted]:
        return list(self.state.accepted)

    @property
    def over_limit(self) -> int:
        """Arrivals above `limit_per_second` (each was answered 429)."""
        return self.state.over_limit

    @property
    def busiest_second(self) -> int:
        return max(self.state.per_second.values(), default=0)

    def arrival_over_limit(self) -> bool:
        """Count this arrival in its wall-clock second (call with the lock held)."""
        second = int(time.time())
        self.state.per_second[second] += 1
        if self.limit_per_second is None or self.state.per_second[second] <= self.limit_per_second:
            return False
        self.state.over_limit += 1
        return True

    def rate_limited_body(self) -> dict[str, Any]:
        raise NotImplementedError

    def remember(self, accepted: Accepted) -> None:
        with self.state.lock:
            self.state.accepted.append(accepted)

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

    def __init__(
        self, *, version: str, phone_number_id: str, access_token: str,
        webhook_url: str = "", app_secret: str = "", limit_per_second: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(limit_per_second=limit_per_second)
        self.version, self.phone_number_id, self.access_token = (
            version,
            phone_number_id,
            access_token,
        )
        self.webhook_url, self.app_secret = webhook_url, app_secret
        self.ids = itertools.count(1)

    def rate_limited_body(self) -> dict[str, Any]:
        return {"error": {"message": "(#130429) Rate limit hit", "type": "OAuthException",
                          "code": 130429, "error_subcode": 2494055}}  # fmt: skip

    def deliver_statuses(self, *statuses: str, per_post: int = 1, parallel: int = 1) -> list[int]:
        """Report each accepted message's `statuses` (e.g. "sent", "delivered") to the webhook,
        signed with the app secret, `per_post` statuses to a POST (Meta batches them too),
        up to `parallel` POSTs at a time."""
        items = [
            _whatsapp_status_item(wamid=a.provider_id, status=status, outbox_id=a.outbox_id)
            for status in statuses for a in self.accepted
        ]  # fmt: skip
        posts = []
        for start in range(0, len(items), per_post):
            value = {"messaging_product": "whatsapp", "statuses": items[start : start + per_post]}
            body = _whatsapp_envelope(value)
            headers = {"Content-Type": "application/json",
                       "X-Hub-Signature-256": sign_whatsapp(self.app_secret, body)}  # fmt: skip
            posts.append((body, headers))
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            return list(pool.map(lambda post: post_webhook(self.webhook_url, *post), posts))

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
        sent = json.loads(raw)
        to = sent["to"]
        wamid = f"wamid.TEST{next(self.ids):06d}"
        self.remember(Accepted(wamid, str(sent.get("biz_opaque_callback_data", "")), to))
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }


class FakeTwilio(_FakeServer):
    """POST /2010-04-01/Accounts/{sid}/Messages.json with HTTP basic auth sid:token."""

    def __init__(
        self, *, account_sid: str, auth_token: str, callback_prefix: str,
        limit_per_second: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__(limit_per_second=limit_per_second)
        self.account_sid, self.auth_token = account_sid, auth_token
        self.callback_prefix = callback_prefix
        self.ids = itertools.count(1)

    def rate_limited_body(self) -> dict[str, Any]:
        return {"code": 20429, "message": "Too Many Requests", "status": 429,
                "more_info": "https://www.twilio.com/docs/errors/20429"}  # fmt: skip

    def deliver_statuses(self, *statuses: str) -> list[int]:
        """POST each status of each accepted message to its StatusCallback (our id in its
        query), signed over that URL with the auth token, as Twilio does."""
        answers = []
        for status in statuses:
            for a in self.accepted:
                params = {
                    "MessageSid": a.provider_id, "SmsSid": a.provider_id, "MessageStatus": status,
                    "SmsStatus": status, "AccountSid": self.account_sid, "To": a.to,
                    "ApiVersion": "2010-04-01",
                }  # fmt: skip
                signature = sign_twilio(self.auth_token, a.callback_url, params)
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                }
                body = urllib.parse.urlencode(params).encode()
                answers.append(post_webhook(a.callback_url, body, headers))
        return answers

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
        outbox = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query)).get("outbox")
        self.remember(Accepted(sid, outbox or "", form["To"], callback))
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
    item = _whatsapp_status_item(
        wamid=wamid, status=status, outbox_id=outbox_id, error_code=error_code
    )
    value = {"messaging_product": "whatsapp", "statuses": [item]}
    return _whatsapp_envelope(value)


def _whatsapp_status_item(
    *, wamid: str, status: str, outbox_id: int | str | None = None, error_code: int | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": "1795000000",
        "recipient_id": "13055550100",
    }
    if outbox_id not in (None, ""):
        item["biz_opaque_callback_data"] = str(outbox_id)
    if error_code is not None:
        item["errors"] = [{"code": error_code, "title": "Message failed"}]
    return item


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
