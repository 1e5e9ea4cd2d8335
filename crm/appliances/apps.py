from django.apps import AppConfig


class AppliancesConfig(AppConfig):
    name = "crm.appliances"
    label = "appliances"
