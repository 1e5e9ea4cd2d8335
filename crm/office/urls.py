"""The office's pages: each group of routes lives beside the views module of its page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from crm.office.views import importing

urlpatterns: list[URLPattern | URLResolver] = [
    # CSV import of customers (before any customers/<int:...> route).
    path("customers/import/", importing.customer_import, name="customer-import"),
]
