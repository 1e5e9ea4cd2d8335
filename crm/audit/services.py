"""Recording changes that send no model signals: bulk inserts and QuerySet/bulk updates."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from crm.audit.context import actor_now
from crm.audit.models import AuditEntry
from crm.audit.registry import audited_fields, customer_id_of

BATCH = 1000


def _entry(instance: models.Model, action: int, changes: dict[str, Any]) -> AuditEntry:
    actor = actor_now()
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        # Not str(instance): some read related rows, one query per row of a bulk write.
        object_repr=f"{str(instance._meta.verbose_name).capitalize()} #{instance.pk}",
        action=action,
        changes=changes,
        customer_id=customer_id_of(instance),
        actor_id=actor.user_id,
        actor_email=actor.name,
        source=actor.source,
        cid=get_cid(),
        timestamp=timezone.now(),
    )


def _changes(old: models.Model | None, new: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    diff = model_instance_diff(old, new, fields_to_check=list(fields), use_json_for_changes=True)
    return {name: list(values) for name, values in (diff or {}).items()}


def audit_bulk_created(*, instances: Sequence[models.Model]) -> int:
    """Record the creation of rows inserted with bulk_create (they need their pks)."""
    entries = []
    for instance in instances:
        fields = audited_fields(type(instance))
        if fields:
            entries.append(
                _entry(instance, AuditEntry.Action.CREATE, _changes(None, instance, fields))
            )
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def audit_bulk_updated(
    *, before: Mapping[Any, models.Model], after: Sequence[models.Model], fields: Iterable[str]
) -> int:
    """Record the changes between `before` (by pk) and `after` of rows saved without signals,
    limited to the audited ones among `fields`; rows that did not change record nothing."""
    entries = []
    for instance in after:
        audited = set(audited_fields(type(instance))) & set(fields)
        old = before.get(instance.pk)
        if not audited or old is None:
            continue
        changes = _changes(old, instance, audited)
        if changes:
            entries.append(_entry(instance, AuditEntry.Action.UPDATE, changes))
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
