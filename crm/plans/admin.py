from django.contrib import admin

from crm.plans.models import MaintenancePlan


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(admin.ModelAdmin[MaintenancePlan]):
    list_display = ["name", "customer", "status", "visits_per_year", "price_per_year", "ends_on"]
    list_filter = ["status", "auto_renew"]
    search_fields = ["customer__name", "name"]
    raw_id_fields = ["customer", "appliances"]
    list_select_related = ["customer"]
