"""Turn Django model validation into the domain's ValidationFailed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from crm.core.errors import ValidationFailed


def _camel(field: str) -> str:
    head, *rest = field.split("_")
    return head + "".join(part.title() for part in rest)


def model_validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Run the model's field validation; raise ValidationFailed naming the first bad field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        label = "" if field == "__all__" else _camel(field)
        raise ValidationFailed(" ".join(messages), field=label) from None
