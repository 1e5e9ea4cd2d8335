"""The Engagement Hub of the Customer View (the tab, its sections and their actions), and the
actions on the AI panels' answers."""

from django.urls import URLPattern, path

from crm.engagement.views import ai_actions, booking, compose, hub, messages, survey, undo

HUB = "customers/<int:customer_id>/engagement/"
SUGGESTION = HUB + "suggestions/<slug:key>/"
MESSAGE = HUB + "messages/<int:message_id>/"

urlpatterns: list[URLPattern] = [
    path(HUB, hub.engagement_hub, name="engagement-hub"),
    path(HUB + "sections/<slug:section>/", hub.engagement_section, name="engagement-section"),
    path(HUB + "reminders/new/", hub.reminder_add, name="engagement-reminder-add"),
    path(HUB + "reminders/<int:reminder_id>/", hub.reminder_act, name="engagement-reminder"),
    path(HUB + "suggestions/", hub.suggestions_generate, name="engagement-suggestions"),
    path(SUGGESTION + "schedule/", hub.suggestion_schedule,
         name="engagement-suggestion-schedule"),
    path(SUGGESTION + "log/", hub.suggestion_log, name="engagement-suggestion-log"),
    path(SUGGESTION + "dismiss/", hub.suggestion_dismiss, name="engagement-suggestion-dismiss"),
    path(MESSAGE + "cancel/", messages.message_cancel, name="engagement-message-cancel"),
    path(MESSAGE + "send-now/", messages.message_send, name="engagement-message-send"),
    path(MESSAGE + "schedule/", messages.message_schedule, name="engagement-message-schedule"),
    path(MESSAGE + "edit/", messages.message_edit, name="engagement-message-edit"),
    path(HUB + "greetings/new/", messages.greeting_add, name="engagement-greeting-add"),
    path(HUB + "followups/new/", hub.follow_up_add, name="engagement-followup-add"),
    # The Customer View's header (Text, WhatsApp, Email) and Reply on the timeline.
    path("customers/<int:customer_id>/messages/new/", compose.message_compose,
         name="message-compose"),
    # Undo from a confirmation (Today's actions and the hub's): the signed ticket says what.
    path("undo/<str:token>/", undo.undo, name="undo"),
]  # fmt: skip

# Acting on the AI panels' answers: the panels' paths and URL names (crm/insights/urls.py holds
# the panels themselves; engagement's urls are included first, before its catch-all panel slug).
AI = "customers/<int:customer_id>/ai/"
APPLIANCE = AI + "maintenance/<int:appliance_id>/"
urlpatterns += [
    path(AI + "maintenance/", ai_actions.maintenance_card, name="insight-maintenance"),
    path(APPLIANCE + "reminder/", ai_actions.maintenance_reminder,
         name="insight-maintenance-reminder"),
    path(APPLIANCE + "message/", ai_actions.maintenance_message,
         name="insight-maintenance-message"),
    path(AI + "technician/assign/", ai_actions.technician_assign,
         name="insight-technician-assign"),
]  # fmt: skip

# Booking a visit in one form: from the Customer View, or from Today (customer picked first).
urlpatterns += [
    path("customers/<int:customer_id>/jobs/new/", booking.job_new, name="job-new"),
    path("customers/<int:customer_id>/jobs/new/technicians/", booking.job_technicians,
         name="job-technicians"),
    path("jobs/new/", booking.job_book, name="job-book"),
]  # fmt: skip

# The customer's satisfaction survey behind a signed link (public; the link is messaging's).
urlpatterns += [path("s/<str:token>", survey.survey, name="survey")]
