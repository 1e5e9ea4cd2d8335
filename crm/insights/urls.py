from django.urls import path

from crm.insights import views

AI = "customers/<int:customer_id>/ai/"
APPLIANCE = AI + "maintenance/<int:appliance_id>/"

urlpatterns = [
    path(AI + "value/", views.value_insights, name="insight-value"),
    path(AI + "maintenance/", views.maintenance_card, name="insight-maintenance"),
    path(APPLIANCE, views.appliance_panel, name="insight-appliance"),
    path(APPLIANCE + "reminder/", views.maintenance_reminder, name="insight-maintenance-reminder"),
    path(APPLIANCE + "message/", views.maintenance_message, name="insight-maintenance-message"),
    path(AI + "technician/", views.technician_match, name="insight-technician"),
    path(AI + "technician/assign/", views.technician_assign, name="insight-technician-assign"),
    path(AI + "<slug:panel>/", views.insight_panel, name="insight-panel"),
]
