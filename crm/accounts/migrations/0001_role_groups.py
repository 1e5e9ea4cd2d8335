"""The three role groups, Owner, Office and Technician, with their Django permissions."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def groups_create(apps, schema_editor):
    from crm.accounts.permissions import role_groups_sync

    # Permissions are otherwise made after the whole migrate run; the groups need them now.
    for config in global_apps.get_app_configs():
        create_permissions(config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    role_groups_sync(apps, using=schema_editor.connection.alias)


def groups_remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Owner", "Office", "Technician"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("customers", "0006_phones_e164"),
        ("appliances", "0004_load_lifespans"),
        ("jobs", "0003_money_rows_match_job_customer"),
        ("activities", "0004_activity_inbound_idx"),
        ("technicians", "0002_technician_user"),
    ]

    operations = [migrations.RunPython(groups_create, groups_remove)]
