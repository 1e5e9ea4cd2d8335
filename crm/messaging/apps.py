from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "crm.messaging"
    label = "messaging"

    def ready(self) -> None:
        from crm.messaging import checks  # noqa: F401  (registers the system checks)
