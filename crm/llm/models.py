"""The log of every provider call (usage, cost, outcome) and the shared rate-limit counter."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CallOutcome(models.TextChoices):
    OK = "ok", "OK"
    INVALID_JSON = "invalid_json", "Invalid JSON"
    INVALID_SCHEMA = "invalid_schema", "Does not match the schema"
    INVALID_DATA = "invalid_data", "Contradicts the data"
    TRUNCATED = "truncated", "Truncated"
    REFUSED = "refused", "Refused"
    TIMEOUT = "timeout", "Timeout"
    CONNECTION_ERROR = "connection_error", "Connection error"
    HTTP_ERROR = "http_error", "HTTP error"
    EMPTY = "empty", "Empty answer"
    ERROR = "error", "Unexpected error"


class LLMCall(models.Model):
    """One request to an LLM provider (after the SDK's own retries), with what it cost."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    feature = models.CharField(max_length=40)
    provider = models.CharField(max_length=20)
    model = models.CharField(max_length=100)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    # Six places: one call costs fractions of a cent; months add up in the admin.
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    request_id = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "LLM call"
        indexes = [models.Index(fields=["feature", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_usd__gte=0), name="llm_cost_non_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feature} {self.provider}/{self.model} {self.outcome}"


class RateLimitWindow(models.Model):
    """Requests started in one minute; a conditional UPDATE admits each call (all processes)."""

    name = models.CharField(max_length=40)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "window_start"], name="one_rate_window")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.window_start:%H:%M}: {self.count}"
