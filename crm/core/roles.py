"""The three roles (Django groups) and small helpers every app may use to ask about them.

The policy (which role reaches which page and API operation) is crm.core.policy; assigning roles
is crm.accounts.services. Here only reads: what role a user has, which technician they are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Case, OuterRef, Subquery, When


class Role(StrEnum):
    """A role is a Django group of this name (created by crm.accounts' data migration)."""

    OWNER = "Owner"
    OFFICE = "Office"
    TECHNICIAN = "Technician"

    @property
    def label(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: str) -> Role | None:
        """A role from its name in any case ("owner", "Owner"); None when it is no role."""
        return next((role for role in cls if role.value.lower() == value.strip().lower()), None)


# When a user is somehow in several role groups, the widest one counts.
ROLE_ORDER = (Role.OWNER, Role.OFFICE, Role.TECHNICIAN)
_CACHE = "_crm_role"
# The annotation that brings the role with the user row (RoleModelBackend, ApiToken.matching).
ROLE_NAME = "crm_role_name"


def role_name_subquery(user_id: str) -> Subquery:
    """The widest role group name of the user `user_id` points at (OuterRef), or NULL."""
    rank = Case(*(When(name=r.value, then=i) for i, r in enumerate(ROLE_ORDER)))
    groups = Group.objects.filter(user=OuterRef(user_id), name__in=[r.value for r in Role])
    return Subquery(groups.annotate(rank=rank).order_by("rank").values("name")[:1])


def user_role(user: AbstractBaseUser | AnonymousUser | Any) -> Role | None:
    """The user's role: superusers are Owners; an inactive, anonymous or groupless user has none.

    Comes with the user row when it was read with `role_name_subquery` (the session's backend
    and API tokens do); otherwise read once per user object and kept on it.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return Role.OWNER
    if not hasattr(user, _CACHE) and hasattr(user, ROLE_NAME):
        setattr(user, _CACHE, Role.parse(getattr(user, ROLE_NAME) or ""))
    if not hasattr(user, _CACHE):
        groups = Group.objects.filter(user__pk=user.pk or 0, name__in=[r.value for r in Role])
        names = set(groups.values_list("name", flat=True))
        setattr(user, _CACHE, next((role for role in ROLE_ORDER if role.value in names), None))
    role: Role | None = getattr(user, _CACHE)
    return role


def user_role_forget(user: Any) -> None:
    """Drop the role read from this user object (after changing its groups)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def user_technician_id(user: Any) -> int | None:
    """The Technician record a Technician user is linked to (Technician.user), else None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        technician = user.technician  # the reverse side of Technician.user
    except (AttributeError, ObjectDoesNotExist):
        return None
    return int(technician.pk)


def sees_money(user: Any) -> bool:
    """Whether the user may see revenue, costs, profit, margins, payments and value insights."""
    return user_role(user) in (Role.OWNER, Role.OFFICE)


def role_context(request: Any) -> dict[str, Any]:
    """Templates get `role` (a Role or None) and `sees_money`, to show what the role may use."""
    user = getattr(request, "user", None)
    role = user_role(user)
    return {"role": role, "sees_money": role in (Role.OWNER, Role.OFFICE)}
