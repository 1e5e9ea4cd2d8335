from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "crm.engagement"
    label = "engagement"
