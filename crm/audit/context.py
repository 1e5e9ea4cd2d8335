"""Who is acting right now: the signed-in user or API token of a request, a task, or the system.

django-auditlog's own middleware reads `request.user` before the view runs, when an API token
has not been checked yet (ninja authenticates inside the view), so the actor is resolved
lazily, at the moment an entry is written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponseBase

SYSTEM = "system"
ANONYMOUS = "anonymous"  # a public link or a provider's webhook, nobody signed in


@dataclass(frozen=True)
class Actor:
    """The user behind a change (None: the system) and how the change came in."""

    user_id: int | None
    name: str | None
    source: str


SYSTEM_ACTOR = Actor(None, None, SYSTEM)
_resolver: ContextVar[Callable[[], Actor] | None] = ContextVar("audit_actor", default=None)


def actor_now() -> Actor:
    """The actor of the current request or task; the system when there is none."""
    resolve = _resolver.get()
    return SYSTEM_ACTOR if resolve is None else resolve()


@contextmanager
def acting(actor: Actor) -> Iterator[None]:
    """Record the changes made inside the block as `actor`'s (tasks, management commands)."""
    token = _resolver.set(lambda: actor)
    try:
        yield
    finally:
        _resolver.reset(token)


def _request_actor(request: HttpRequest) -> Actor:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # The route's name, not its path: an unsubscribe path carries the link's signed token.
        match = getattr(request, "resolver_match", None)
        return Actor(None, ANONYMOUS, f"public {match.view_name if match else 'request'}"[:100])
    prefix = getattr(getattr(request, "auth", None), "prefix", None)  # ninja's ApiToken
    if prefix:
        source = f"API token {prefix}"
    else:
        source = "API session" if request.path.startswith("/api/") else "page"
    return Actor(user.pk, user.get_username(), source)


class AuditActorMiddleware:
    """Makes the request's user (or API token's user) the actor of the changes it makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _resolver.set(lambda: _request_actor(request))
        try:
            return self.get_response(request)
        finally:
            _resolver.reset(token)


_task_tokens = threading.local()


def task_hooks_install() -> None:
    """Every huey task acts as the system, named by the task (also when run immediately)."""
    from huey.contrib.djhuey import HUEY

    @HUEY.pre_execute()
    def _task_started(task: Any) -> None:
        stack = getattr(_task_tokens, "stack", None) or []
        actor = Actor(None, None, f"task {task.name}"[:100])
        stack.append(_resolver.set(lambda: actor))
        _task_tokens.stack = stack

    @HUEY.post_execute()
    def _task_ended(task: Any, task_value: Any, exc: BaseException | None) -> None:
        stack = getattr(_task_tokens, "stack", None)
        if stack:
            _resolver.reset(stack.pop())
