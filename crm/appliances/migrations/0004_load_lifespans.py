from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    from crm.appliances.lifespans import LIFESPANS

    lifespan_model = apps.get_model("appliances", "ApplianceLifespan")
    for row in LIFESPANS:
        values = {**row, "expected_lifespan_years": Decimal(str(row["expected_lifespan_years"]))}
        lifespan_model.objects.update_or_create(appliance_type=values.pop("appliance_type"), defaults=values)


def unload(apps, schema_editor):
    apps.get_model("appliances", "ApplianceLifespan").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("appliances", "0003_initial")]
    operations = [migrations.RunPython(load, unload)]
