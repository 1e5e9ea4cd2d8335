"""The role groups' Django permissions (used by the admin; the pages and the API ask the policy,
crm.core.policy). Written against an apps registry so the data migration can use it too."""

from __future__ import annotations

from typing import Any

from crm.core.roles import Role

# What a Technician does in the database: read customers and jobs, record an appliance's
# details, complete their jobs and add notes. No money model, no messages, no consent.
TECHNICIAN_PERMISSIONS = {
    ("customers", "view_customer"),
    ("appliances", "view_appliance"),
    ("appliances", "add_appliance"),
    ("appliances", "change_appliance"),
    ("jobs", "view_job"),
    ("jobs", "change_job"),
    ("activities", "view_activity"),
    ("activities", "add_activity"),
}


def _crm_labels() -> set[str]:
    # The project's registry, not the migration's (whose app configs know only their labels).
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name.startswith("crm.")}


def role_groups_sync(apps: Any, *, using: str = "default") -> None:
    """Make the three role groups exist with their permissions (idempotent; adds, never removes).

    Owner: every permission. Office: every permission of ServiceCRM's apps (not users or groups).
    Technician: TECHNICIAN_PERMISSIONS.
    """
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    everything = permission_model.objects.using(using).all()
    office = everything.filter(content_type__app_label__in=_crm_labels())
    technician = [
        permission.pk
        for permission in everything.select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in TECHNICIAN_PERMISSIONS
    ]
    grants = {
        Role.OWNER: list(everything.values_list("pk", flat=True)),
        Role.OFFICE: list(office.values_list("pk", flat=True)),
        Role.TECHNICIAN: technician,
    }
    for role, permission_ids in grants.items():
        group, _ = group_model.objects.using(using).get_or_create(name=role.value)
        group.permissions.add(*permission_ids)
