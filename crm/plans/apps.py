from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "crm.plans"
    label = "plans"
    verbose_name = "Maintenance plans"
