from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The office's pages that compose several apps: Customer View, Today, lists, import."""

    name = "crm.office"
    label = "office"
