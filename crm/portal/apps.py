from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "crm.portal"
    label = "portal"
    verbose_name = "Customer portal"
