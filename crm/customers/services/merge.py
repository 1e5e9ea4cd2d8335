"""Merging two records of one customer: every row pointing at one moves to the other.

The rows are found through Customer._meta.related_objects, never by importing other apps, so
a model added later is merged too. Where moving a row would break a unique constraint (one
consent per channel, one decision per suggestion, a customer referred at most once) the kept
customer's row wins, except consents, which keep the stricter answer: an opt-out wins and
marketing stays welcome only if both records said so. Rows linking the two customers to each
other (a referral between them) are removed: after the merge they would link one to itself.
Service locations are never removed (appliances and jobs point at them): one whose label the
kept customer already uses is renamed, "Home" becoming "Home (2)".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Q

from crm.audit.services import audit_entries_move, audited_update
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.core.money import profit_margin_floor
from crm.customers.models import ContactConsent, Customer, ServiceLocation

# The customer's own fields that the kept record takes from the merged one when it has none.
FILLED_WHEN_BLANK = ("email", "phone", "address", "referred_by_id", "preferred_technician_id")


@dataclass(frozen=True)
class RelationPlan:
    """One relation to Customer: its rows on the merged customer, and which are removed."""

    label: str
    relation: models.ForeignObjectRel
    total: int
    dropped_ids: frozenset[Any]

    @property
    def moved(self) -> int:
        return self.total - len(self.dropped_ids)


@dataclass(frozen=True)
class MergeSummary:
    """What a merge moves into the kept customer and what it removes, per kind of row."""

    kept: Customer
    merged: Customer
    moved: dict[str, int]
    dropped: dict[str, int]
    moved_words: list[str]  # "2 jobs", "1 payment": for the confirmation page
    dropped_words: list[str]


def customer_relations() -> list[models.ForeignObjectRel]:
    """Every foreign key and one-to-one to Customer, in every installed app."""
    return [
        relation
        for relation in Customer._meta.related_objects
        if relation.one_to_many or relation.one_to_one
    ]


def relation_label(relation: models.ForeignObjectRel, *, count: int = 2) -> str:
    """The relation in words: 'jobs', '1 job' style (singular for one), which link if several."""
    model = relation.related_model
    plural = str(model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural)
    to_customer = [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Customer
    ]
    if len(to_customer) > 1 or model is Customer:
        return f"{plural} ({relation.field.verbose_name})"
    return plural


def _unique_sets(model: type[models.Model], field: str) -> Iterator[tuple[list[str], Q]]:
    """The other fields that, with `field`, must be unique (and the rows the rule covers)."""
    concrete = model._meta.get_field(field)
    if isinstance(concrete, models.Field) and concrete.unique:
        yield [], Q()
    for together in model._meta.unique_together:
        if field in together:
            yield [name for name in together if name != field], Q()
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field in constraint.fields:
            others = [name for name in constraint.fields if name != field]
            yield others, constraint.condition or Q()


def _links_to(model: type[models.Model], field: str, customer_id: int) -> Q:
    """Rows whose other customer field(s) point at `customer_id` (a link between the two)."""
    link = Q(pk__in=[])
    for other in model._meta.concrete_fields:
        if other.is_relation and other.related_model is Customer and other.name != field:
            link |= Q(**{other.name: customer_id})
    return link


def _colliding_ids(relation: models.ForeignObjectRel, merged: int, kept: int) -> set[Any]:
    """The merged customer's rows that would break a unique rule, or link the two customers."""
    model, field = relation.related_model, relation.field.name
    manager = model._base_manager
    if model is ServiceLocation:
        return set()  # renamed, never removed (_locations_relabel)
    ids = set(
        manager.filter(_links_to(model, field, kept), **{field: merged}).values_list(
            "pk", flat=True
        )
    )
    for others, condition in _unique_sets(model, field):
        # The kept customer's rows linking the two go too, so they take no place.
        theirs = manager.filter(condition, **{field: kept}).exclude(_links_to(model, field, merged))
        taken = {tuple(row) for row in theirs.values_list(*others)} if others else {()}
        if not theirs.exists():
            continue
        for *values, pk in manager.filter(condition, **{field: merged}).values_list(*others, "pk"):
            if tuple(values) in taken and None not in values:
                ids.add(pk)
    return ids


