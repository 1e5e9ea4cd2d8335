"""The confirmed import: the file is checked again and written in one transaction, all or
nothing. A file with any error writes nothing (the office fixes it and imports it again)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, transaction

from crm.activities.models import Activity, ActivityKind
from crm.activities.services import notes_bulk_create
from crm.appliances.models import Appliance
from crm.appliances.services import appliances_bulk_create
from crm.core.errors import Conflict, ValidationFailed
from crm.customers.services import (
    consents_bulk_set,
    consents_suppression_apply,
    customers_bulk_create,
    customers_bulk_update,
)
from crm.engagement.services.summaries import customer_summaries_refresh
from crm.jobs.models import Job, Payment
from crm.jobs.services import jobs_history_bulk_create
from crm.office.importing.plan import ImportPlan, RowError, import_plan
from crm.office.importing.presets import mapping_check, mapping_propose
from crm.office.importing.reading import csv_read

ERRORS_LISTED = 200


class ImportHasErrors(ValidationFailed):
    """The file has rows that cannot be imported; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the file: "
            "nothing was imported. Fix them and import the file again.",
            field="file",
        )
        self.row_errors = errors

    def errors(self) -> list[dict[str, str]]:
        return [
            {"field": f"row {error.row}: {error.column}", "message": error.reason}
            for error in self.row_errors[:ERRORS_LISTED]
        ]


@dataclass(frozen=True)
class ImportColumns:
    """A file's header row and the mapping {our field: column} proposed or chosen for it."""

    headers: list[str]
    mapping: dict[str, str]


@dataclass(frozen=True)
class ImportChecked(ImportColumns):
    """A file read and every row checked under the mapping: the plan."""

    plan: ImportPlan


def customers_import_columns(*, data: bytes, preset: str | None = None) -> ImportColumns:
    """Read the CSV and propose a mapping from its header row; no row is checked yet."""
    table = csv_read(data=data)
    return ImportColumns(table.headers, mapping_propose(table.headers, preset))


def customers_import_check(
    *, data: bytes, mapping: dict[str, str] | None, preset: str | None = None
) -> ImportChecked:
    """The dry run: read the CSV, check every row under `mapping` (None: the one proposed from
    the header row, with `preset` if given); nothing is written."""
    table = csv_read(data=data)
    if mapping is None:
        mapping = mapping_propose(table.headers, preset)
    mapping = mapping_check(table.headers, mapping)
    return ImportChecked(table.headers, mapping, import_plan(table=table, mapping=mapping))


def _write(plan: ImportPlan, author: User | None) -> None:
    customers_bulk_create(customers=plan.new_customers)
    customers_bulk_update(
        customers=list(plan.changed_customers.values()), fields=sorted(plan.changed_fields)
    )
    consents_bulk_set(marketing={
        (write.customer.pk, channel): opt_in
        for write in plan.writes for channel, opt_in in write.marketing.items()
    })  # fmt: skip
    # An imported phone or email that opted out (STOP, unsubscribe) stays opted out.
    consents_suppression_apply(customers=[*plan.new_customers, *plan.changed_customers.values()])
    appliances: list[Appliance] = []
    jobs: list[Job] = []
    payments: list[Payment] = []
    for write in plan.writes:
        customer_id, appliance, job = write.customer.pk, None, None
        if write.appliance is not None:
            appliance = Appliance(customer_id=customer_id, **write.appliance)
            appliances.append(appliance)
        if write.job is not None:
            job = Job(customer_id=customer_id, appliance=appliance, **write.job)
            jobs.append(job)
        if write.payment is not None:
            payments.append(Payment(customer_id=customer_id, job=job, **write.payment))
    appliances_bulk_create(appliances=appliances)
    jobs_history_bulk_create(jobs=jobs, payments=payments)
    notes_bulk_create(notes=[
        Activity(customer=write.customer, kind=ActivityKind.NOTE, content=write.note,
                 author=author)
        for write in plan.writes if write.note
    ])  # fmt: skip


def customers_import(
    *, data: bytes, mapping: dict[str, str] | None, author: User | None, preset: str | None = None
) -> ImportChecked:
    """Check the file again and write it all in one transaction, or nothing at all.

    Refused (nothing written) when any row has an error, or when the database refuses a row
    while writing: the transaction is rolled back whole.
    """
    try:
        with transaction.atomic():
            checked = customers_import_check(data=data, mapping=mapping, preset=preset)
            if checked.plan.errors:
                raise ImportHasErrors(checked.plan.errors)
            _write(checked.plan, author)
            customer_summaries_refresh(customer_ids=[w.customer.pk for w in checked.plan.writes])
    except (IntegrityError, DataError) as error:
        raise Conflict(
            f"The database refused part of the import ({error}); nothing was imported."
        ) from None
    return checked
