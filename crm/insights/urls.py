from django.urls import path

from crm.insights import views

AI = "customers/<int:customer_id>/ai/"
APPLIANCE = AI + "maintenance/<int:appliance_id>/"

urlpatterns = [
    path(AI + "value/", views.value_insights, name="insight-value"),
    path(APPLIANCE, views.appliance_panel, name="insight-appliance"),
    path(AI + "technician/", views.technician_match, name="insight-technician"),
    path(AI + "<slug:panel>/", views.insight_panel, name="insight-panel"),
]
