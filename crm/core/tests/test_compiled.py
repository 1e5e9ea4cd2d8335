"""CompiledQuery gives what the ORM gives for the same queryset, in one query, or refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crm.core.compiled import CompiledQuery
from crm.core.models import ApiToken
from crm.core.services import api_token_create
from crm.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(instance).items() if k != "_state"}


def test_rows_joined_rows_and_annotations_are_the_orms() -> None:
    # given
    permissions = CompiledQuery(
        lambda pk: (
            Permission.objects.select_related("content_type")
            .filter(content_type_id=pk)
            .annotate(codename_length=Length("codename"))
            .order_by("codename")
        )
    )
    content_type = ContentType.objects.get_for_model(ApiToken)
    expected = list(
        Permission.objects.select_related("content_type")
        .filter(content_type_id=content_type.pk)
        .annotate(codename_length=Length("codename"))
        .order_by("codename")
    )
    # when
    with CaptureQueriesContext(connection) as queries:
        found = permissions(content_type.pk)
        joined = [permission.content_type for permission in found]
    # then
    assert len(queries) == 1
    assert [_fields(p) for p in found] == [_fields(p) for p in expected]
    assert [_fields(c) for c in joined] == [_fields(p.content_type) for p in expected]
    assert found[0].codename_length == len(found[0].codename)  # type: ignore[attr-defined]
    assert [p.codename for p in found] == ["add_apitoken", "change_apitoken",
                                           "delete_apitoken", "view_apitoken"]  # fmt: skip


def test_datetimes_come_back_aware_and_a_missing_row_is_an_empty_list() -> None:
    # given
    tokens = CompiledQuery(
        lambda pk: ApiToken.objects.select_related("user").filter(user_id=pk).order_by("id")
    )
    user = UserFactory()
    api_token_create(user=user, name="one")
    ApiToken.objects.update(last_used_at=timezone.make_aware(dt.datetime(2026, 1, 2, 3, 4)))
    # when
    [token] = tokens(user.pk)
    nobody = tokens(999_999)
    # then
    assert _fields(token) == _fields(ApiToken.objects.get(user=user))
    assert token.last_used_at == dt.datetime(2026, 1, 2, 8, 4, tzinfo=dt.UTC)
    assert token.user.username == user.username
    assert nobody == []


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Permission.objects.filter(pk=pk).prefetch_related("group_set"),
        lambda pk: Permission.objects.filter(pk=pk).only("codename"),
        lambda pk: Permission.objects.filter(pk=pk).values("codename"),
        lambda pk: Permission.objects.filter(pk=pk, codename="add_apitoken"),
        lambda pk: Permission.objects.all(),
    ],
    ids=["prefetch", "only", "values", "a second parameter", "no parameter"],
)
def test_querysets_it_cannot_replay_are_refused(build: Any) -> None:
    with pytest.raises(ValueError, match=r"CompiledQuery takes|Every parameter"):
        CompiledQuery(build)(1)
