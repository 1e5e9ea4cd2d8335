"""Stored AI answers: the cache of results, what the page shows at once, and the audit trail."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from crm.core.models import choices_check


class InsightSource(models.TextChoices):
    LLM = "llm", "AI model"
    OFFLINE = "offline", "Built-in analysis"


class InsightResult(models.Model):
    """One answer of one feature for one customer (or appliance), with what produced it.

    `cache_key` hashes provider, endpoint, model, template version, the rendered prompt, the
    schema and the token cap; `data_fingerprint` hashes the facts behind it, so a stored
    answer can say that the data has changed since.
    """

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="insight_results"
    )
    appliance = models.ForeignKey(
        "appliances.Appliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="insight_results",
    )
    feature = models.CharField(max_length=40)
    variant = models.CharField(max_length=64, blank=True, help_text="Digest of the options.")
    cache_key = models.CharField(max_length=64)
    data_fingerprint = models.CharField(max_length=64)
    source = models.CharField(max_length=10, choices=InsightSource.choices)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    template_version = models.CharField(max_length=80)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    text = models.TextField()
    data = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["cache_key", "source"]),
            models.Index(fields=["customer", "feature", "variant", "-created_at"]),
        ]
        constraints = [
            choices_check("source", InsightSource.choices, "insight_source_valid"),
            models.CheckConstraint(
                condition=models.Q(cost_usd__gte=0), name="insight_cost_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feature} for {self.customer_id} ({self.source}, {self.created_at:%Y-%m-%d})"
