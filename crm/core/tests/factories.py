"""factory_boy factories for the core app."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from crm.core.roles import Role
from crm.core.services import user_role_set


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def role(self, create: bool, extracted: Role | str | None, **kwargs: object) -> None:
        """Office unless told: `UserFactory(role=Role.OWNER)`, or `role=""` for no role at all."""
        if create:
            chosen = Role.OFFICE if extracted is None else Role.parse(extracted or "")
            user_role_set(user=self, role=chosen)
