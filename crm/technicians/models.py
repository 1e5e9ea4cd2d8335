"""Technicians and the customers' ratings of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from crm.core.choices import ApplianceType
from crm.core.models import TimeStampedModel, money_field, non_negative_check, rating_check


class Technician(TimeStampedModel):
    """A field technician; `specialties` lists ApplianceType values, `qualifications` the
    certifications and brand authorisations matching asks for ("gas", "brand:Bosch")."""

    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    specialties = models.JSONField(default=list, blank=True)
    years_experience = models.PositiveSmallIntegerField(default=0)
    qualifications = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    daily_capacity = models.PositiveSmallIntegerField(default=6)
    hourly_cost = money_field(default=0)
    # The sign-in of this technician (a user with the Technician role); one user, one record.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="technician",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            non_negative_check("hourly_cost", "technician_hourly_cost_non_negative"),
            models.CheckConstraint(
                condition=models.Q(daily_capacity__gte=1), name="technician_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_labels(self) -> list[str]:
        """The specialties as words ("Washing machine"), in the order they were saved."""
        labels = dict(ApplianceType.choices)
        return [labels.get(value, value) for value in self.specialties]

    @property
    def qualification_labels(self) -> list[str]:
        """The qualifications as words ("Gas certified", "Authorised for Bosch")."""
        return [qualification_label(code) for code in self.qualifications or []]


class Qualification(models.TextChoices):
    """Certifications beyond appliance type; brand authorisations are "brand:<Brand>"."""

    GAS = "gas", "Gas certified"
    REFRIGERANT = "refrigerant", "Refrigerant certified (EPA 608)"


BRAND_PREFIX = "brand:"


def qualification_label(code: str) -> str:
    """A qualification code in words."""
    if code.startswith(BRAND_PREFIX):
        return f"Authorised for {code.removeprefix(BRAND_PREFIX)}"
    return dict(Qualification.choices).get(code, code)


class CustomerTechnicianRating(TimeStampedModel):
    """A customer's 1-5 rating of a technician, at most one per job."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="technician_ratings"
    )
    technician = models.ForeignKey(
        Technician, on_delete=models.CASCADE, related_name="customer_ratings"
    )
    job = models.ForeignKey(
        "jobs.Job",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="technician_ratings",
    )
    rating = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            rating_check("rating", "technician_rating_1_to_5"),
            models.UniqueConstraint(
                fields=["job"],
                condition=models.Q(job__isnull=False),
                name="one_technician_rating_per_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} rated {self.technician} {self.rating}/5"
