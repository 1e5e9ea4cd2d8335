from django.contrib import admin

from crm.appliances.models import Appliance, ApplianceLifespan


@admin.register(Appliance)
class ApplianceAdmin(admin.ModelAdmin[Appliance]):
    list_display = [
        "customer",
        "type",
        "brand",
        "model_number",
        "install_date",
        "warranty_expires_on",
        "last_service_date",
    ]
    list_filter = ["type", "brand"]
    search_fields = ["customer__name", "brand", "model_number", "serial_number"]
    raw_id_fields = ["customer", "job"]
    list_select_related = ["customer"]


@admin.register(ApplianceLifespan)
class ApplianceLifespanAdmin(admin.ModelAdmin[ApplianceLifespan]):
    """The published lifespan and interval table; operators may override the figures here."""

    list_display = [
        "appliance_type",
        "expected_lifespan_years",
        "lifespan_range",
        "service_interval_months",
        "peak_season",
    ]
    list_filter = ["peak_season"]
    search_fields = ["appliance_type", "source"]
