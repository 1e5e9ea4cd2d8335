"""The Engagement Hub of the Customer View: the tab, its sections and their actions."""

from django.urls import URLPattern, path

from crm.engagement import views

HUB = "customers/<int:customer_id>/engagement/"
SUGGESTION = HUB + "suggestions/<slug:key>/"
MESSAGE = HUB + "messages/<int:message_id>/"

urlpatterns: list[URLPattern] = [
    path(HUB, views.engagement_hub, name="engagement-hub"),
    path(HUB + "sections/<slug:section>/", views.engagement_section, name="engagement-section"),
    path(HUB + "reminders/new/", views.reminder_add, name="engagement-reminder-add"),
    path(HUB + "reminders/<int:reminder_id>/", views.reminder_act, name="engagement-reminder"),
    path(HUB + "suggestions/", views.suggestions_generate, name="engagement-suggestions"),
    path(SUGGESTION + "schedule/", views.suggestion_schedule,
         name="engagement-suggestion-schedule"),
    path(SUGGESTION + "log/", views.suggestion_log, name="engagement-suggestion-log"),
    path(SUGGESTION + "dismiss/", views.suggestion_dismiss, name="engagement-suggestion-dismiss"),
    path(MESSAGE + "cancel/", views.message_cancel, name="engagement-message-cancel"),
    path(MESSAGE + "send-now/", views.message_send, name="engagement-message-send"),
    path(MESSAGE + "schedule/", views.message_schedule, name="engagement-message-schedule"),
    path(MESSAGE + "edit/", views.message_edit, name="engagement-message-edit"),
    path(HUB + "greetings/new/", views.greeting_add, name="engagement-greeting-add"),
    path(HUB + "followups/new/", views.follow_up_add, name="engagement-followup-add"),
]  # fmt: skip
