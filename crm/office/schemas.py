"""API shapes of the office's endpoints: the CSV import's answer."""

from __future__ import annotations

from crm.core.schemas import OutSchema


class ImportCountsOut(OutSchema):
    rows: int
    created: int
    updated: int
    skipped: int
    rows_with_errors: int
    errors: int
    appliances: int
    jobs: int
    payments: int


class ImportRowOut(OutSchema):
    row: int
    action: str
    name: str
    detail: str


class ImportErrorOut(OutSchema):
    row: int
    column: str
    reason: str


class ImportOut(OutSchema):
    """A dry run (nothing written) or a confirmed import; counts are exact, lists are capped."""

    dry_run: bool
    imported: bool
    counts: ImportCountsOut
    mapping: dict[str, str]
    rows: list[ImportRowOut]
    errors: list[ImportErrorOut]
