"""The dry run: every row checked and matched, what a confirmation would write collected in
memory, nothing saved. Rows are matched to customers by E.164 phone, then by lower-cased email,
against existing customers and against earlier rows of the same file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from crm.customers.models import Customer, MessageChannel
from crm.jobs.models import JobStatus, PaymentMethod
from crm.office.importing.cells import CLEANERS, CellError
from crm.office.importing.lookups import Directory, directory_load
from crm.office.importing.presets import LABELS
from crm.office.importing.reading import Table

FIRST_ROW = 2  # the header row is row 1, as a spreadsheet shows it
CUSTOMER_FIELDS = ("name", "phone", "email", "address", "preferred_contact_method",
                   "language_preference", "timezone")  # fmt: skip
MARKETING = {
    "marketing_email": MessageChannel.EMAIL,
    "marketing_sms": MessageChannel.SMS,
    "marketing_whatsapp": MessageChannel.WHATSAPP,
}
APPLIANCE_KEYS = ("appliance_type", "appliance_brand", "appliance_model", "appliance_serial",
                  "appliance_install_date")  # fmt: skip
JOB_KEYS = ("job_date", "job_description", "job_amount", "payment_method")


@dataclass(frozen=True)
class RowError:
    """A cell (or a row) that cannot be imported: row number, column name, reason."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class RowResult:
    """What one row would do: create, update, skip (nothing new) or error."""

    row: int
    action: str
    name: str
    detail: str


@dataclass
class RowWrite:
    """What one good row writes: its customer (new or existing) and what hangs on it."""

    customer: Customer
    # Field values, not model instances: a dry run builds no more objects than it must.
    appliance: dict[str, Any] | None = None
    job: dict[str, Any] | None = None
    payment: dict[str, Any] | None = None
    note: str = ""
    marketing: dict[str, bool] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """The whole file checked: per-row results, every error, and the writes it would make."""

    results: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    writes: list[RowWrite] = field(default_factory=list)
    new_customers: list[Customer] = field(default_factory=list)
    changed_customers: dict[int, Customer] = field(default_factory=dict)
    changed_fields: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        """Exact counts: rows by outcome, and the appliances, jobs and payments to add."""
        actions = Counter(result.action for result in self.results)
        return {
            "rows": len(self.results),
            "created": actions["create"],
            "updated": actions["update"],
            "skipped": actions["skip"],
            "rows_with_errors": actions["error"],
            "errors": len(self.errors),
            "appliances": sum(write.appliance is not None for write in self.writes),
            "jobs": sum(write.job is not None for write in self.writes),
            "payments": sum(write.payment is not None for write in self.writes),
        }


