"""Template filters of customers: `|phone` is crm_tags' (one filter for every page), kept
here for the templates that load this library."""

from __future__ import annotations

from django import template

from crm.core.templatetags.crm_tags import phone

register = template.Library()
register.filter("phone", phone)
