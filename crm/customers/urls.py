from django.urls import path
from django.views.generic import RedirectView

from crm.customers import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="customer-list"), name="home"),
    path("customers/", views.customer_list, name="customer-list"),
]
