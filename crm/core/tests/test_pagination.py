"""CappedPaginator and capped_count_sql count up to the cap, then say "more than"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from crm.core.pagination import CappedPaginator, capped_count_sql, count_shown
from crm.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def users(count: int) -> None:
    for _ in range(count):
        UserFactory()


@pytest.mark.parametrize(
    ("rows", "count", "exact", "shown"),
    [(3, 3, True, "3"), (4, 4, True, "4"), (5, 5, False, "4+"), (9, 5, False, "4+")],
)
def test_the_count_stops_one_past_the_cap(rows, count, exact, shown):
    # given
    users(rows)
    # when
    paginator = CappedPaginator[User](User.objects.order_by("id"), 2, cap=4)
    # then
    assert (paginator.count, paginator.count_is_exact, paginator.count_shown) == (
        count,
        exact,
        shown,
    )


def test_past_the_cap_the_last_counted_page_is_whole():
    # given: 9 rows, 5 counted (pages of 2: the third page is rows 5 and 6)
    users(9)
    ordered = User.objects.order_by("id")
    # when
    page = CappedPaginator[User](ordered, 2, cap=4).get_page(3)
    # then
    assert [user.pk for user in page] == [user.pk for user in ordered[4:6]]
    assert page.has_next() is False


def test_an_exact_count_pages_as_django_does():
    # given
    users(5)
    # when
    page = CappedPaginator[User](User.objects.order_by("id"), 2, cap=10).get_page(3)
    # then
    assert (len(page), page.paginator.num_pages, page.has_next()) == (1, 3, False)


@pytest.mark.parametrize(("rows", "count"), [(0, 0), (2, 2), (7, 4)])
def test_the_count_sql_counts_up_to_the_cap_plus_one(rows, count):
    # given
    users(rows)
    sql, params = capped_count_sql(User.objects.order_by("-id"), cap=3)
    # when
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()[0]
    # then
    assert found == count


def test_counts_are_shown_with_thousands_and_a_plus_past_the_cap():
    assert (count_shown(999), count_shown(1_000), count_shown(1_001)) == ("999", "1,000", "1,000+")
