"""The customer list: combinable filters kept in the URL, sortable columns, a streamed CSV
export of exactly the filtered rows; htmx swaps only the results."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET
from pydantic import ValidationError

from crm.core.choices import ApplianceType
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.money import Classification
from crm.core.pagination import COUNT_CAP
from crm.customers.models import MessageChannel
from crm.customers.schemas import CustomerListQuery
from crm.customers.selectors import (
    EXPORT_COLUMNS,
    customer_export_rows,
    customer_page,
)
from crm.technicians.selectors import technician_list

TEMPLATE = "office/customer_list.html"
# The sortable columns: (sort key, heading).
COLUMNS = [("name", "Name"), ("lastContact", "Last contact"), ("netProfit", "Net profit"),
           ("customerSince", "Customer since")]  # fmt: skip
LABELS = {
    "search": "Search", "profitability": "Profitability",
    "maintenanceOverdue": "Maintenance overdue",
    "applianceType": "Appliance type", "technicianId": "Preferred technician",
    "noContactDays": "No contact for (days)", "marketingChannel": "Marketing opt-in",
    "openReminder": "Open reminder", "sort": "Sort", "page": "Page",
}  # fmt: skip


def _query(params: QueryDict) -> tuple[CustomerListQuery, list[str]]:
    """The filters from the URL (empty fields mean "any"), or the default and what was wrong."""
    given = {name: value for name, value in params.items() if str(value).strip()}
    try:
        return CustomerListQuery.model_validate(given), []
    except ValidationError as error:
        problems = [
            f"{LABELS.get(str(item['loc'][0]), str(item['loc'][0]))}: {item['msg']}."
            for item in error.errors()
        ]
        return CustomerListQuery(), problems


def _links(query: CustomerListQuery) -> dict[str, Any]:
    """Query strings that keep the filters: this sort (pager, export) and each column's sort."""
    kept = query.model_dump(by_alias=True, exclude={"page", "sort"}, exclude_defaults=True)
    filters = QueryDict(mutable=True)
    filters.update({name: "true" if value is True else value for name, value in kept.items()})

    def with_sort(sort: str) -> str:
        chosen = filters.copy()
        chosen["sort"] = sort
        return chosen.urlencode()

    current, descending = query.sort.removeprefix("-"), query.sort.startswith("-")
    headings = [
        {
            "label": label,
            "query": with_sort(f"-{key}" if query.sort == key else key),
            "state": ("descending" if descending else "ascending") if key == current else "",
        }
        for key, label in COLUMNS
    ]
    return {"list_query": with_sort(query.sort), "headings": headings}


@require_GET
def customer_list(request: HtmxHttpRequest) -> HttpResponse:
    """Customers by the filters in the URL; a bad value is named above an empty list (422)."""
    query, problems = _query(request.GET)
    page = None if problems else customer_page(filters=query.filters(), page=query.page)
    context = {
        "query": query, "page": page, "problems": problems, **_links(query),
        "profitability_choices": Classification.PLAN_VALUES, "count_cap": f"{COUNT_CAP:,}",
        "appliance_types": ApplianceType.choices, "channels": MessageChannel.choices,
        "technicians": [] if request.htmx else technician_list(),
    }  # fmt: skip
    template = page_or_partial(request, TEMPLATE, "results")
    return render(request, template, context, status=422 if problems else 200)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer over a generator."""

    def write(self, value: str) -> str:
        return value


def _csv_safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula is kept as text; phone numbers stay as is."""
    if cell[:1] in ("=", "@", "\t", "\r") or (
        cell[:1] in ("+", "-") and not cell[1:].replace(".", "").isdigit()
    ):
        return "'" + cell
    return cell


def _csv_lines(rows: Iterator[tuple[str, ...]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        yield writer.writerow([_csv_safe(cell) for cell in row])


@require_GET
def customer_export(request: HtmxHttpRequest) -> HttpResponseBase:
    """Exactly the filtered rows as CSV, streamed as they are read (any number of customers)."""
    query, problems = _query(request.GET)
    if problems:
        return customer_list(request)
    response = StreamingHttpResponse(
        _csv_lines(customer_export_rows(filters=query.filters())), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="customers.csv"'
    return response
