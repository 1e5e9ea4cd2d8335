from django.contrib import admin

from crm.reviews.models import Review, ServiceFollowUp


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin[Review]):
    list_display = ["job", "customer", "technician", "rating", "created_at"]
    list_filter = ["rating", "technician"]
    search_fields = ["customer__name", "comment"]
    raw_id_fields = ["job", "customer"]
    list_select_related = ["customer", "technician"]


@admin.register(ServiceFollowUp)
class ServiceFollowUpAdmin(admin.ModelAdmin[ServiceFollowUp]):
    list_display = ["job", "customer", "status", "satisfaction_rating", "follow_up_date"]
    list_filter = ["status", "satisfaction_rating"]
    search_fields = ["customer__name", "feedback"]
    raw_id_fields = ["job", "customer"]
    list_select_related = ["customer"]
