"""Fixtures for messaging tests: contact hours that include now, whatever the clock says."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _always_contact_hours(settings):  # type: ignore[no-untyped-def]
    """No quiet hours unless a test sets them: tests must not depend on the time of day."""
    settings.QUIET_HOURS_START = "00:00"
    settings.QUIET_HOURS_END = "00:00"
