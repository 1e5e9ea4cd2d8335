"""Form helpers shared by the HTML pages: date and date-time inputs, and domain refusals next to
their field."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django import forms

from crm.core.errors import ApplicationError


class DateInput(forms.DateInput):
    """The browser's date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the value travels as YYYY-MM-DDTHH:MM."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def snake_case(name: str) -> str:
    """`lastServiceDate.0` (a service's field name) -> `last_service_date` (a form's)."""
    head = name.split(".", 1)[0]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", head).lower()


def form_add_domain_error(
    form: forms.BaseForm, error: ApplicationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal next to the form field it names, else above the form.

    `fields` maps a service's field name to the form's when they differ (`jobId` -> `job`).
    """
    service_field = error.field or ""
    name = (fields or {}).get(service_field) or snake_case(service_field)
    form.add_error(name if name in form.fields else None, error.message)