class _Row:
    """One data row's cleaned values, and the errors found in it."""

    def __init__(self, number: int, cells: tuple[str, ...], columns: dict[str, int],
                 headers: list[str]) -> None:  # fmt: skip
        self.number, self.headers, self.columns = number, headers, columns
        self.values: dict[str, Any] = {}
        self.errors: list[RowError] = []
        for key, index in columns.items():
            raw = cells[index].strip() if index < len(cells) else ""
            if raw:
                try:
                    self.values[key] = CLEANERS[key](raw)
                except CellError as error:
                    self.error(key, error.reason)

    def error(self, key: str, reason: str) -> None:
        column = self.headers[self.columns[key]] if key in self.columns else LABELS[key]
        self.errors.append(RowError(self.number, column, reason))

    def customer_values(self) -> dict[str, Any]:
        values = self.values
        name = values.get("name") or " ".join(
            part for part in (values.get("first_name"), values.get("last_name")) if part
        ) or values.get("company", "")  # fmt: skip
        locality = " ".join(part for part in (values.get("state"), values.get("zip")) if part)
        address = values.get("address") or ", ".join(
            part for part in (values.get("street"), values.get("street2"), values.get("city"),
                              locality) if part
        )  # fmt: skip
        if len(name) > 200:
            self.error("name", "name longer than 200 characters")
        found = {
            "name": name, "phone": values.get("phone"), "email": values.get("email"),
            "address": address, "preferred_contact_method": values.get("preferred_contact_method"),
            "language_preference": values.get("language"), "timezone": values.get("timezone"),
        }  # fmt: skip
        return {key: value for key, value in found.items() if value}

    def appliance(self, customer_date: dt.date | None) -> dict[str, Any] | None:
        values = self.values
        if not any(key in values for key in APPLIANCE_KEYS):
            return None
        for key, word in (("appliance_type", "type"), ("appliance_brand", "brand")):
            if key not in values:
                self.error(key, f"missing appliance {word} (the row has other appliance columns)")
        install = values.get("appliance_install_date")
        return {
            "type": values.get("appliance_type", ""), "brand": values.get("appliance_brand", ""),
            "model_number": values.get("appliance_model", ""),
            "serial_number": values.get("appliance_serial", ""), "install_date": install,
            "last_service_date": customer_date if customer_date and (
                install is None or customer_date >= install) else None,
        }  # fmt: skip

    def job(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        values = self.values
        if not any(key in values for key in JOB_KEYS):
            return None, None
        if "job_date" not in values:
            self.error("job_date", "missing job date (the row has other job columns)")
            return None, None
        done = timezone.make_aware(dt.datetime.combine(values["job_date"], dt.time(12)))
        job = {
            "description": values.get("job_description") or "Imported job",
            "status": JobStatus.COMPLETED, "scheduled_for": done, "completed_at": done,
        }  # fmt: skip
        if not values.get("job_amount"):
            return job, None
        payment = {"amount": values["job_amount"], "date": values["job_date"],
                   "payment_method": values.get("payment_method", PaymentMethod.OTHER),
                   "reference": "CSV import"}  # fmt: skip
        return job, payment


def _column_indexes(table: Table, mapping: dict[str, str]) -> dict[str, int]:
    position = {header: index for index, header in enumerate(table.headers)}
    return {key: position[column] for key, column in mapping.items()}


class _Planner:
    """Walks the rows in order, so a later row finds the customer an earlier row creates."""

    def __init__(self, directory: Directory) -> None:
        self.plan = ImportPlan()
        self.directory = directory
        self.created_at_row: dict[int, int] = {}  # id(new customer) -> its row

    def match(self, values: dict[str, Any]) -> tuple[Customer | None, str]:
        phone, email = values.get("phone"), values.get("email")
        if phone and phone in self.directory.by_phone:
            return self.directory.by_phone[phone], "phone"
        if email and email in self.directory.by_email:
            return self.directory.by_email[email], "email"
        return None, ""

    def remember(self, customer: Customer) -> None:
        if customer.phone:
            self.directory.by_phone.setdefault(customer.phone, customer)
        if customer.email:
            self.directory.by_email.setdefault(customer.email, customer)

    def add(self, row: _Row) -> None:
        values = row.customer_values()
        customer, matched_by = self.match(values)
        if customer is None and not values.get("name"):
            row.error("name", "missing name (needed for a new customer)")
        job, payment = row.job()
        appliance = row.appliance(row.values.get("job_date") if job else None)
        if row.errors:
            self.plan.errors.extend(row.errors)
            reasons = "; ".join(error.reason for error in row.errors)
            self.plan.results.append(
                RowResult(row.number, "error", values.get("name", ""), reasons)
            )
            return
        if customer is None:
            customer = self.create(row, values)
            action, detail = "create", "new customer"
        else:
            action, detail = self.update(customer, values, matched_by)
        write = RowWrite(customer, appliance, job, payment, row.values.get("notes", ""),
                         self.marketing(customer, row.values))  # fmt: skip
        extras = [word for word, thing in (("appliance", appliance), ("past job", job),
                  ("payment", payment), ("note", write.note)) if thing]  # fmt: skip
        if action == "skip" and (extras or write.marketing):
            action = "update"
        if action != "skip":
            self.plan.writes.append(write)
        detail = ", ".join([detail, *(f"+ {word}" for word in extras)])
        self.plan.results.append(RowResult(row.number, action, customer.name, detail))

    def create(self, row: _Row, values: dict[str, Any]) -> Customer:
        since = row.values.get("customer_since")
        customer = Customer(**values, referral_code="")  # given in bulk when written
        if since:
            customer.created_at = timezone.make_aware(dt.datetime.combine(since, dt.time()))
        self.plan.new_customers.append(customer)
        self.created_at_row[id(customer)] = row.number
        self.remember(customer)
        return customer

    def update(self, customer: Customer, values: dict[str, Any], by: str) -> tuple[str, str]:
        changed = [key for key, value in values.items() if getattr(customer, key) != value]
        for key in changed:
            setattr(customer, key, values[key])
        self.remember(customer)
        if customer.pk is None:
            return "update", f"same customer as row {self.created_at_row[id(customer)]}"
        if changed:
            self.plan.changed_customers[customer.pk] = customer
            self.plan.changed_fields.update(changed)
        detail = f"matched by {by}: customer #{customer.pk}"
        return (
            ("update", f"{detail}, changes {', '.join(changed)}") if changed else ("skip", detail)
        )

    def marketing(self, customer: Customer, values: dict[str, Any]) -> dict[str, bool]:
        wanted = {channel: values[key] for key, channel in MARKETING.items() if key in values}
        if customer.pk is None:
            return wanted
        current = self.directory.marketing
        return {ch: opt for ch, opt in wanted.items() if current.get((customer.pk, ch)) != opt}


def import_plan(*, table: Table, mapping: dict[str, str]) -> ImportPlan:
    """Check every row of `table` under `mapping` ({our field: column}); nothing is written."""
    columns = _column_indexes(table, mapping)
    rows = [
        _Row(number, cells, columns, table.headers)
        for number, cells in enumerate(table.rows, start=FIRST_ROW)
    ]
    planner = _Planner(
        directory_load(
            phones=[row.values["phone"] for row in rows if "phone" in row.values],
            emails=[row.values["email"] for row in rows if "email" in row.values],
        )
    )
    for row in rows:
        planner.add(row)
    return planner.plan
