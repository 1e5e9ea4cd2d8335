"""The uploaded file between the dry run and the confirmation: in the default storage (var/media
by default, S3 with django-storages), named by a signed token that expires."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from crm.core.errors import ValidationFailed

FOLDER = "imports"
SALT = "crm.office.importing.keep"


def upload_keep(*, data: bytes, user_id: int) -> str:
    """Store the upload; the token names it, for this user only, for IMPORT_KEEP_HOURS."""
    _expired_remove()
    name = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.csv", ContentFile(data))
    return signing.dumps({"name": name, "user": user_id}, salt=SALT, compress=True)


def _expired_remove() -> None:
    """Uploads never confirmed go once their token has expired."""
    if not default_storage.exists(FOLDER):
        return
    cutoff = timezone.now() - dt.timedelta(hours=settings.IMPORT_KEEP_HOURS)
    for filename in default_storage.listdir(FOLDER)[1]:
        name = f"{FOLDER}/{filename}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)


def _name(token: str, user_id: int) -> str:
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.IMPORT_KEEP_HOURS * 3600)
    except signing.BadSignature:
        payload = None
    if (
        not isinstance(payload, dict)
        or payload.get("user") != user_id
        or not str(payload.get("name", "")).startswith(f"{FOLDER}/")
        or not default_storage.exists(payload["name"])
    ):
        raise ValidationFailed(
            "The uploaded file has expired or is not yours; upload it again.", field="file"
        )
    return str(payload["name"])


def upload_read(*, token: str, user_id: int) -> bytes:
    """The stored upload's bytes; an unknown, foreign or expired token is refused."""
    with default_storage.open(_name(token, user_id), "rb") as stored:
        data: bytes = stored.read()
    return data


def upload_discard(*, token: str, user_id: int) -> None:
    """Remove the stored upload (after a confirmed import)."""
    default_storage.delete(_name(token, user_id))
