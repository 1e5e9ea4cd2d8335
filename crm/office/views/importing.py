"""The CSV import page: upload, choose the columns, dry run, confirm (one URL, one template).

Each step posts back to the page with `step`; htmx swaps only the step's partial, a plain
browser gets the whole page. The file waits in storage between the steps (importing.keep).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from crm.core.errors import ApplicationError
from crm.core.forms import form_add_domain_error
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.views import signed_in
from crm.office.importing.apply import (
    ERRORS_LISTED,
    ImportColumns,
    customers_import,
    customers_import_check,
    customers_import_columns,
)
from crm.office.importing.forms import ImportMappingForm, ImportUploadForm, mapping_initial
from crm.office.importing.keep import upload_discard, upload_keep, upload_read
from crm.office.importing.reading import upload_bytes

TEMPLATE = "office/import.html"
ROWS_SHOWN = 100
Step = tuple[dict[str, Any], int]


def _user_id(request: HtmxHttpRequest) -> int:
    user = signed_in(request)
    return user.pk if user else 0


def _columns_context(token: str, columns: ImportColumns) -> dict[str, Any]:
    form = ImportMappingForm(
        initial={"token": token, **mapping_initial(columns.mapping)}, headers=columns.headers
    )
    return {"mapping_form": form, "token": token, "columns": columns}


def _upload(request: HtmxHttpRequest) -> Step:
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return {"upload_form": form}, 422
    try:
        data = upload_bytes(form.cleaned_data["file"])
        columns = customers_import_columns(data=data, preset=form.cleaned_data["preset"] or None)
    except ApplicationError as error:
        form_add_domain_error(form, error)
        return {"upload_form": form}, 422
    return _columns_context(upload_keep(data=data, user_id=_user_id(request)), columns), 200


def _posted_mapping(request: HtmxHttpRequest) -> tuple[str, dict[str, str], bytes]:
    form = ImportMappingForm(request.POST)
    if not form.is_valid():
        raise ApplicationError("The column choices were not understood; upload the file again.")
    token = form.cleaned_data["token"]
    return token, form.mapping(), upload_read(token=token, user_id=_user_id(request))


def _check(request: HtmxHttpRequest, refusal: str = "") -> Step:
    try:
        token, mapping, data = _posted_mapping(request)
    except ApplicationError as error:
        return {"upload_form": ImportUploadForm(), "refusal": error.message}, 422
    try:
        checked = customers_import_check(data=data, mapping=mapping)
    except ApplicationError as error:  # a column choice the file does not have
        context = _columns_context(token, customers_import_columns(data=data))
        return {**context, "refusal": error.message}, 422
    plan = checked.plan
    context = {
        **_columns_context(token, checked),
        "counts": plan.counts(),
        "rows": plan.results[:ROWS_SHOWN],
        "errors": plan.errors[:ERRORS_LISTED],
    }
    return {**context, "refusal": refusal}, 422 if refusal else 200


def _confirm(request: HtmxHttpRequest) -> Step:
    try:
        token, mapping, data = _posted_mapping(request)
        checked = customers_import(data=data, mapping=mapping, author=signed_in(request))
    except ApplicationError as error:
        return _check(request, refusal=error.message)
    upload_discard(token=token, user_id=_user_id(request))
    return {"done": checked.plan.counts()}, 200


STEPS: dict[str, Callable[[HtmxHttpRequest], Step]] = {
    "upload": _upload, "check": _check, "confirm": _confirm,
}  # fmt: skip


@require_http_methods(["GET", "POST"])
def customer_import(request: HtmxHttpRequest) -> HttpResponse:
    """Import customers from CSV: upload, choose columns, dry run, then confirm all or nothing."""
    context, status = {"upload_form": ImportUploadForm()}, 200
    if request.method == "POST":
        context, status = STEPS.get(request.POST.get("step", ""), _upload)(request)
    template = page_or_partial(request, TEMPLATE, "step")
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
