"""The Settings page (Owners only, by crm.core.policy): the company's name, hours, messages,
review link and reminder lead times, stored over the environment's defaults. A plain form:
a save redirects back with a confirmation naming what changed; a refusal answers 422 with
every problem beside its field, having stored nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from crm.accounts.forms import CompanySettingsForm
from crm.accounts.selectors import company_settings_shown
from crm.core.htmx import HtmxHttpRequest, confirm
from crm.core.models import CompanySettings
from crm.core.services import company_settings_update
from crm.core.views import form_data, form_submitted

PAGE = "accounts/company_settings.html"


@require_http_methods(["GET", "POST"])
def company_settings_page(request: HtmxHttpRequest) -> HttpResponse:
    """The settings, grouped, each marked when it follows the environment."""
    shown = company_settings_shown()
    form = CompanySettingsForm(
        form_data(request), initial=shown.initial, instance=CompanySettings()
    )
    changed: list[str] = []

    def save(data: dict[str, Any]) -> None:
        changed.extend(company_settings_update(values=data))

    if form_submitted(request, form, save):
        text = "Settings saved: " + (", ".join(changed) if changed else "nothing changed")
        return confirm(request, redirect("company-settings"), text)
    groups = {
        title: [(form[name], shown.from_environment.get(name, "")) for name in names]
        for title, names in form.GROUPS.items()
    }
    context = {"form": form, "groups": groups, "shown": shown}
    return render(request, PAGE, context, status=422 if form.is_bound else 200)
