"""API shapes of reviews and post-service follow-ups."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from crm.core.schemas import (
    CamelSchema,
    DateTimeIn,
    Id,
    InSchema,
    OutSchema,
    QueryId,
    Rating,
    optional,
)
from crm.reviews.models import FollowUpStatus, Review
from crm.reviews.services import COMMENT_MAX_LENGTH

FEEDBACK_MAX_LENGTH = 5000


class ReviewOut(OutSchema):
    """A customer's 1-5 review of one job."""

    id: int
    job_id: int
    customer_id: int
    technician_id: int | None
    rating: int
    comment: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ReviewListItemOut(ReviewOut):
    """A review with the reviewed technician's name."""

    technician_name: str | None

    @staticmethod
    def resolve_technician_name(obj: Review) -> str | None:
        return obj.technician.name if obj.technician is not None else None


class ReviewIn(InSchema):
    """The plan's review: the job, a rating 1-5 and a comment; customerId and technicianId are
    checked against the job's if given."""

    job_id: Id
    rating: Rating
    comment: str = Field(default="", max_length=COMMENT_MAX_LENGTH)
    customer_id: Id | None = None
    technician_id: Id | None = None


class ReviewUpdateIn(InSchema):
    rating: Rating = optional()
    comment: str = optional(max_length=COMMENT_MAX_LENGTH)


class ReviewListQuery(CamelSchema):
    """Give jobId, customerId or both."""

    job_id: QueryId | None = None
    customer_id: QueryId | None = None


class ServiceFollowUpOut(OutSchema):
    """A post-service satisfaction check: status, rating 1-5, feedback, when."""

    id: int
    job_id: int
    customer_id: int
    status: FollowUpStatus
    satisfaction_rating: int | None
    feedback: str
    follow_up_date: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime


class FollowUpScheduleIn(InSchema):
    follow_up_date: DateTimeIn


class FollowUpUpdateIn(InSchema):
    """The outcome: a Completed follow-up needs a rating or feedback."""

    status: FollowUpStatus = optional()
    satisfaction_rating: Rating = optional()
    feedback: str = optional(max_length=FEEDBACK_MAX_LENGTH)
    follow_up_date: DateTimeIn = optional()
