from django.apps import AppConfig


class TechniciansConfig(AppConfig):
    name = "crm.technicians"
    label = "technicians"
