"""The customer list page: filters kept in the URL, sorting, paging, refusals, query counts,
and the streamed CSV export of exactly the filtered rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.customers.models import Customer
from crm.customers.selectors import EXPORT_COLUMNS, CustomerFilters, customer_search
from crm.customers.tests.factories import CustomerFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# Session and user, technicians for the form, the count and the page of customers.
PAGE_QUERIES = 5
# Session and user, the count and the page (the form is not re-sent).
RESULTS_QUERIES = 4


def losing(name: str, **fields: object) -> Customer:
    return CustomerFactory(
        name=name, revenue_total=Decimal("10.00"), expenses_total=Decimal("30.00"),
        net_profit=Decimal("-20.00"), profit_margin=Decimal("-2"), **fields,
    )  # fmt: skip


def names_in(html: str, candidates: list[str]) -> list[str]:
    """The candidate names in the order the page shows them."""
    found = sorted((html.find(f">{name}</a>"), name) for name in candidates)
    return [name for position, name in found if position >= 0]


def test_two_filters_and_a_sort_from_the_url(staff_client):
    # given
    losing("Ana Lopez").appliances.create(type="Dryer", brand="LG")
    losing("Bea Lopez")
    losing("Cruz Lopez").appliances.create(type="Dryer", brand="GE")
    CustomerFactory(name="Dan Lopez").appliances.create(type="Dryer", brand="GE")
    everyone = ["Ana Lopez", "Bea Lopez", "Cruz Lopez", "Dan Lopez"]
    # when
    response = staff_client.get(
        "/customers/",
        {"profitability": "Loss-Making", "applianceType": "Dryer", "sort": "-name", "search": ""},
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert names_in(html, everyone) == ["Cruz Lopez", "Ana Lopez"]
    assert "2 customers" in html
    assert '<option value="Loss-Making" selected>' in html
    assert '<option value="Dryer" selected>' in html
    # the column links keep the filters and flip the current sort
    assert 'href="?profitability=Loss-Making&amp;applianceType=Dryer&amp;sort=name"' in html
    assert 'aria-sort="descending"' in html
    assert (
        "/customers/export.csv?profitability=Loss-Making&amp;applianceType=Dryer&amp;sort=-name"
        in html
    )


def test_htmx_gets_only_the_results(staff_client):
    # given
    CustomerFactory(name="Ana Lopez")
    # when
    response = staff_client.get("/customers/", {"search": "ana"}, **HTMX)
    # then
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert 'id="customer-filters"' not in html
    assert ">Ana Lopez</a>" in html


def test_the_pager_keeps_the_filters(staff_client):
    # given
    for number in range(27):
        CustomerFactory(name=f"Overdue {number:02d}", next_service_due=dt.date(2020, 1, 1))
    CustomerFactory(name="On time")
    # when
    first = staff_client.get("/customers/", {"maintenanceOverdue": "true"}).content.decode()
    second = staff_client.get(
        "/customers/", {"maintenanceOverdue": "true", "page": "2"}
    ).content.decode()
    # then
    assert "27 customers · page 1 of 2" in first
    assert 'href="?maintenanceOverdue=true&amp;sort=name&amp;page=2"' in first
    assert names_in(second, ["Overdue 25", "Overdue 26", "On time"]) == ["Overdue 25", "Overdue 26"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"profitability": "Rich"}, "Profitability: Input should be"),
        (
            {"noContactDays": "-3"},
            "No contact for (days): Input should be greater than or equal to 0.",
        ),
        ({"noContactDays": "soon"}, "No contact for (days): Input should be a valid integer"),
        ({"technicianId": "x"}, "Preferred technician: Input should be a valid integer"),
        ({"sort": "age"}, "Sort: Input should be"),
        ({"maintenanceOverdue": "maybe"}, "Maintenance overdue: Input should be a valid boolean"),
        ({"search": "x" * 101}, "Search: String should have at most 100 characters."),
        ({"search": "ana\x00"}, "Search: Value error, must not contain NUL characters."),
    ],
)
def test_a_bad_filter_value_is_named_never_a_500(staff_client, params, message):
    # given
    CustomerFactory(name="Ana Lopez")
    # when
    page = staff_client.get("/customers/", params)
    results = staff_client.get("/customers/", params, **HTMX)
    export = staff_client.get("/customers/export.csv", params)
    # then
    for response in (page, results, export):
        html = response.content.decode()
        assert response.status_code == 422
        assert "These filters could not be used" in html
        assert message in html
        assert ">Ana Lopez</a>" not in html


@pytest.mark.parametrize("count", [3, 60])
def test_query_counts_are_pinned(staff_client, django_assert_num_queries, count):
    # given
    tech = TechnicianFactory()
    for number in range(count):
        customer = losing(f"Customer {number:02d}", preferred_technician=tech)
        ApplianceFactory(customer=customer)
    staff_client.get("/customers/")  # the session is warm
    filters = {"profitability": "Loss-Making", "applianceType": "Refrigerator",
               "technicianId": str(tech.pk), "openReminder": "", "sort": "-netProfit"}  # fmt: skip
    # when / then
    with django_assert_num_queries(PAGE_QUERIES):
        assert staff_client.get("/customers/", filters).status_code == 200
    with django_assert_num_queries(RESULTS_QUERIES):
        assert staff_client.get("/customers/", filters, **HTMX).status_code == 200


def read_csv(response: StreamingHttpResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_streams_exactly_the_filtered_rows(staff_client):
    # given: more customers than one page, some filtered out
    for number in range(30):
        CustomerFactory(name=f"Kept {number:02d}", last_contact_at=None)
    CustomerFactory(name="Recent", last_contact_at=timezone.now())
    CustomerFactory(name="=HYPERLINK(1)", last_contact_at=None)
    params = {"noContactDays": "10", "sort": "-name"}
    # when
    response = staff_client.get("/customers/export.csv", params)
    # then
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="customers.csv"'
    chunks = iter(response.streaming_content)  # consumed as a generator, chunk by chunk
    assert next(chunks).decode().startswith("name,phone,email,address,")  # the header alone
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode())))
    expected = [f"Kept {number:02d}" for number in range(29, -1, -1)] + ["=HYPERLINK(1)"]
    listed = customer_search(filters=CustomerFilters(no_contact_days=10, sort="-name"))
    assert [c.name for c in listed] == expected
    assert [row[0] for row in rows] == [*expected[:-1], "'=HYPERLINK(1)"]  # kept as text
    assert [row[1] for row in rows] == [c.phone for c in listed]


def test_export_header_is_the_import_preset(staff_client):
    # when
    response = staff_client.get("/customers/export.csv")
    # then
    assert read_csv(response) == [list(EXPORT_COLUMNS)]
    assert list(EXPORT_COLUMNS[:12]) == [
        "name", "phone", "email", "address", "preferred_contact_method", "language_preference",
        "timezone", "referral_code", "customer_since", "last_contact", "net_profit",
        "profitability_class",
    ]  # fmt: skip


@pytest.mark.parametrize(("name", "label"), [("customer-create", "New customer"),
                                             ("customer-import", "Import")])  # fmt: skip
def test_new_and_import_buttons_show_once_their_pages_exist(staff_client, name, label):
    # given
    try:
        url = reverse(name)
    except NoReverseMatch:
        url = None
    # when
    html = staff_client.get("/customers/").content.decode()
    # then
    if url is None:
        assert f">{label}</a>" not in html
    else:
        assert f'href="{url}">{label}</a>' in html


def test_counts_stop_at_the_cap(staff_client, monkeypatch):
    # given: the cap lowered to 3, and five matches
    monkeypatch.setattr("crm.customers.selectors.COUNT_CAP", 3)
    monkeypatch.setattr("crm.office.views.customers.COUNT_CAP", 3)
    for number in range(5):
        CustomerFactory(name=f"Many {number}")
    # when
    many = staff_client.get("/customers/", {"search": "many"}).content.decode()
    few = staff_client.get("/customers/", {"search": "many 1"}).content.decode()
    api = staff_client.get("/api/customers", {"search": "many"}).json()
    # then
    assert "More than 3 customers" in many
    assert "1 customer</p>" in few.replace(" · ", "")
    assert (api["total"], api["totalIsExact"], len(api["items"])) == (4, False, 5)
