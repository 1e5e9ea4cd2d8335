"""The existing customers a file names, read once in batches (never a query per row)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from crm.customers.models import ContactConsent, Customer

CHUNK = 500  # ids or values per IN (...): well under SQLite's variable limit


def chunks(values: Iterable[str | int]) -> Iterator[list[str | int]]:
    """Values in lists of CHUNK, in a stable order."""
    ordered = sorted(set(values), key=str)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


@dataclass
class Directory:
    """Customers by E.164 phone and by lower-cased email, one instance per customer, and
    their marketing consent per channel; the lowest id wins where a household shares one."""

    by_phone: dict[str, Customer] = field(default_factory=dict)
    by_email: dict[str, Customer] = field(default_factory=dict)
    marketing: dict[tuple[int, str], bool] = field(default_factory=dict)


def directory_load(*, phones: Iterable[str], emails: Iterable[str]) -> Directory:
    """The customers who have one of these phones or emails."""
    directory = Directory()
    loaded: dict[int, Customer] = {}
    for column, values, index in (
        ("phone", phones, directory.by_phone),
        ("email", emails, directory.by_email),
    ):
        for chunk in chunks(values):
            for customer in Customer.objects.filter(**{f"{column}__in": chunk}).order_by("id"):
                customer = loaded.setdefault(customer.pk, customer)
                index.setdefault(getattr(customer, column), customer)
    for chunk in chunks(loaded):
        for customer_id, channel, opt_in in ContactConsent.objects.filter(
            customer_id__in=chunk
        ).values_list("customer_id", "channel", "marketing_opt_in"):
            directory.marketing[(customer_id, channel)] = opt_in
    return directory
