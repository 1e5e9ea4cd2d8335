from django.contrib import admin
from django.http import HttpRequest

from crm.core.admin import NoDeleteAdmin
from crm.customers.models import (
    AddressSuppression,
    ContactConsent,
    Customer,
    ErasedAddressConsent,
    ServiceLocation,
)


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

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        """Never: deleting would cascade away consent, message events and referral rewards.
        The Customer View's "Anonymise…" erases the personal data and keeps those."""
        return False


@admin.register(ContactConsent)
class ContactConsentAdmin(NoDeleteAdmin):
    list_display = ["customer", "channel", "marketing_opt_in", "opted_out_at"]
    list_filter = ["channel", "marketing_opt_in"]
    search_fields = ["customer__name"]
    raw_id_fields = ["customer"]


@admin.register(ErasedAddressConsent)
class ErasedAddressConsentAdmin(admin.ModelAdmin[ErasedAddressConsent]):
    """Consent evidence of anonymised customers: read only (it is what keeps an opt-out)."""

    list_display = ["channel", "address_hash", "opted_out_at", "marketing_opt_in", "erased_at"]
    list_filter = ["channel", "marketing_opt_in"]
    search_fields = ["address_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ErasedAddressConsent | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ErasedAddressConsent | None = None
    ) -> bool:
        return False


@admin.register(AddressSuppression)
class AddressSuppressionAdmin(admin.ModelAdmin[AddressSuppression]):
    """Evidence of who asked to hear nothing more: read here, changed only by the consent
    services (START, the unsubscribe link, the office's Clear opt-out), never deleted."""

    list_display = ["channel", "address", "source", "opted_out_at", "lifted_at"]
    list_filter = ["channel", "source"]
    search_fields = ["address"]
    readonly_fields = [
        "channel", "address", "source", "detail", "opted_out_at", "lifted_at", "lifted_reason",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ServiceLocation)
class ServiceLocationAdmin(admin.ModelAdmin[ServiceLocation]):
    list_display = ["label", "customer", "timezone", "active", "created_at"]
    list_filter = ["active", "timezone"]
    search_fields = ["customer__name", "label", "address"]
    raw_id_fields = ["customer"]
    list_select_related = ["customer"]
