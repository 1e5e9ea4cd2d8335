"""The office's technician pages."""

from django.urls import path

from crm.technicians import views

TECHNICIAN = "technicians/<int:technician_id>/"

urlpatterns = [
    path("technicians/", views.technician_list, name="technician-list"),
    path("technicians/new/", views.technician_add, name="technician-add"),
    path(TECHNICIAN + "edit/", views.technician_edit, name="technician-edit"),
    path(TECHNICIAN + "deactivate/", views.technician_active_set, {"active": False},
         name="technician-deactivate"),
    path(TECHNICIAN + "reactivate/", views.technician_active_set, {"active": True},
         name="technician-reactivate"),
]  # fmt: skip
