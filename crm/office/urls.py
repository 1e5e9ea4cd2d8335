"""The office's pages: each group of routes lives beside the views module of its page."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from crm.office.views import today

urlpatterns: list[URLPattern | URLResolver] = []

# Today: the landing page after sign-in, its sections and their actions.
urlpatterns += [
    path("", today.today, name="home"),
    path("today/", today.today, name="today"),
    path("today/sections/<slug:section>/", today.today_section, name="today-section"),
    path("today/counts/", today.today_counts, name="today-counts"),
    path("today/reminders/<int:pk>/", today.reminder_act, name="today-reminder"),
    path("today/messages/<int:pk>/<slug:action>/", today.message_act, name="today-message"),
    path("today/drafts/approve/", today.drafts_approve, name="today-drafts-approve"),
    path("today/scores/<int:pk>/handled/", today.score_handled, name="today-score-handled"),
    path("today/inbound/<int:pk>/answered/", today.inbound_answered,
         name="today-inbound-answered"),
]  # fmt: skip