def _plan(merged: int, kept: int) -> list[RelationPlan]:
    plans = []
    for relation in customer_relations():
        rows = relation.related_model._base_manager.filter(**{relation.field.name: merged})
        if relation.related_model is Customer:
            # The kept customer, referred by the merged one, would be referred by itself.
            rows = rows.exclude(pk=kept)
        total = rows.count()
        dropped = _colliding_ids(relation, merged, kept) if total else set()
        plans.append(RelationPlan(relation_label(relation), relation, total, frozenset(dropped)))
    return plans


@dataclass(frozen=True)
class Link:
    """A nullable link from one of the merged customer's rows to another of its rows."""

    model: type[models.Model]
    field: models.Field[Any, Any]
    targets: dict[Any, Any]  # row pk -> linked row pk


def _links_within(merged: int) -> list[Link]:
    """Links between the merged customer's own rows (a payment's job), read before the move.

    The database guards some of them across tables (a job with payments keeps its customer,
    a payment names its job's customer), so they are lifted while the rows move and put back.
    """
    relations = customer_relations()
    moving = {relation.related_model for relation in relations} - {Customer}
    links, seen = [], set()
    for relation in relations:
        model = relation.related_model
        for field in model._meta.concrete_fields:
            if not (field.null and field.is_relation and field.related_model in moving):
                continue
            if (model, field.name) in seen:
                continue
            seen.add((model, field.name))
            rows = model._base_manager.filter(
                **{relation.field.name: merged, f"{field.name}__isnull": False}
            ).values_list("pk", field.attname)
            if targets := dict(rows):
                links.append(Link(model, field, targets))
    return links


def _customers(customer_id: int, into_id: int, *, lock: bool) -> tuple[Customer, Customer]:
    if customer_id == into_id:
        raise ValidationFailed("A customer cannot be merged into themself.", field="intoId")
    both = Customer.objects.filter(pk__in=[customer_id, into_id])
    found = {customer.pk: customer for customer in (both.select_for_update() if lock else both)}
    if customer_id not in found:
        raise NotFound("Customer not found.")
    if into_id not in found:
        raise ValidationFailed("No customer with that id to merge into.", field="intoId")
    return found[customer_id], found[into_id]


def _summary(merged: Customer, kept: Customer, plans: list[RelationPlan]) -> MergeSummary:
    moved = {plan: plan.moved for plan in plans if plan.moved}
    dropped = {plan: len(plan.dropped_ids) for plan in plans if plan.dropped_ids}
    return MergeSummary(
        kept=kept, merged=merged,
        moved={plan.label: count for plan, count in moved.items()},
        dropped={plan.label: count for plan, count in dropped.items()},
        moved_words=[f"{n} {relation_label(p.relation, count=n)}" for p, n in moved.items()],
        dropped_words=[f"{n} {relation_label(p.relation, count=n)}" for p, n in dropped.items()],
    )  # fmt: skip


def customer_merge_preview(*, customer_id: int, into_id: int) -> MergeSummary:
    """What customer_merge would move and remove, changing nothing (for the confirmation)."""
    merged, kept = _customers(customer_id, into_id, lock=False)
    return _summary(merged, kept, _plan(merged.pk, kept.pk))


def _consents_keep_stricter(merged: Customer, kept: Customer) -> None:
    """Where both records have a channel's consent, the kept row takes the stricter answer."""
    theirs = {consent.channel: consent for consent in ContactConsent.objects.filter(customer=kept)}
    for consent in ContactConsent.objects.filter(customer=merged, channel__in=list(theirs)):
        kept_consent = theirs[consent.channel]
        kept_consent.marketing_opt_in = kept_consent.marketing_opt_in and consent.marketing_opt_in
        opt_outs = [at for at in (kept_consent.opted_out_at, consent.opted_out_at) if at]
        kept_consent.opted_out_at = min(opt_outs, default=None)
        kept_consent.save()


