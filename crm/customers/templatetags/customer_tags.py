"""Template filters of customers: phone numbers as people read them."""

from __future__ import annotations

from django import template

from crm.core.phones import phone_display

register = template.Library()


@register.filter(name="phone")
def phone(e164: str) -> str:
    """'+13055550142' -> '(305) 555-0142'; a foreign number in international form."""
    return phone_display(e164 or "")
