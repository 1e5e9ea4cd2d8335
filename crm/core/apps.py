from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "crm.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from crm.core import company  # noqa: F401  (its signal receivers: recheck, remerge)
