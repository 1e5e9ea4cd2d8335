from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "crm.engagement"
    label = "engagement"

    def ready(self) -> None:
        from crm.engagement.receivers import inbound_message_answer
        from crm.messaging.signals import inbound_message_stored

        inbound_message_stored.connect(inbound_message_answer, dispatch_uid="appointment-replies")
