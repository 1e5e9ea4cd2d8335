"""The office's pages, and the Customer View's routes to the domain apps' card views."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from crm.activities import views as activities
from crm.appliances import views as appliances
from crm.jobs import views as jobs
from crm.office.views import (
    anonymise,
    customer_view,
    customers,
    importing,
    reviews,
    technicians,
    today,
)
from crm.office.views import appliances as office_appliances
from crm.office.views import jobs as office_jobs
from crm.referrals import views as referrals

CUSTOMER = "customers/<int:customer_id>/"
# The job card builds its links under this one (a reverse per link cost the page 5 ms).
JOB = CUSTOMER + "jobs/<int:job_id>/"
TECHNICIAN = "technicians/<int:technician_id>/"

urlpatterns: list[URLPattern | URLResolver] = [
    # Today: the landing page after sign-in, its sections and their actions.
    path("", today.today, name="home"),
    path("today/", today.today, name="today"),
    path("today/sections/<slug:section>/", today.today_section, name="today-section"),
    path("today/counts/", today.today_counts, name="today-counts"),
    path("today/checklist/hide/", today.checklist_hide_view, name="today-checklist-hide"),
    path("today/reminders/<int:pk>/", today.reminder_act, name="today-reminder"),
    path("today/messages/<int:pk>/<slug:action>/", today.message_act, name="today-message"),
    path("today/drafts/approve/", today.drafts_approve, name="today-drafts-approve"),
    path("today/scores/<int:pk>/handled/", today.score_handled, name="today-score-handled"),
    path("today/inbound/<int:pk>/answered/", today.inbound_answered,
         name="today-inbound-answered"),
    # Customers.
    path("customers/", customers.customer_list, name="customer-list"),
    # CSV import of customers (before any customers/<int:...> route).
    path("customers/import/", importing.customer_import, name="customer-import"),
    # Customer list: the filtered rows as CSV.
    path("customers/export.csv", customers.customer_export, name="customer-export"),
    # The Customer View and its cards.
    path(CUSTOMER, customer_view.customer_detail, name="customer-detail"),
    path(CUSTOMER + "cards/<slug:card>/", customer_view.customer_card, name="customer-card"),
    path("", include("crm.customers.urls")),
    # Owners only: erase the customer's personal data (replaces deleting a customer).
    path(CUSTOMER + "anonymise/", anonymise.customer_anonymise_confirm, name="customer-anonymise"),
    path(CUSTOMER + "appliances/new/", appliances.appliance_add, name="appliance-add"),
    path(CUSTOMER + "appliances/<int:appliance_id>/", appliances.appliance_edit,
         name="appliance-edit"),
    path(CUSTOMER + "appliances/<int:appliance_id>/delete/", office_appliances.appliance_remove,
         name="appliance-delete"),
    # Read nameplate (issue 15): read a photo, save what was confirmed, the kept photo.
    path(CUSTOMER + "appliances/new/nameplate/", appliances.appliance_add_nameplate,
         name="appliance-add-nameplate"),
    path(CUSTOMER + "appliances/<int:appliance_id>/nameplate/", appliances.appliance_nameplate,
         name="appliance-nameplate"),
    path(CUSTOMER + "appliances/<int:appliance_id>/nameplate/save/",
         appliances.appliance_nameplate_confirm, name="appliance-nameplate-save"),
    path(CUSTOMER + "appliances/<int:appliance_id>/nameplate/photo/",
         appliances.appliance_nameplate_photo, name="appliance-nameplate-photo"),
    path(CUSTOMER + "referrals/new/", referrals.referral_add, name="referral-add"),
    path(CUSTOMER + "referrals/<int:referral_id>/", referrals.referral_edit, name="referral-edit"),
    path(CUSTOMER + "activity/", activities.timeline_more, name="timeline-more"),
    path(CUSTOMER + "notes/", activities.note_add, name="note-add"),
    path(CUSTOMER + "jobs/", jobs.job_list_more, name="job-list-more"),
    path(JOB, jobs.job_card, name="job-card"),
    path(JOB + "edit/", office_jobs.job_edit, name="job-edit"),
    path(JOB + "payments/new/", jobs.payment_add, name="payment-add"),
    path(JOB + "payments/<int:payment_id>/", jobs.payment_edit, name="payment-edit"),
    path(JOB + "expenses/new/", jobs.expense_add, name="expense-add"),
    path(JOB + "expenses/<int:expense_id>/", jobs.expense_edit, name="expense-edit"),
    path(JOB + "review/", reviews.review_add, name="review-add"),
    path(JOB + "on-my-way/", office_jobs.job_on_my_way, name="job-on-my-way"),  # issue 14
]  # fmt: skip

# The crew: technicians with their open jobs.
urlpatterns += [
    path("technicians/", technicians.technician_list, name="technician-list"),
    path("technicians/new/", technicians.technician_add, name="technician-add"),
    path(TECHNICIAN + "edit/", technicians.technician_edit, name="technician-edit"),
    path(TECHNICIAN + "deactivate/", technicians.technician_active_set, {"active": False},
         name="technician-deactivate"),
    path(TECHNICIAN + "reactivate/", technicians.technician_active_set, {"active": True},
         name="technician-reactivate"),
]  # fmt: skip
