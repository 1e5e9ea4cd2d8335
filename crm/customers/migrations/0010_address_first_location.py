"""A customer's own address becomes their first service location ("Home"), and the appliances
they already have stand there. Customers with no address get no location until they have one."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

BATCH = 2000


def forwards(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    ServiceLocation = apps.get_model("customers", "ServiceLocation")
    Appliance = apps.get_model("appliances", "Appliance")
    customers = (
        Customer.objects.exclude(address="")
        .filter(anonymised_at__isnull=True)
        .values_list("id", "address", "timezone")
        .order_by("id")
    )
    rows = []
    for customer_id, address, zone in customers.iterator(chunk_size=BATCH):
        rows.append(
            ServiceLocation(customer_id=customer_id, label="Home", address=address, timezone=zone)
        )
        if len(rows) >= BATCH:
            ServiceLocation.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    ServiceLocation.objects.bulk_create(rows, ignore_conflicts=True)
    home = ServiceLocation.objects.filter(customer_id=OuterRef("customer_id")).order_by("id")
    Appliance.objects.filter(location__isnull=True).update(
        location=Subquery(home.values("id")[:1])
    )


def backwards(apps, schema_editor):
    Appliance = apps.get_model("appliances", "Appliance")
    ServiceLocation = apps.get_model("customers", "ServiceLocation")
    Appliance.objects.update(location=None)
    ServiceLocation.objects.filter(label="Home").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0009_servicelocation"),
        ("appliances", "0005_appliance_location"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
