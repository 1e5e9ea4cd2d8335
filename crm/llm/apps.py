from django.apps import AppConfig


class LlmConfig(AppConfig):
    name = "crm.llm"
    label = "llm"

    def ready(self) -> None:
        from crm.llm import checks  # noqa: F401  (registers the system checks)
