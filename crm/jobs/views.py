"""Jobs on the Customer View: more jobs, one job's card, its payments and expenses (modal).
Editing the job itself is crm/office/views/jobs.py (completing a job is a workflow above jobs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from crm.core.htmx import HtmxHttpRequest
from crm.core.money import money_text
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
    page_number,
)
from crm.customers.selectors import customer_get
from crm.jobs.forms import ExpenseForm, PaymentForm
from crm.jobs.models import Job
from crm.jobs.selectors import (
    expense_of_customer,
    job_of_customer,
    job_page,
    payment_of_customer,
)
from crm.jobs.services import (
    expense_create,
    expense_update,
    payment_create,
    payment_update,
)

CARDS = "jobs/cards.html"
# Besides the job's own card: the Client Value Snapshot follows money and labour; a job's
# status and visit show in the Activity timeline, its completion in the appliance's service date.
MONEY_EVENTS = ("money-changed",)
JOB_EVENTS = ("money-changed", "activity-changed", "appliances-changed")


@not_found_as_404
@require_GET
def job_list_more(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """The next page of jobs, appended under the ones already shown."""
    customer = customer_get(customer_id=customer_id)
    page = page_number(request.GET)
    if not request.htmx:
        return redirect(f"{customer_url(customer.pk)}?jobs_page={page}#jobs")
    jobs = job_page(customer_id=customer.pk, page=page)
    return render(request, f"{CARDS}#job_items", {"customer": customer, "jobs": jobs})


@not_found_as_404
@require_GET
def job_card(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """One job's card, as it reloads itself after its review, payments or expenses change."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    if not request.htmx:
        return redirect(customer_url(customer_id, f"job-{job.pk}"))
    response = render(request, f"{CARDS}#job", {"customer": job.customer, "job": job})
    patch_vary_headers(response, ["HX-Request"])
    return response


def job_form_answer(
    request: HtmxHttpRequest, job: Job, form: forms.Form, *,
    save: Callable[[dict[str, Any]], object], title: str, submit: str,
    events: tuple[str, ...] = MONEY_EVENTS, fields: dict[str, str] | None = None,
    said: Callable[[dict[str, Any]], str] = lambda _: "",
) -> HttpResponse:  # fmt: skip
    """The shared flow of the job card's forms (also the Edit job modal's, in crm.office): save,
    then the job card and the cards named by `events` reload; the confirmation is `said`."""
    back = customer_url(job.customer_id, f"job-{job.pk}")
    if form_submitted(request, form, save, fields=fields):
        return form_saved(
            request, events=[f"job-{job.pk}-changed", *events], redirect_to=back,
            said=said(form.cleaned_data),
        )  # fmt: skip
    context = {"customer": job.customer, "job": job, "form": form, "title": title,
               "submit_label": submit, "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, f"{CARDS}#job_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def payment_add(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """Record a payment (with its method) for the job."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    form = PaymentForm(form_data(request))
    return job_form_answer(
        request, job, form, title="Add payment", submit="Add payment",
        said=lambda data: f"Payment of {money_text(data['amount'])} added",
        save=lambda data: payment_create(customer_id=customer_id, job_id=job.pk, **data),
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def payment_edit(
    request: HtmxHttpRequest, customer_id: int, job_id: int, payment_id: int
) -> HttpResponse:
    """Change one of the job's payments."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    payment = payment_of_customer(customer_id=customer_id, payment_id=payment_id)
    if payment.job_id != job.pk:
        raise Http404("Payment not found.")
    form = PaymentForm(form_data(request), initial=PaymentForm.initial_of(payment))
    return job_form_answer(
        request, job, form, title="Edit payment", submit="Save payment",
        said=lambda data: f"Payment of {money_text(data['amount'])} saved",
        save=lambda data: payment_update(payment_id=payment.pk, fields=data),
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def expense_add(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """Record an expense of the job."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    form = ExpenseForm(form_data(request))
    return job_form_answer(
        request, job, form, title="Add expense", submit="Add expense",
        said=lambda data: f"Expense of {money_text(data['amount'])} added",
        save=lambda data: expense_create(customer_id=customer_id, job_id=job.pk, **data),
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def expense_edit(
    request: HtmxHttpRequest, customer_id: int, job_id: int, expense_id: int
) -> HttpResponse:
    """Change one of the job's expenses."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    expense = expense_of_customer(customer_id=customer_id, expense_id=expense_id)
    if expense.job_id != job.pk:
        raise Http404("Expense not found.")
    form = ExpenseForm(form_data(request), initial=ExpenseForm.initial_of(expense))
    return job_form_answer(
        request, job, form, title="Edit expense", submit="Save expense",
        said=lambda data: f"Expense of {money_text(data['amount'])} saved",
        save=lambda data: expense_update(expense_id=expense.pk, fields=data),
    )  # fmt: skip
