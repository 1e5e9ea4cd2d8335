"""Pages of long lists whose count stops at a cap.

An exact COUNT(*) of a broad filter reads every matching row: at a million customers (ten
million timeline events) that takes longer than the page itself. Counting only up to a cap
(`SELECT COUNT(*) FROM (... LIMIT cap + 1)`) stops after cap + 1 rows, and the page shows
"more than" the cap.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 1_000

Row = TypeVar("Row")


def capped_count_sql(rows: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[str, tuple[Any, ...]]:
    """The SQL (and its parameters) counting `rows` up to cap + 1, for one query of several
    counts; the rows' order is dropped (it costs a sort and changes no count)."""
    sql, params = rows.order_by().values("pk")[: cap + 1].query.sql_with_params()
    return f"SELECT COUNT(*) FROM ({sql}) capped", tuple(params)  # noqa: S608 (Django's SQL)


def count_shown(count: int, cap: int = COUNT_CAP) -> str:
    """A count as the page shows it: `1,000+` past the cap."""
    return f"{cap:,}+" if count > cap else f"{count:,}"


class CappedPaginator(Paginator[Row]):
    """A Paginator over a query set that counts up to `cap` only (then "more than")."""

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int = COUNT_CAP):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return rows.order_by()[: self.cap + 1].count()

    @property
    def count_is_exact(self) -> bool:
        """False when there are more rows than were counted."""
        return self.count <= self.cap

    @property
    def count_shown(self) -> str:
        """The count as the page shows it: `1,000+` past the cap."""
        return count_shown(self.count, self.cap)

    def page(self, number: int | str) -> Page[Row]:
        """A whole page even at the cap (Paginator would cut the last one at the count)."""
        if self.count_is_exact:
            return super().page(number)
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], valid, self)
