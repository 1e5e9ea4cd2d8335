"""The customers app's own write views under a customer; the Customer View page is in office."""

from django.urls import path

from crm.customers import views

CUSTOMER = "customers/<int:customer_id>/"

urlpatterns = [
    path(CUSTOMER + "preferred-technician/", views.preferred_technician_set,
         name="preferred-technician-set"),
    path(CUSTOMER + "communication/", views.communication_edit, name="communication-edit"),
]  # fmt: skip
