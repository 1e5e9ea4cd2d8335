"""Appliances customers own, and the published lifespan / service-interval table."""

from __future__ import annotations

from django.db import models

from crm.appliances.nameplate.storage import nameplate_photo_name, nameplate_storage
from crm.core.choices import ApplianceType
from crm.core.models import TimeStampedModel, choices_check


class Season(models.TextChoices):
    WINTER = "Winter", "Winter"
    SPRING = "Spring", "Spring"
    SUMMER = "Summer", "Summer"
    AUTUMN = "Autumn", "Autumn"


class Appliance(TimeStampedModel):
    """An appliance at a customer's home; `job` is the job where it was recorded, if any."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="appliances"
    )
    type = models.CharField(max_length=32, choices=ApplianceType.choices)
    brand = models.CharField(max_length=100)
    model_number = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    install_date = models.DateField(null=True, blank=True)
    warranty_expires_on = models.DateField(null=True, blank=True)
    last_service_date = models.DateField(null=True, blank=True)
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where it stands; empty means the customer's own (first) location.
    location = models.ForeignKey(
        "customers.ServiceLocation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="appliances",
    )  # fmt: skip
    # The nameplate photo a person confirmed (JPEG, EXIF stripped) and the date of manufacture
    # its serial number gives; the date stands in for the install date when that is unknown.
    photo = models.FileField(
        upload_to=nameplate_photo_name, storage=nameplate_storage, blank=True, max_length=200
    )
    manufactured_on = models.DateField(null=True, blank=True)
    manufactured_on_rule = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["type", "brand", "id"]
        constraints = [choices_check("type", ApplianceType.choices, "appliance_type_valid")]

    def __str__(self) -> str:
        return f"{self.brand} {self.get_type_display()}"


class ApplianceLifespan(models.Model):
    """Expected lifespan and service interval for one appliance type, with the published source."""

    appliance_type = models.CharField(max_length=32, choices=ApplianceType.choices, unique=True)
    expected_lifespan_years = models.DecimalField(max_digits=4, decimal_places=1)
    lifespan_range = models.CharField(max_length=60, blank=True)
    service_interval_months = models.PositiveSmallIntegerField()
    service_task = models.CharField(max_length=200)
    common_failure_points = models.CharField(max_length=300)
    peak_season = models.CharField(max_length=10, choices=Season.choices, blank=True)
    seasonal_impact = models.CharField(max_length=200, blank=True)
    source = models.TextField(help_text="Where the figures come from (citations).")

    class Meta:
        ordering = ["appliance_type"]
        constraints = [
            choices_check("appliance_type", ApplianceType.choices, "lifespan_type_valid"),
            models.CheckConstraint(
                condition=models.Q(expected_lifespan_years__gt=0), name="lifespan_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(service_interval_months__gte=1), name="interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_appliance_type_display()}: {self.expected_lifespan_years} years"
