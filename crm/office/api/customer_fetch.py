"""JSON endpoints of the office: the customer fetch, which composes six apps."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse

from crm.core.api import ApiRouter
from crm.core.policy import money_removed
from crm.core.roles import sees_money
from crm.core.schemas import PathId
from crm.customers.models import Customer
from crm.office.schemas import CustomerDetailOut
from crm.office.selectors.customer_fetch import customer_detail

# The customer fetch (its own router, so other office endpoints stay apart).
customer_fetch_router = ApiRouter(tags=["customers"])


# operation_id: the one it had in crm.customers.api, so generated clients keep their names.
@customer_fetch_router.get(
    "/customer/{customer_id}",
    response=CustomerDetailOut,
    operation_id="crm_customers_api_customer",
)
def customer(request: HttpRequest, customer_id: PathId) -> Customer | JsonResponse:
    """The whole customer for the Customer View, in a fixed number of queries.

    A Technician (only inside their window, checked at the door) gets it with every money key
    absent, not zeroed.
    """
    found = customer_detail(customer_id=customer_id)
    if sees_money(request.user):
        return found
    whole = CustomerDetailOut.from_orm(found).model_dump(mode="json", by_alias=True)
    return JsonResponse(money_removed(whole))
