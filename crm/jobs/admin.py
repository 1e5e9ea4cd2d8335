from django.contrib import admin

from crm.core.admin import NoDeleteAdmin
from crm.jobs.models import Expense, Job, Payment


class PaymentInline(admin.TabularInline[Payment, Job]):
    model = Payment
    extra = 0
    can_delete = False
    raw_id_fields = ["customer"]


class ExpenseInline(admin.TabularInline[Expense, Job]):
    model = Expense
    extra = 0
    can_delete = False
    raw_id_fields = ["customer"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = [
        "id",
        "customer",
        "technician",
        "status",
        "scheduled_for",
        "completed_at",
        "labor_hours",
    ]
    list_filter = ["status", "technician"]
    search_fields = ["customer__name", "description", "outcome"]
    raw_id_fields = ["customer", "appliance"]
    list_select_related = ["customer", "technician"]
    inlines = [PaymentInline, ExpenseInline]
    date_hierarchy = "scheduled_for"


@admin.register(Payment)
class PaymentAdmin(NoDeleteAdmin):
    list_display = ["customer", "job", "amount", "payment_method", "date", "reference"]
    list_filter = ["payment_method", "date"]
    search_fields = ["customer__name", "reference"]
    raw_id_fields = ["customer", "job"]
    list_select_related = ["customer", "job"]


@admin.register(Expense)
class ExpenseAdmin(NoDeleteAdmin):
    list_display = ["customer", "job", "amount", "category", "date", "description"]
    list_filter = ["category", "date"]
    search_fields = ["customer__name", "description"]
    raw_id_fields = ["customer", "job"]
    list_select_related = ["customer", "job"]
