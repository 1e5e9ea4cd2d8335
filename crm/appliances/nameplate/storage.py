"""Where nameplate photos are kept: var/nameplates by default, S3-compatible storage when
NAMEPLATE_STORAGE=s3 (django-storages). Never served from a public URL: the photo view and API
read them for a signed-in user."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

STORAGE_ALIAS = "nameplates"


class _NameplateStorage(LazyObject[Storage]):
    """The configured storage, looked up on first use (and again when STORAGES changes): the
    model field is built once, at start-up, before a test or deployment may change it."""

    def _setup(self) -> None:
        self._wrapped = storages[STORAGE_ALIAS]


_storage = _NameplateStorage()


def _forget_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _storage._wrapped = empty  # type: ignore[assignment]


setting_changed.connect(_forget_storage)


def nameplate_storage() -> Storage:
    """The storage of Appliance.photo (a callable, so migrations do not freeze a setting)."""
    return _storage  # type: ignore[return-value]


def nameplate_photo_name(instance: object, filename: str) -> str:
    """An unguessable name that says nothing about the customer."""
    return f"{uuid.uuid4().hex}.jpg"
