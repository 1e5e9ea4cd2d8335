"""The upload kept between dry run and confirmation: signed, per user, expiring."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import signing

from crm.core.errors import ValidationFailed
from crm.office.importing.keep import SALT, upload_discard, upload_keep, upload_read

REFUSED = "The uploaded file has expired or is not yours; upload it again."


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_owner_reads_the_file_back_and_discards_it(media: Path) -> None:
    token = upload_keep(data=b"Name\nAna\n", user_id=7)

    assert upload_read(token=token, user_id=7) == b"Name\nAna\n"
    upload_discard(token=token, user_id=7)
    assert list((media / "imports").iterdir()) == []


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.dumps({"name": "../secret_key", "user": 7}, salt=SALT),
        signing.dumps({"name": "imports/missing.csv", "user": 7}, salt=SALT),
    ],
    # Fixed ids: a signed token carries its second, so two xdist workers could name it apart.
    ids=["forged", "outside-the-folder", "missing"],
)
def test_forged_foreign_or_missing_files_are_refused(token: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        upload_read(token=token, user_id=7)

    assert refused.value.message == REFUSED


def test_another_user_cannot_read_it() -> None:
    token = upload_keep(data=b"Name\nAna\n", user_id=7)

    with pytest.raises(ValidationFailed):
        upload_read(token=token, user_id=8)


def test_uploads_older_than_the_keep_time_go_at_the_next_upload(media: Path, settings: Any) -> None:
    # given: an upload from two days ago
    settings.IMPORT_KEEP_HOURS = 24
    upload_keep(data=b"old", user_id=7)
    (old,) = (media / "imports").iterdir()
    two_days_ago = time.time() - 48 * 3600
    os.utime(old, (two_days_ago, two_days_ago))

    # when
    token = upload_keep(data=b"new", user_id=7)

    # then
    assert [path.read_bytes() for path in (media / "imports").iterdir()] == [b"new"]
    assert upload_read(token=token, user_id=7) == b"new"
