"""Existing phone numbers into E.164 and emails into lower case, as the services now store them.

A number that cannot be read keeps its text (the office fixes it on the Customer View); the
migration says how many it converted and how many it left.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import migrations

from crm.core.errors import ValidationFailed
from crm.core.phones import phone_normalize

BATCH = 2000


def contact_details_normalize(customer_model: Any) -> dict[str, int]:
    """Rewrite every customer's phone in E.164 and email in lower case; counts what it did."""
    counts = {"phones_converted": 0, "phones_unreadable": 0, "emails_lowered": 0}
    rows = customer_model.objects.only("id", "phone", "email").order_by("id")
    # Batches by id (not one open cursor): SQLite does not isolate a cursor from the writes.
    batch = list(rows[:BATCH])
    while batch:
        changed = []
        for customer in batch:
            phone, email = customer.phone, customer.email.strip().lower()
            try:
                phone = phone_normalize(customer.phone)
            except ValidationFailed:
                counts["phones_unreadable"] += 1
            counts["phones_converted"] += phone != customer.phone
            counts["emails_lowered"] += email != customer.email
            if (phone, email) != (customer.phone, customer.email):
                customer.phone, customer.email = phone, email
                changed.append(customer)
        customer_model.objects.bulk_update(changed, ["phone", "email"])
        batch = list(rows.filter(id__gt=batch[-1].pk)[:BATCH])
    return counts


def forwards(apps: Any, schema_editor: Any) -> None:
    counts = contact_details_normalize(apps.get_model("customers", "Customer"))
    sys.stdout.write(
        f"\n  Phones: {counts['phones_converted']} converted to E.164, "
        f"{counts['phones_unreadable']} unreadable left as they were; "
        f"emails: {counts['emails_lowered']} lower-cased.\n"
    )


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_profit_margin")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
