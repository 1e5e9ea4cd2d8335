"""Jobs and the money around them: payments (with method) and expenses."""

from __future__ import annotations

from django.db import models

from crm.core.models import (
    TimeStampedModel,
    choices_check,
    money_field,
    non_negative_check,
    positive_check,
)


class JobStatus(models.TextChoices):
    SCHEDULED = "Scheduled", "Scheduled"
    IN_PROGRESS = "InProgress", "In progress"
    COMPLETED = "Completed", "Completed"
    CANCELLED = "Cancelled", "Cancelled"


class PaymentMethod(models.TextChoices):
    CASH = "Cash", "Cash"
    CARD = "Card", "Card"
    BANK_TRANSFER = "BankTransfer", "Bank transfer"
    CHECK = "Check", "Check"
    MOBILE_WALLET = "MobileWallet", "Mobile wallet"
    OTHER = "Other", "Other"


class ExpenseCategory(models.TextChoices):
    PARTS = "Parts", "Parts"
    LABOR = "Labor", "Labor"
    TRAVEL = "Travel", "Travel"
    SUBCONTRACTOR = "Subcontractor", "Subcontractor"
    OTHER = "Other", "Other"


class Job(TimeStampedModel):
    """A service visit; a Completed job always has `completed_at`."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="jobs"
    )
    technician = models.ForeignKey(
        "technicians.Technician",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    appliance = models.ForeignKey(
        "appliances.Appliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
    )
    description = models.TextField()
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.SCHEDULED)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    # A booked visit's promised arrival window ("10:00-12:00", company time); scheduled_for is
    # its start. Blank for jobs recorded without one (imported history, the API's plain jobs).
    arrival_window = models.CharField(max_length=11, blank=True)
    service_address = models.TextField(blank=True)
    estimated_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Where the visit is (its address and time zone); empty means the customer's own address.
    location = models.ForeignKey(
        "customers.ServiceLocation", on_delete=models.PROTECT, null=True, blank=True,
        related_name="jobs",
    )  # fmt: skip
    # A maintenance plan's visit, counted against the plan's visits per year and its costs.
    plan = models.ForeignKey(
        "plans.MaintenancePlan", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="jobs",
    )  # fmt: skip
    # When the customer confirmed the visit (a reply to its reminder, or the portal).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    issues_found = models.TextField(blank=True)
    labor_hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [
            models.Index(fields=["customer", "-scheduled_for"]),
            models.Index(fields=["technician", "status", "scheduled_for"]),
            # Today's visits: the few open jobs among millions done, in time order.
            models.Index(
                fields=["scheduled_for", "id"],
                condition=models.Q(status__in=["Scheduled", "InProgress"]),
                name="job_open_scheduled_idx",
            ),
        ]
        constraints = [
            choices_check("status", JobStatus.choices, "job_status_valid"),
            non_negative_check("labor_hours", "job_labor_hours_non_negative"),
            non_negative_check("estimated_price", "job_estimated_price_non_negative"),
            models.CheckConstraint(
                condition=~models.Q(status=JobStatus.COMPLETED)
                | models.Q(completed_at__isnull=False),
                name="completed_job_has_completed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Job #{self.pk}: {self.description[:40]}"


class Payment(TimeStampedModel):
    """Money received from a customer, optionally for one of that customer's jobs."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="payments"
    )
    job = models.ForeignKey(
        Job, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    amount = money_field()
    date = models.DateField()
    payment_method = models.CharField(max_length=16, choices=PaymentMethod.choices)
    reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["customer", "-date"])]
        constraints = [
            positive_check("amount", "payment_amount_positive"),
            choices_check("payment_method", PaymentMethod.choices, "payment_method_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.payment_method} on {self.date}"


class Expense(TimeStampedModel):
    """A cost for a customer and/or a job; with a job, the customer is always the job's customer."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
    )
    job = models.ForeignKey(
        Job, on_delete=models.PROTECT, null=True, blank=True, related_name="expenses"
    )
    amount = money_field()
    date = models.DateField()
    category = models.CharField(max_length=16, choices=ExpenseCategory.choices)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["customer", "-date"])]
        constraints = [
            positive_check("amount", "expense_amount_positive"),
            choices_check("category", ExpenseCategory.choices, "expense_category_valid"),
            models.CheckConstraint(
                condition=models.Q(customer__isnull=False) | models.Q(job__isnull=False),
                name="expense_has_customer_or_job",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.category} on {self.date}"
