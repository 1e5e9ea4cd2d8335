from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "crm.audit"
    label = "audit"

    def ready(self) -> None:
        from crm.audit.context import task_hooks_install
        from crm.audit.registry import audited_models_register

        audited_models_register()
        task_hooks_install()
