"""The users page (Owners only, by crm.core.policy): add users, change roles, link technicians,
deactivate. Writes answer htmx with 204 and `users-changed`; the list reloads itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from crm.accounts.forms import UserCreateForm, UserEditForm
from crm.accounts.selectors import user_get, user_list
from crm.accounts.services import CreatedUser, user_create, user_deactivate, user_update
from crm.core.errors import ValidationFailed
from crm.core.htmx import HtmxHttpRequest, page_or_partial
from crm.core.roles import Role, user_role, user_technician_id
from crm.core.views import form_data, form_saved, form_shown, form_submitted, not_found_as_404

FORMS = "accounts/user_form.html"
EVENTS = ["users-changed"]


@require_GET
def users_page(request: HtmxHttpRequest) -> HttpResponse:
    """Every user with role, technician and status; htmx gets the table."""
    rows = [(user, user_role(user)) for user in user_list()]
    template = page_or_partial(request, "accounts/users.html", "results")
    return render(request, template, {"rows": rows})


@require_http_methods(["GET", "POST"])
def user_add(request: HtmxHttpRequest) -> HttpResponse:
    """Add a user with a role; a generated password is shown once."""
    form = UserCreateForm(form_data(request))
    created: list[CreatedUser] = []

    def save(data: dict[str, Any]) -> None:
        technician = data["technician"]
        created.append(user_create(
            username=data["username"], role=Role(data["role"]), password=data["password"],
            technician_id=technician.pk if technician else None,
        ))  # fmt: skip

    if form_submitted(request, form, save, fields={"technician": "technician"}):
        response = render(request, f"{FORMS}#user_created", {"created": created[0]})
        trigger_client_event(response, EVENTS[0])
        return response
    context = {"form": form, "title": "Add user", "action": request.path}
    return form_shown(request, f"{FORMS}#user_form", context, form=form)


@not_found_as_404
@require_http_methods(["GET", "POST"])
def user_edit(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    """Change a user's role, technician record and whether they may sign in."""
    user = user_get(user_id=user_id)
    role = user_role(user) if user.is_active else _role_kept(user)
    initial = {"role": role.value if role else "", "active": user.is_active,
               "technician": user_technician_id(user)}  # fmt: skip
    form = UserEditForm(form_data(request), initial=initial)

    def save(data: dict[str, Any]) -> None:
        technician = data["technician"]
        user_update(
            user_id=user.pk, role=Role(data["role"]), active=data["active"], by=request.user,  # type: ignore[arg-type]
            technician_id=technician.pk if technician else None,
        )  # fmt: skip

    if form_submitted(request, form, save, fields={"technician": "technician", "role": "role"}):
        return form_saved(request, events=EVENTS, redirect_to=reverse("user-list"))
    context = {"form": form, "title": f"Edit {user.get_username()}", "action": request.path}
    return form_shown(request, f"{FORMS}#user_form", context, form=form)


def _role_kept(user: Any) -> Role | None:
    """An inactive user's role group (user_role answers None for the inactive)."""
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in Role if role.value in names), None)


@not_found_as_404
@require_POST
def user_deactivate_view(request: HtmxHttpRequest, user_id: int) -> HttpResponse:
    """One click: the user can no longer sign in (reactivate through Edit)."""
    try:
        user_deactivate(user_id=user_id, by=request.user)  # type: ignore[arg-type]
    except ValidationFailed as error:
        return HttpResponse(error.message, status=422)
    return form_saved(request, events=EVENTS, redirect_to=reverse("user-list"))
