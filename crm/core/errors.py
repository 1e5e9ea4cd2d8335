"""One family of domain errors; the API and the views turn them into 4xx answers."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A request the domain refuses; `status` is the HTTP status the API answers with."""

    status = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def errors(self) -> list[dict[str, str]]:
        return [{"field": self.field or "", "message": self.message}]

    def details(self) -> dict[str, Any]:
        """More of the refusal for the client, beside detail and errors (none by default)."""
        return {}


class ValidationFailed(ApplicationError):
    """Input that breaks a business rule (negative amount, mismatched job and customer...)."""

    status = 422


class NotFound(ApplicationError):
    """The thing named in the path does not exist."""

    status = 404


class Conflict(ApplicationError):
    """The request clashes with existing data (second review for a job, duplicate referral)."""

    status = 409


class PermissionDenied(ApplicationError):
    """The signed-in user may not do this."""

    status = 403
