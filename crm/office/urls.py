"""The office's pages: each group of routes lives beside the views module of its page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
