"""Anonymising a customer from the Customer View: a confirmation that says in words what is
erased and what is kept, then the erasure (Owners only, once roles are wired)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from crm.core.errors import ApplicationError, NotFound
from crm.core.htmx import HtmxHttpRequest
from crm.core.views import customer_url, signed_in
from crm.engagement.services.anonymise import customer_anonymise, customer_anonymise_preview


@require_http_methods(["GET", "POST"])
def customer_anonymise_confirm(request: HtmxHttpRequest, customer_id: int) -> HttpResponse:
    """What anonymising erases and keeps, in words; posting it erases and reopens the record."""
    try:
        summary = customer_anonymise_preview(customer_id=customer_id)
        if request.method == "POST":
            customer_anonymise(customer_id=customer_id, user=signed_in(request))
            return redirect(customer_url(customer_id))
    except NotFound as error:
        raise Http404(error.message) from error
    except ApplicationError as error:  # already anonymised (here or meanwhile)
        context = {"customer_id": customer_id, "refusal": error.message}
        return render(request, "office/customer_anonymise.html", context, status=error.status)
    context = {"summary": summary, "customer": summary.customer, "customer_id": customer_id}
    return render(request, "office/customer_anonymise.html", context)
