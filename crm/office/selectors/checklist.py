"""Today's first-run checklist: what a new company still has to set up. It reads two EXISTS
queries (technicians, customers); the channels come from the environment and the review link
from company(), so the page pays at most 2 queries for it, and none once it is hidden."""

from __future__ import annotations

from dataclasses import dataclass

from crm.core.company import company
from crm.customers.models import Customer
from crm.messaging.channels import channels_connected
from crm.technicians.models import Technician


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to set up; `key` names its row on the page (and in tests)."""

    key: str
    title: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    channels: dict[str, bool]  # "E-mail" -> whether it reaches customers

    @property
    def left(self) -> int:
        return sum(not item.done for item in self.items)


def first_run_checklist() -> Checklist | None:
    """The checklist while something on it is left to do; None once everything is done or an
    Owner hid it."""
    if company().checklist_hidden:
        return None
    channels = channels_connected()
    items = (
        ChecklistItem("technicians", "Add your technicians", Technician.objects.exists()),
        ChecklistItem("customers", "Import or add your customers", Customer.objects.exists()),
        ChecklistItem("channels", "Connect e-mail, WhatsApp or SMS", any(channels.values())),
        ChecklistItem("review-link", "Set your public review link", bool(company().review_link)),
    )
    if all(item.done for item in items):
        return None
    return Checklist(items, channels)
