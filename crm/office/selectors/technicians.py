"""The office's technician list: technicians with their open jobs counted (two apps' rows)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from crm.core.errors import NotFound
from crm.jobs.models import JobStatus
from crm.technicians.models import Technician
from crm.technicians.selectors import TechnicianStatusFilter

TECHNICIAN_PAGE_SIZE = 25
OPEN_JOB_STATUSES = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)


def technicians_with_open_jobs() -> QuerySet[Technician]:
    """Technicians annotated with `open_job_count` (Scheduled or In progress), in one query."""
    return Technician.objects.annotate(
        open_job_count=Count("jobs", filter=Q(jobs__status__in=OPEN_JOB_STATUSES))
    )


def technician_page(
    *, status: TechnicianStatusFilter, page: int | str = 1, per_page: int = TECHNICIAN_PAGE_SIZE
) -> Page[Technician]:
    """One page of the office's technician list with open job counts; two queries per page."""
    technicians = technicians_with_open_jobs().order_by("name", "id")
    if status != TechnicianStatusFilter.ALL:
        technicians = technicians.filter(active=status == TechnicianStatusFilter.ACTIVE)
    return Paginator(technicians, per_page).get_page(page)


def technician_get(*, technician_id: int) -> Technician:
    """The technician with `open_job_count`, or NotFound."""
    technician = technicians_with_open_jobs().filter(pk=technician_id).first()
    if technician is None:
        raise NotFound("Technician not found.")
    return technician
