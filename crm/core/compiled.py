"""Querysets compiled to SQL once per process, for the few reads on every request's hot path.

Turning a queryset into SQL costs Django about 0.3 ms on the project's machine, usually more
than the database takes to answer a lookup by index: the customer fetch ran eight such
queries on every request, and compiling them was most of its time. A CompiledQuery builds its
queryset once (with a stand-in value), keeps the SQL and the way Django turns rows into model
instances (select_related included), and then only executes: same SQL, same instances.

It leans on the parts of Django's ModelIterable that build instances (the compiler's `select`
and `klass_info`, its converters, RelatedPopulator), stable for many releases but not public:
crm/core/tests/test_compiled.py compares its answers with the ORM's, so an upgrade that moves
them fails there first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

M = TypeVar("M", bound=Model)
# Stands in for the parameter while compiling; no id is negative.
STAND_IN = -918_273_645


@dataclass(frozen=True)
class _Plan:
    sql: str
    parameter_count: int
    model: type[Model]
    init_list: list[str]
    model_columns: slice
    converters: dict[int, tuple[list[Any], Any]]
    related_populators: list[Any]
    annotation_columns: dict[str, int]


class CompiledQuery(Generic[M]):
    """`build(value)` as a list, compiled once per database: `build` takes one integer (an id).

    The queryset may filter, join (select_related), annotate, order and slice; every place
    the value appears must be a plain parameter. No prefetch_related, values() or only().
    """

    def __init__(self, build: Callable[[int], QuerySet[M]]) -> None:
        self._build = build
        self._plans: dict[str, _Plan] = {}

    def __call__(self, value: int, *, using: str = DEFAULT_DB_ALIAS) -> list[M]:
        plan = self._plans.get(using) or self._compile(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, [value] * plan.parameter_count)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            values = self._converted(list(row), plan, connection)
            instance = plan.model.from_db(using, plan.init_list, values[plan.model_columns])
            for populator in plan.related_populators:
                populator.populate(values, instance)
            for name, column in plan.annotation_columns.items():
                setattr(instance, name, values[column])
            found.append(instance)
        return found  # type: ignore[return-value]

    @staticmethod
    def _converted(values: list[Any], plan: _Plan, connection: Any) -> list[Any]:
        """What the compiler's apply_converters does, with this thread's connection."""
        for column, (converters, expression) in plan.converters.items():
            value = values[column]
            for converter in converters:
                value = converter(value, expression, connection)
            values[column] = value
        return values

    def _compile(self, using: str) -> _Plan:
        queryset = self._build(STAND_IN)
        prefetching = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
        if prefetching or queryset._iterable_class is not ModelIterable:
            raise ValueError("CompiledQuery takes model querysets without prefetch_related.")
        if queryset.query.deferred_loading != (frozenset(), True):
            raise ValueError("CompiledQuery takes querysets that load every field.")
        compiler = queryset.query.get_compiler(using=using)
        sql, parameters = compiler.as_sql()
        if not parameters or any(parameter != STAND_IN for parameter in parameters):
            raise ValueError(f"Every parameter must be the value; got {parameters!r}.")
        klass_info = compiler.klass_info
        columns = klass_info["select_fields"]
        model_columns = slice(columns[0], columns[-1] + 1)
        plan = _Plan(
            sql=sql,
            parameter_count=len(parameters),
            model=klass_info["model"],
            init_list=[column[0].target.attname for column in compiler.select[model_columns]],
            model_columns=model_columns,
            converters=compiler.get_converters(
                [column[0] for column in compiler.select[: compiler.col_count]]
            ),
            # Django 5.2's signature; the stubs already know 6.0's (with fetch_mode).
            related_populators=get_related_populators(  # type: ignore[call-arg]
                klass_info, compiler.select, using
            ),
            annotation_columns=dict(compiler.annotation_col_map),
        )
        self._plans[using] = plan
        return plan
