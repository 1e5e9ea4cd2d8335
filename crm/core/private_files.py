"""Files only the account running ServiceCRM may read: var/ and the secrets kept in it.

The process umask is narrowed while they are created, so no other account can read them even for
an instant (a chmod after writing leaves a moment when they are world-readable). Plain Python, no
Django: settings.py uses it before Django is set up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

OWNER_ONLY = 0o077  # umask: no bits for group and others


@contextmanager
def owner_only() -> Iterator[None]:
    """Create files and directories readable by their owner only inside this block."""
    previous = os.umask(OWNER_ONLY)
    try:
        yield
    finally:
        os.umask(previous)


def private_dir(path: Path) -> Path:
    """Make the directory (and missing parents) readable by its owner only, if it is new."""
    with owner_only():
        path.mkdir(parents=True, exist_ok=True)
    return path


def private_text_once(path: Path, make: str) -> str:
    """The file's text; when it does not exist yet, `make` is written to it, owner-only."""
    try:
        with owner_only(), path.open("x") as new_file:
            new_file.write(make)
    except FileExistsError:
        pass
    return path.read_text().strip()