def _locations_relabel(merged: Customer, kept: Customer) -> None:
    """The merged customer's locations whose label the kept one uses get the first free
    "Label (n)", so both stay with their appliances and jobs."""
    theirs = set(ServiceLocation.objects.filter(customer=kept).values_list("label", flat=True))
    mine = ServiceLocation.objects.filter(customer=merged)
    taken = theirs | set(mine.values_list("label", flat=True))
    for location in mine.filter(label__in=theirs):
        number = 2
        while (label := f"{location.label[:90]} ({number})") in taken:
            number += 1
        taken.add(label)
        location.label = label
        location.save(update_fields=["label", "updated_at"])


def _fill_blanks(merged: Customer, kept: Customer) -> None:
    for name in FILLED_WHEN_BLANK:
        value = getattr(merged, name)
        if not getattr(kept, name) and value:
            setattr(kept, name, value)
    if kept.referred_by_id == kept.pk:  # the merged customer was referred by the kept one
        kept.referred_by_id = None
    kept.save()


def _rows_move(merged: int, kept: int, plans: list[RelationPlan]) -> None:
    """Every row of the merged customer to the kept one, links between its rows lifted."""
    links = _links_within(merged)
    for link in links:
        link.model._base_manager.filter(pk__in=link.targets).update(**{link.field.name: None})
    for plan in plans:
        manager = plan.relation.related_model._base_manager
        name = plan.relation.field.name
        manager.filter(pk__in=plan.dropped_ids).delete()
        audited_update(manager.filter(**{name: merged}), **{name: kept})
    gone = {(plan.relation.related_model, pk) for plan in plans for pk in plan.dropped_ids}
    for link in links:
        rows = [
            link.model(pk=pk, **{link.field.attname: to})
            for pk, to in link.targets.items()
            if (link.field.related_model, to) not in gone
        ]
        link.model._base_manager.bulk_update(rows, [link.field.name])


def _summaries_combine(merged: Customer, kept: Customer) -> None:
    """The kept record's list summaries (docs/adr/0006) now cover both records' rows: money
    adds up (every payment and expense moves), the last contact is the later, the next
    service day the earlier."""
    kept.revenue_total += merged.revenue_total
    kept.expenses_total += merged.expenses_total
    kept.net_profit += merged.net_profit
    kept.profit_margin = profit_margin_floor(revenue=kept.revenue_total, net_profit=kept.net_profit)
    contacts = [at for at in (kept.last_contact_at, merged.last_contact_at) if at]
    kept.last_contact_at = max(contacts, default=None)
    service_days = [day for day in (kept.next_service_due, merged.next_service_due) if day]
    kept.next_service_due = min(service_days, default=None)


@transaction.atomic
def customer_merge(*, customer_id: int, into_id: int) -> MergeSummary:
    """Move every row of customer `customer_id` to `into_id`, then delete the first.

    One transaction: all of it happens or none. The kept customer keeps its own details and
    takes the merged one's email, phone, address, referrer and preferred technician only
    where it has none.
    """
    merged, kept = _customers(customer_id, into_id, lock=True)
    plans = _plan(merged.pk, kept.pk)
    _consents_keep_stricter(merged, kept)
    Customer.objects.filter(pk=kept.pk, referred_by=merged).update(referred_by=None)
    kept.refresh_from_db()
    _locations_relabel(merged, kept)
    try:
        with transaction.atomic():
            _rows_move(merged.pk, kept.pk, plans)
    except IntegrityError:
        # A rule the models' metadata does not show (a trigger); nothing has changed.
        raise Conflict(
            "These two customers cannot be merged: their records conflict.", field="intoId"
        ) from None
    _summaries_combine(merged, kept)
    _fill_blanks(merged, kept)
    Customer.objects.filter(pk=merged.pk).delete()
    audit_entries_move(from_customer_id=merged.pk, to_customer_id=kept.pk)
    return _summary(merged, kept, plans)
