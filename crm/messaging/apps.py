from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "crm.messaging"
    label = "messaging"
