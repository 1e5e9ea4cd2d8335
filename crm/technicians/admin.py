from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from crm.core.errors import ApplicationError
from crm.technicians.models import CustomerTechnicianRating, Technician
from crm.technicians.selectors import technician_delete_refusal
from crm.technicians.services import technician_delete


@admin.register(Technician)
class TechnicianAdmin(admin.ModelAdmin[Technician]):
    """Technicians in the back office; deleting goes through technician_delete, which refuses
    a technician with jobs or ratings (deactivate them instead)."""

    list_display = [
        "name",
        "phone",
        "email",
        "years_experience",
        "daily_capacity",
        "hourly_cost",
        "active",
        "user",
    ]
    list_filter = ["active"]
    search_fields = ["name", "email", "phone"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The bulk delete would bypass technician_delete's refusal.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        technician = self.get_object(request, object_id)
        refusal = technician and technician_delete_refusal(technician=technician)
        if technician is not None and refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect("admin:technicians_technician_change", technician.pk)
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: Technician) -> None:
        try:
            technician_delete(technician_id=obj.pk)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Technician]) -> None:
        for technician in queryset:
            self.delete_model(request, technician)


@admin.register(CustomerTechnicianRating)
class CustomerTechnicianRatingAdmin(admin.ModelAdmin[CustomerTechnicianRating]):
    list_display = ["customer", "technician", "job", "rating", "created_at"]
    list_filter = ["rating", "technician"]
    search_fields = ["customer__name", "technician__name"]
    raw_id_fields = ["customer", "job"]
