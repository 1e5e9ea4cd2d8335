"""Users and Settings (Owners), API tokens (everyone: their own) and My visits (Technicians).
Who reaches which is crm.core.policy."""

from django.urls import path

from crm.accounts.views import company_settings, tokens, users, visits

VISIT = "my-visits/<int:job_id>/"

urlpatterns = [
    path("users/", users.users_page, name="user-list"),
    path("users/new/", users.user_add, name="user-add"),
    path("users/<int:user_id>/edit/", users.user_edit, name="user-edit"),
    path("users/<int:user_id>/deactivate/", users.user_deactivate_view, name="user-deactivate"),
    path("settings/", company_settings.company_settings_page, name="company-settings"),
    path("tokens/", tokens.token_list, name="token-list"),
    path("tokens/new/", tokens.token_add, name="token-add"),
    path("tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("my-visits/", visits.my_visits_page, name="my-visits"),
    path(VISIT + "start/", visits.visit_start, name="my-visit-start"),
    path(VISIT + "complete/", visits.visit_complete, name="my-visit-complete"),
    path(VISIT + "note/", visits.visit_note, name="my-visit-note"),
    path(VISIT + "appliance/", visits.visit_appliance, name="my-visit-appliance"),
    path(VISIT + "on-my-way/", visits.visit_on_my_way, name="my-visit-on-my-way"),  # issue 14
]
