"""Recording changes that send no model signals: bulk inserts and QuerySet/bulk updates."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.cid import get_cid
from auditlog.diff import get_field_value, is_primitive
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from crm.audit.context import Actor, actor_now
from crm.audit.models import AuditEntry
from crm.audit.registry import audited_fields, customer_id_of

BATCH = 1000
ERASED = "(erased)"


@dataclass(frozen=True)
class _Batch:
    """What every entry of one bulk write shares: read once, not once per row."""

    actor: Actor
    cid: str | None
    at: dt.datetime

    @classmethod
    def now(cls) -> _Batch:
        return cls(actor_now(), get_cid(), timezone.now())

    def entry(self, instance: models.Model, action: int, changes: dict[str, Any]) -> AuditEntry:
        return AuditEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
            object_id=instance.pk if isinstance(instance.pk, int) else None,
            # Not str(instance): some read related rows, one query per row of a bulk write.
            object_repr=f"{str(instance._meta.verbose_name).capitalize()} #{instance.pk}",
            action=action,
            changes=changes,
            customer_id=customer_id_of(instance),
            actor_id=self.actor.user_id,
            actor_email=self.actor.name,
            source=self.actor.source,
            cid=self.cid,
            timestamp=self.at,
        )


def _value(instance: models.Model | None, field: models.Field[Any, Any]) -> Any:
    """A field's value as auditlog's signal path stores it (JSON; links as ids)."""
    if instance is None:
        return None
    value = get_field_value(instance, field, use_json_for_changes=True)
    return value if is_primitive(value) else smart_str(value)


def _changes(
    old: models.Model | None, new: models.Model, fields: Sequence[models.Field[Any, Any]]
) -> dict[str, Any]:
    changes = {}
    for field in fields:
        before, after = _value(old, field), _value(new, field)
        if before != after:
            changes[field.name] = [before, after]
    return changes


def _fields(model: type[models.Model], names: Iterable[str]) -> list[models.Field[Any, Any]]:
    return [model._meta.get_field(name) for name in names]  # type: ignore[misc]


def audit_bulk_created(*, instances: Sequence[models.Model]) -> int:
    """Record the creation of rows inserted with bulk_create (they need their pks)."""
    batch, entries = _Batch.now(), []
    fields_of: dict[type[models.Model], list[models.Field[Any, Any]]] = {}
    for instance in instances:
        model = type(instance)
        if model not in fields_of:
            fields_of[model] = _fields(model, audited_fields(model))
        if fields_of[model]:
            changes = _changes(None, instance, fields_of[model])
            entries.append(batch.entry(instance, AuditEntry.Action.CREATE, changes))
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def audit_bulk_updated(
    *, before: Mapping[Any, models.Model], after: Sequence[models.Model], fields: Iterable[str]
) -> int:
    """Record the changes between `before` (by pk) and `after` of rows saved without signals,
    limited to the audited ones among `fields`; rows that did not change record nothing."""
    batch, entries = _Batch.now(), []
    fields_of: dict[type[models.Model], list[models.Field[Any, Any]]] = {}
    for instance in after:
        model, old = type(instance), before.get(instance.pk)
        if model not in fields_of:
            audited = set(audited_fields(model)) & set(fields)
            fields_of[model] = _fields(model, sorted(audited))
        changes = _changes(old, instance, fields_of[model]) if old is not None else {}
        if changes:
            entries.append(batch.entry(instance, AuditEntry.Action.UPDATE, changes))
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def audited_update(queryset: models.QuerySet[Any], **values: Any) -> int:
    """QuerySet.update() that records the audited fields' old and new values of every row it
    changes (update() sends no signals). Rows of a model that is not audited cost nothing."""
    audited = set(audited_fields(queryset.model)) & set(values)
    if not audited:
        return queryset.update(**values)
    columns = {name: queryset.model._meta.get_field(name).attname for name in audited}
    before = {
        row.pk: row for row in queryset.only("pk", *columns.values(), *_customer_column(queryset))
    }
    count = queryset.update(**values)
    after = []
    for row in before.values():
        changed = copy.copy(row)
        for name, column in columns.items():
            value = values[name]
            setattr(changed, column, value.pk if isinstance(value, models.Model) else value)
        after.append(changed)
    audit_bulk_updated(before=before, after=after, fields=audited)
    return count


def _customer_column(queryset: models.QuerySet[Any]) -> list[str]:
    fields = {field.attname for field in queryset.model._meta.concrete_fields}
    return ["customer_id"] if "customer_id" in fields else []


def audit_entries_move(*, from_customer_id: int, to_customer_id: int) -> int:
    """A merged customer's history becomes the kept one's (the merge deletes the first)."""
    moved: int = AuditEntry.objects.filter(customer_id=from_customer_id).update(
        customer_id=to_customer_id
    )
    return moved


def audit_entries_erase(*, customer_id: int, fields: Mapping[str, Iterable[str]]) -> int:
    """Erase personal values from a customer's recorded changes (anonymising): per model
    label, the named fields' old and new values become "(erased)"; every entry's description
    becomes its kind and id. Who, when, which field and the other values stay."""
    erased_fields = {label: set(names) for label, names in fields.items()}
    entries = list(
        AuditEntry.objects.filter(customer_id=customer_id).select_related("content_type")
    )
    for entry in entries:
        model = entry.content_type.model_class()
        label = model._meta.label if model is not None else ""
        personal = erased_fields.get(label, set())
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        entry.changes = {
            name: ([ERASED, ERASED] if name in personal else values)
            for name, values in changes.items()
        }
        entry.changes_text = ""
        entry.serialized_data = None
        entry.object_repr = f"{label} #{entry.object_pk}"
    AuditEntry.objects.bulk_update(
        entries, ["changes", "changes_text", "serialized_data", "object_repr"], BATCH
    )
    return len(entries)
