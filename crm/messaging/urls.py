"""Public endpoints of messaging (webhooks and unsubscribe links; the survey link is
crm/engagement/urls.py): each must verify what it receives."""

from django.urls import URLPattern, path

from crm.messaging import views

urlpatterns: list[URLPattern] = [
    path("webhooks/whatsapp", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("webhooks/twilio/status", views.twilio_status, name="twilio-status"),
    path("webhooks/twilio/inbound", views.twilio_inbound, name="twilio-inbound"),
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
    # An office page action (login required): clearing an opt-out at the customer's request.
    path(
        "customers/<int:customer_id>/consent/<str:channel>/clear/",
        views.consent_clear_page,
        name="consent-clear",
    ),
]
