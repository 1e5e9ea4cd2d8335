"""The customer portal: the public page behind a signed link (/p/<token>/) and its forms, and
the Customer View's two actions on portal links."""

from django.urls import URLPattern, path

from crm.portal import views

PORTAL = "p/<str:token>/"
CUSTOMER = "customers/<int:customer_id>/"

urlpatterns: list[URLPattern] = [
    path(PORTAL, views.portal, name="portal"),
    path(PORTAL + "visits/<int:job_id>/confirm/", views.portal_visit_confirm_view,
         name="portal-visit-confirm"),
    path(PORTAL + "visits/<int:job_id>/reschedule/", views.portal_visit_reschedule_view,
         name="portal-visit-reschedule"),
    path(PORTAL + "preferences/", views.portal_preferences, name="portal-preferences"),
    path(PORTAL + "request/", views.portal_request, name="portal-request"),
    path(CUSTOMER + "portal-link/send/", views.portal_link_send_view, name="portal-link-send"),
    path(CUSTOMER + "portal-link/revoke/", views.portal_links_revoke_view,
         name="portal-links-revoke"),
]  # fmt: skip
