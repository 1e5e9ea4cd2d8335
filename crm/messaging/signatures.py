"""Webhook signatures: WhatsApp's X-Hub-Signature-256 and Twilio's X-Twilio-Signature.

Both are computed here and compared in constant time; the tests' fake providers sign with
the same functions' published algorithms, written out independently in tests/fakes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence


def _same(expected: str, header: str) -> bool:
    """Constant-time comparison of bytes: compare_digest refuses str with non-ASCII characters
    (TypeError), and a header is whatever the caller sent."""
    return hmac.compare_digest(expected.encode(), header.encode("utf-8", "backslashreplace"))


def whatsapp_signature(*, app_secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(app secret, raw body)>`, over the bytes as received."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def whatsapp_signature_valid(*, app_secret: str, body: bytes, header: str) -> bool:
    """False without a configured secret: an unconfigured endpoint accepts nothing."""
    if not app_secret or not header:
        return False
    return _same(whatsapp_signature(app_secret=app_secret, body=body), header)


def twilio_signature(*, auth_token: str, url: str, params: Mapping[str, Sequence[str]]) -> str:
    """Base64 HMAC-SHA1 of the full URL followed by each POST parameter name and value,
    sorted by name (then value), keyed by the auth token (Twilio's webhook security)."""
    signed = url + "".join(
        name + value for name in sorted(params) for value in sorted(set(params[name]))
    )
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_signature_valid(
    *, auth_token: str, url: str, params: Mapping[str, Sequence[str]], header: str
) -> bool:
    """False without a configured auth token."""
    if not auth_token or not header:
        return False
    expected = twilio_signature(auth_token=auth_token, url=url, params=params)
    return _same(expected, header)
