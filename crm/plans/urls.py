"""The Plans card's actions on the Customer View."""

from django.urls import URLPattern, path

from crm.plans import views

PLANS = "customers/<int:customer_id>/plans/"

urlpatterns: list[URLPattern] = [
    path(PLANS + "new/", views.plan_add, name="plan-new"),
    path(PLANS + "<int:plan_id>/renew/", views.plan_renew_view, name="plan-renew"),
    path(PLANS + "<int:plan_id>/cancel/", views.plan_cancel_view, name="plan-cancel"),
]
