"""Public endpoints of messaging (webhooks, survey links): each must verify what it receives."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
