"""The customers app's own pages and write views; the Customer View page is in office."""

from django.urls import path

from crm.customers import views

CUSTOMER = "customers/<int:customer_id>/"

urlpatterns = [
    path("customers/new/", views.customer_create_page, name="customer-create"),
    path("customers/pick/", views.customer_pick, name="customer-pick"),
    path(CUSTOMER + "details/", views.details_edit, name="customer-details-edit"),
    path(CUSTOMER + "merge/", views.merge_pick, name="customer-merge"),
    path(CUSTOMER + "merge/<int:into_id>/", views.merge_confirm, name="customer-merge-confirm"),
    path(CUSTOMER + "preferred-technician/", views.preferred_technician_set,
         name="preferred-technician-set"),
    path(CUSTOMER + "communication/", views.communication_edit, name="communication-edit"),
    # Service locations (issue 14)
    path(CUSTOMER + "locations/new/", views.location_add, name="location-add"),
    path(CUSTOMER + "locations/<int:location_id>/", views.location_edit, name="location-edit"),
]  # fmt: skip
