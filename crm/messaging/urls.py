"""Public endpoints of messaging (webhooks, survey and unsubscribe links): each must verify
what it receives."""

from django.urls import URLPattern, path

from crm.messaging import views

urlpatterns: list[URLPattern] = [
    path("webhooks/whatsapp", views.whatsapp_webhook, name="whatsapp-webhook"),
    path("webhooks/twilio/status", views.twilio_status, name="twilio-status"),
    path("webhooks/twilio/inbound", views.twilio_inbound, name="twilio-inbound"),
    path("s/<str:token>", views.survey, name="survey"),
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
]
