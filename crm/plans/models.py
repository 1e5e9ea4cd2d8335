"""Maintenance plans (memberships): a yearly price for a number of visits to named appliances."""

from __future__ import annotations

from django.db import models

from crm.core.models import TimeStampedModel, choices_check, money_field


class PlanStatus(models.TextChoices):
    ACTIVE = "Active", "Active"
    EXPIRED = "Expired", "Expired"
    CANCELLED = "Cancelled", "Cancelled"


class MaintenancePlan(TimeStampedModel):
    """A customer's plan: `visits_per_year` visits to `appliances`, paid `price_per_year`.

    Its visits are jobs that name it (Job.plan); its revenue is the price per year over the
    plan's days, set against those jobs' costs in profitability.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="maintenance_plans"
    )
    name = models.CharField(max_length=120)
    appliances = models.ManyToManyField(
        "appliances.Appliance", related_name="maintenance_plans", blank=True
    )
    visits_per_year = models.PositiveSmallIntegerField()
    price_per_year = money_field()
    starts_on = models.DateField()
    ends_on = models.DateField()
    auto_renew = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["customer", "status"], name="plan_customer_idx")]
        constraints = [
            choices_check("status", PlanStatus.choices, "plan_status_valid"),
            models.CheckConstraint(condition=~models.Q(name=""), name="plan_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(visits_per_year__gte=1, visits_per_year__lte=52),
                name="plan_visits_per_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(price_per_year__gte=0), name="plan_price_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PlanStatus.CANCELLED)
                | models.Q(cancelled_at__isnull=False),
                name="plan_cancelled_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status}, {self.starts_on} to {self.ends_on})"
