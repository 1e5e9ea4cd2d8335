"""The session's authentication backend: Django's, reading the user's role in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from crm.core.roles import ROLE_NAME, role_name_subquery


class RoleModelBackend(ModelBackend):
    """ModelBackend whose user comes with its role: no extra query per request for the policy."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        annotated = user_model._default_manager.annotate(**{ROLE_NAME: role_name_subquery("pk")})
        user = annotated.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
