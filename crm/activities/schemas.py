"""API shapes of the customer timeline."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.activities.models import CONTENT_MAX_LENGTH, Activity, ActivityKind, Direction
from crm.activities.selectors import ACTIVITY_PAGE_SIZE, ActivityPage
from crm.core.schemas import CamelSchema, DateTimeIn, Id, InSchema, OutSchema, PageNumber, QueryId


class ActivityOut(OutSchema):
    """One event on a customer's timeline, with who wrote it."""

    id: int
    customer_id: int
    kind: ActivityKind
    direction: Direction
    content: str
    occurred_at: dt.datetime
    author_id: int | None
    author_name: str | None
    job_id: int | None

    @staticmethod
    def resolve_author_name(obj: Activity) -> str | None:
        if obj.author is None:
            return None
        return obj.author.get_full_name() or obj.author.get_username()


class ActivityPageOut(OutSchema):
    """One page of the timeline, newest first; hasNext says whether an older page exists."""

    page: int
    page_size: int
    has_next: bool
    items: list[ActivityOut]

    @staticmethod
    def resolve_page_size(obj: ActivityPage) -> int:
        return ACTIVITY_PAGE_SIZE


class ActivityIn(InSchema):
    """A note, call or message; direction defaults to Internal for notes, else Outbound."""

    customer_id: Id
    kind: ActivityKind
    content: str = Field(max_length=CONTENT_MAX_LENGTH)
    direction: Direction | None = None
    occurred_at: DateTimeIn | None = None
    job_id: Id | None = None


class ActivityListQuery(CamelSchema):
    customer_id: QueryId
    kind: ActivityKind | None = None
    page: PageNumber = 1
