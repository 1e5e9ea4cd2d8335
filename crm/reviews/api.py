"""JSON endpoints of the reviews app (reviews, follow-ups, customers' ratings of technicians),
at the plan's paths under /api."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from crm.core.api import ApiRouter
from crm.core.errors import ValidationFailed
from crm.core.schemas import CustomerIdQuery, PathId
from crm.customers.selectors import customer_get
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.schemas import (
    FollowUpScheduleIn,
    FollowUpUpdateIn,
    ReviewListItemOut,
    ReviewListQuery,
    ReviewOut,
    ReviewUpdateIn,
    ServiceFollowUpOut,
)
from crm.reviews.selectors import follow_up_list, review_list
from crm.reviews.services import (
    follow_up_schedule,
    follow_up_update,
    review_update,
    technician_rating_create,
)
from crm.technicians.models import CustomerTechnicianRating
from crm.technicians.schemas import TechnicianRatingIn, TechnicianRatingOut
from crm.technicians.selectors import customer_technician_ratings

router = ApiRouter(tags=["reviews"])


# POST /add-review is crm.engagement.api.reviews: the review answers the job's survey too.


@router.get("/reviews", response=list[ReviewListItemOut])
def reviews(request: HttpRequest, filters: Query[ReviewListQuery]) -> QuerySet[Review]:
    """Reviews of a job (`jobId`) or of all a customer's jobs (`customerId`), newest first."""
    if filters.job_id is None and filters.customer_id is None:
        raise ValidationFailed("Give jobId or customerId.", field="jobId")
    return review_list(job_id=filters.job_id, customer_id=filters.customer_id)


@router.put("/update-review/{review_id}", response=ReviewOut)
def update_review(request: HttpRequest, review_id: PathId, payload: ReviewUpdateIn) -> Review:
    """Change the rating or the comment; the technician rating follows."""
    return review_update(review_id=review_id, **payload.model_dump(exclude_unset=True))


@router.post("/job/{job_id}/follow-up", response={201: ServiceFollowUpOut})
def schedule_follow_up(
    request: HttpRequest, job_id: PathId, payload: FollowUpScheduleIn
) -> Status[ServiceFollowUp]:
    """Schedule a satisfaction follow-up for a job."""
    return Status(201, follow_up_schedule(job_id=job_id, follow_up_date=payload.follow_up_date))


@router.put("/follow-up/{follow_up_id}", response=ServiceFollowUpOut)
def update_follow_up(
    request: HttpRequest, follow_up_id: PathId, payload: FollowUpUpdateIn
) -> ServiceFollowUp:
    """Record the follow-up's status, satisfaction rating and feedback."""
    return follow_up_update(follow_up_id=follow_up_id, **payload.model_dump(exclude_unset=True))


@router.get("/follow-ups", response=list[ServiceFollowUpOut])
def follow_ups(request: HttpRequest, filters: Query[CustomerIdQuery]) -> QuerySet[ServiceFollowUp]:
    """A customer's satisfaction follow-ups, latest date first."""
    return follow_up_list(customer_id=filters.customer_id)


# A customer's ratings of technicians (customer feedback): listed under technicians in the
# docs, with the operation ids they had in crm.technicians.api.


@router.get(
    "/customer/{customer_id}/technician-ratings",
    response=list[TechnicianRatingOut],
    tags=["technicians"],
    operation_id="crm_technicians_api_technician_ratings",
)
def technician_ratings(
    request: HttpRequest, customer_id: PathId
) -> QuerySet[CustomerTechnicianRating]:
    """The customer's ratings of technicians, newest first."""
    customer_get(customer_id=customer_id)
    return customer_technician_ratings(customer_id=customer_id)


@router.post(
    "/customer/{customer_id}/technician-rating",
    response={201: TechnicianRatingOut},
    tags=["technicians"],
    operation_id="crm_technicians_api_add_technician_rating",
)
def add_technician_rating(
    request: HttpRequest, customer_id: PathId, payload: TechnicianRatingIn
) -> Status[CustomerTechnicianRating]:
    """Record the customer's rating of a technician (one per job when a job is given)."""
    rating = technician_rating_create(
        customer=customer_get(customer_id=customer_id),
        technician_id=payload.technician_id,
        rating=payload.rating,
        job_id=payload.job_id,
    )
    return Status(201, rating)
