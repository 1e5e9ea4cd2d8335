from django.apps import AppConfig


class LlmConfig(AppConfig):
    name = "crm.llm"
    label = "llm"
