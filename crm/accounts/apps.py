from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Users, roles and API tokens: the users page, the tokens page and My visits."""

    name = "crm.accounts"
    label = "accounts"

    def ready(self) -> None:
        post_migrate.connect(_role_permissions_sync, sender=self)


def _role_permissions_sync(**kwargs: Any) -> None:
    # Like Django's own permission creation: after every migrate, so models added later get
    # their permissions in the role groups too (the data migration made the groups).
    from django.apps import apps

    from crm.accounts.permissions import role_groups_sync

    role_groups_sync(apps, using=kwargs.get("using", "default"))
