from django.contrib import admin

from crm.technicians.models import CustomerTechnicianRating, Technician


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin[Technician]):
    list_display = [
        "name",
        "phone",
        "email",
        "years_experience",
        "daily_capacity",
        "hourly_cost",
        "active",
    ]
    list_filter = ["active"]
    search_fields = ["name", "email", "phone"]


@admin.register(CustomerTechnicianRating)
class CustomerTechnicianRatingAdmin(admin.ModelAdmin[CustomerTechnicianRating]):
    list_display = ["customer", "technician", "job", "rating", "created_at"]
    list_filter = ["rating", "technician"]
    search_fields = ["customer__name", "technician__name"]
    raw_id_fields = ["customer", "job"]
