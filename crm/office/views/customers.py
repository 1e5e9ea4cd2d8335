"""The customer list: search across every customer; htmx swaps only the results."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.customers.selectors import customer_page


def customer_list(request: HtmxHttpRequest) -> HttpResponse:
    """Customers with search; htmx swaps only the results."""
    search = request.GET.get("q", "")
    page = customer_page(search=search, page=request.GET.get("page", "1"))
    template = page_or_partial(request, "office/customer_list.html", "results")
    return render(request, template, {"page": page, "search": search})
