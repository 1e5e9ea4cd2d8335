"""JSON endpoints of the activities app, at the plan's paths under /api."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Status

from crm.activities.models import Activity
from crm.activities.schemas import ActivityIn, ActivityListQuery, ActivityOut, ActivityPageOut
from crm.activities.selectors import ActivityPage, activity_page
from crm.activities.services import activity_create
from crm.core.api import ApiRouter, request_user

router = ApiRouter(tags=["activities"])


@router.post("/add-activity", response={201: ActivityOut})
def add_activity(request: HttpRequest, payload: ActivityIn) -> Status[Activity]:
    """Add a note, call or message to a customer's timeline; the author is the signed-in user."""
    return Status(201, activity_create(author=request_user(request), **payload.model_dump()))


@router.get("/activities", response=ActivityPageOut)
def activities(request: HttpRequest, filters: Query[ActivityListQuery]) -> ActivityPage:
    """A customer's timeline, newest first, 20 a page; `kind` narrows it to one kind."""
    return activity_page(customer_id=filters.customer_id, kind=filters.kind, page=filters.page)
