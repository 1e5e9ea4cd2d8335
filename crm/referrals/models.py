"""Referrals: who brought whom, and the reward."""

from __future__ import annotations

from django.db import models

from crm.core.models import TimeStampedModel, choices_check, money_field, non_negative_check


class ReferralStatus(models.TextChoices):
    PENDING = "Pending", "Pending"
    QUALIFIED = "Qualified", "Qualified"
    REWARDED = "Rewarded", "Rewarded"
    DECLINED = "Declined", "Declined"


class Referral(TimeStampedModel):
    """One customer referring another; a customer is referred at most once, never by themself."""

    referrer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="referrals_made"
    )
    referred_customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="referral_received"
    )
    status = models.CharField(
        max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    reward_given = models.BooleanField(default=False)
    reward_amount = money_field(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(referrer=models.F("referred_customer")),
                name="referral_not_self",
            ),
            choices_check("status", ReferralStatus.choices, "referral_status_valid"),
            non_negative_check("reward_amount", "referral_reward_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.referrer} -> {self.referred_customer} ({self.status})"
