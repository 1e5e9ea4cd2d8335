"""JSON endpoints of the engagement app, at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import CustomerIdQuery
from crm.engagement.models import FollowUpLog
from crm.engagement.schemas import FollowUpLogIn, FollowUpLogOut
from crm.engagement.selectors.follow_ups import follow_up_log_list
from crm.engagement.services.follow_ups import follow_up_log_create

router = ApiRouter(tags=["engagement"])


# operation_ids: the ones these had before engagement's api became a package, so generated
# clients keep their names.
@router.post(
    "/followups",
    response={201: FollowUpLogOut},
    operation_id="crm_engagement_api_log_follow_up",
)
def log_follow_up(request: HttpRequest, payload: FollowUpLogIn) -> Status[FollowUpLog]:
    """Log a follow-up made by hand, with who made it and when."""
    return Status(
        201, follow_up_log_create(staff_user=request_user(request), **payload.model_dump())
    )


@router.get(
    "/followups",
    response=list[FollowUpLogOut],
    operation_id="crm_engagement_api_logged_follow_ups",
)
def logged_follow_ups(
    request: HttpRequest, filters: Query[CustomerIdQuery]
) -> QuerySet[FollowUpLog]:
    """A customer's logged follow-ups, newest first."""
    return follow_up_log_list(customer_id=filters.customer_id)
