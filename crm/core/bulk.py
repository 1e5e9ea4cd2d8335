"""Setting a few columns on many rows at once, each row to its own values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.db import connections, models


def model_columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    """The model's concrete fields called `names` (a foreign key by its field name)."""
    return [cast(models.Field[Any, Any], model._meta.get_field(name)) for name in names]


def rows_set(
    model: type[models.Model], *, fields: Sequence[str], rows: Iterable[tuple[Any, Sequence[Any]]]
) -> int:
    """For each (pk, values) set `fields` to `values` with one prepared UPDATE run for them all.

    Django's bulk_update builds a CASE expression per row and field in Python (about 1 ms a
    row measured here); executemany of one statement costs a small fraction of that. Values
    go through each field's own preparation, so dates, decimals and None are stored as a save
    would store them (a foreign key takes the id). Returns the number of rows given.
    """
    columns = model_columns(model, fields)
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(column.column))} = %s" for column in columns)
    pk_column = str(model._meta.pk.column)  # type: ignore[union-attr]
    # Table and column names come from the model and are quoted; values are parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk_column)} = %s"  # noqa: S608

    def prepare(pk: Any, values: Sequence[Any]) -> list[Any]:
        pairs = zip(columns, values, strict=True)
        return [*(column.get_db_prep_save(value, connection) for column, value in pairs), pk]

    prepared = [prepare(pk, values) for pk, values in rows]
    if prepared:
        with connection.cursor() as cursor:
            cursor.executemany(sql, prepared)
    return len(prepared)
