from django.contrib import admin

from crm.referrals.models import Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin[Referral]):
    list_display = [
        "referrer",
        "referred_customer",
        "status",
        "reward_given",
        "reward_amount",
        "created_at",
    ]
    list_filter = ["status", "reward_given"]
    search_fields = ["referrer__name", "referred_customer__name"]
    raw_id_fields = ["referrer", "referred_customer"]
    list_select_related = ["referrer", "referred_customer"]
