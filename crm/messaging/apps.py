from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "crm.messaging"
    label = "messaging"

    def startup_report(self) -> list[str]:
        """What `manage.py serve` prints at start: the channel each kind of message uses."""
        from crm.messaging.channels import channels_report

        return channels_report()

    def ready(self) -> None:
        from crm.messaging import checks  # noqa: F401  (registers the system checks)
