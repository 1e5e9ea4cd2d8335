from django.contrib import admin

from crm.core.admin import NoDeleteAdmin
from crm.customers.models import ContactConsent, Customer


class ContactConsentInline(admin.TabularInline[ContactConsent, Customer]):
    model = ContactConsent
    extra = 0
    can_delete = False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin[Customer]):
    list_display = [
        "name",
        "email",
        "phone",
        "preferred_contact_method",
        "preferred_technician",
        "referral_code",
        "created_at",
    ]
    list_filter = [
        "preferred_contact_method",
        "communication_frequency_preference",
        "language_preference",
    ]
    search_fields = ["name", "email", "phone", "referral_code"]
    raw_id_fields = ["referred_by"]
    list_select_related = ["preferred_technician"]
    inlines = [ContactConsentInline]
    date_hierarchy = "created_at"


@admin.register(ContactConsent)
class ContactConsentAdmin(NoDeleteAdmin):
    list_display = ["customer", "channel", "marketing_opt_in", "opted_out_at"]
    list_filter = ["channel", "marketing_opt_in"]
    search_fields = ["customer__name"]
    raw_id_fields = ["customer"]
