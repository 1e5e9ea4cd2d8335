"""Reading the audit trail: one customer's changes, newest first, across the audited models."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models

from crm.audit.context import SYSTEM
from crm.audit.models import AuditEntry

AUDIT_PAGE_SIZE = 20
ACTIONS = {
    AuditEntry.Action.CREATE: "Created",
    AuditEntry.Action.UPDATE: "Changed",
    AuditEntry.Action.DELETE: "Deleted",
}


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value (JSON as stored), and both as a person reads them."""

    field: str
    label: str
    old: Any
    new: Any
    old_text: str
    new_text: str


@dataclass(frozen=True)
class AuditRow:
    """One recorded change of one record: who, when, how it came in, and its fields."""

    id: int
    at: dt.datetime
    who: str
    via: str
    action: str
    model: str
    model_label: str
    object_id: str
    object_repr: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditRow]
    page: int
    has_next: bool


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _text(value: Any) -> str:
    if _empty(value):
        return "(empty)"
    if isinstance(value, list):
        return "; ".join(_item_text(item) for item in value)
    return str(value)


def _item_text(item: Any) -> str:
    """A contact window as "mon 09:00-12:00" (PostgreSQL's jsonb keeps no key order)."""
    if isinstance(item, dict) and {"day", "start", "end"} <= set(item):
        return f"{item['day']} {item['start']}-{item['end']}"
    return str(item)


def _related_labels(
    entries: list[AuditEntry],
) -> dict[tuple[type[models.Model], str], str]:
    """Names of the records that foreign-key values point at, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                wanted[field.related_model].update(v for v in values if v is not None)
    labels = {}
    for related, pks in wanted.items():
        for row in related._base_manager.filter(pk__in=pks):
            labels[(related, str(row.pk))] = str(row)
    return labels


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _shown(value: Any, related: Any, labels: dict[tuple[type[models.Model], str], str]) -> str:
    if related is not None and value is not None:
        return labels.get((related, str(value)), f"#{value} (deleted)")
    return _text(value)


def _row(entry: AuditEntry, labels: dict[tuple[type[models.Model], str], str]) -> AuditRow:
    model = entry.content_type.model_class()
    changes = []
    for name, (old, new) in (entry.changes or {}).items():
        if entry.action == AuditEntry.Action.CREATE and _empty(new):
            continue  # a new record's blank fields say nothing
        field = _field(model, name)
        related = field.related_model if field is not None and field.is_relation else None
        label = str(field.verbose_name) if field is not None else name
        changes.append(
            FieldChange(
                name,
                label.capitalize(),
                old,
                new,
                _shown(old, related, labels),
                _shown(new, related, labels),
            )
        )
    actor = entry.actor
    who = actor.get_username() if actor is not None else (entry.actor_email or SYSTEM)
    return AuditRow(
        id=entry.pk,
        at=entry.timestamp,
        who=who,
        via=entry.source,
        action=ACTIONS.get(entry.action, "Changed"),
        model=model.__name__ if model is not None else entry.content_type.model,
        model_label=str(model._meta.verbose_name).capitalize() if model else "",
        object_id=entry.object_pk,
        object_repr=entry.object_repr,
        changes=changes,
    )


def audit_page(*, customer_id: int, page: int = 1, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of a customer's changes, newest first; one extra row tells whether more exist
    (no COUNT). One query, plus one per kind of record that a changed link points at."""
    page = max(page, 1)
    start = (page - 1) * per_page
    entries = list(
        AuditEntry.objects.filter(customer_id=customer_id)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")[start : start + per_page + 1]
    )
    shown = entries[:per_page]
    labels = _related_labels(shown)
    return AuditPage([_row(e, labels) for e in shown], page, len(entries) > per_page)
