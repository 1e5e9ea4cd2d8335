import pytest

from crm.core.errors import ValidationFailed
from crm.customers.models import ContactConsent, Customer
from crm.customers.services import (
    ConsentChange,
    DuplicateCustomer,
    customer_create,
    customer_preferred_technician_set,
    customer_update,
)
from crm.customers.services.consent import OptOutStands
from crm.customers.tests.factories import CustomerFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_create_with_preferences_consent_and_referrer():
    # given
    referrer = CustomerFactory()
    # when
    customer = customer_create(
        fields={
            "name": "Ana Ruiz", "email": "ana@example.com", "preferred_contact_method": "WhatsApp",
            "preferred_contact_times": [{"day": "Monday", "start": "09:00", "end": "12:30"}],
            "language_preference": "es-MX", "timezone": "America/Mexico_City",
        },
        consents=[ConsentChange(channel="WhatsApp", marketing_opt_in=True)],
        referred_by_id=referrer.pk,
    )  # fmt: skip
    # then
    assert customer.preferred_contact_times == [{"day": "mon", "start": "09:00", "end": "12:30"}]
    assert customer.referred_by_id == referrer.pk
    assert ContactConsent.objects.get(customer=customer).marketing_opt_in is True
    assert len(customer.referral_code) == 8


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"preferred_contact_times": [{"day": "mon", "start": "12:00", "end": "09:00"}]},
            "preferredContactTimes.0",
        ),
        (
            {"preferred_contact_times": [{"day": "someday", "start": "09:00", "end": "10:00"}]},
            "preferredContactTimes.0",
        ),
        ({"preferred_contact_times": "mornings"}, "preferredContactTimes"),
        ({"language_preference": "english please"}, "languagePreference"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"email": "not-an-email"}, "email"),
        ({"preferred_contact_method": "Pigeon"}, "preferredContactMethod"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_preferences_are_refused_and_nothing_changes(fields, field):
    # given
    customer = CustomerFactory(name="Kept")
    # when / then
    with pytest.raises(ValidationFailed) as error:
        customer_update(customer=customer, fields=fields)
    assert error.value.field == field
    assert Customer.objects.get(pk=customer.pk).name == "Kept"


def test_opting_out_records_the_moment_and_opting_back_in_is_its_own_action():
    customer = CustomerFactory()
    customer_update(
        customer=customer, fields={}, consents=[ConsentChange(channel="SMS", opted_out=True)]
    )
    opted_out_at = ContactConsent.objects.get(customer=customer, channel="SMS").opted_out_at
    assert opted_out_at is not None
    for change in (ConsentChange("SMS", opted_out=False), ConsentChange("SMS", True)):
        with pytest.raises(OptOutStands, match="Clearing an opt-out is its own action"):
            customer_update(customer=customer, fields={"name": "Renamed"}, consents=[change])
    consent = ContactConsent.objects.get(customer=customer, channel="SMS")
    assert (consent.opted_out_at, consent.marketing_opt_in) == (opted_out_at, False)
    customer.refresh_from_db()
    assert customer.name != "Renamed"


def test_inactive_technician_cannot_be_preferred():
    customer = CustomerFactory()
    with pytest.raises(ValidationFailed):
        customer_preferred_technician_set(
            customer=customer, technician_id=TechnicianFactory(active=False).pk
        )
    customer.refresh_from_db()
    assert customer.preferred_technician_id is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("(305) 555-0142", "+13055550142"), ("305.555.0142", "+13055550142"),
     ("+44 20 7946 0958", "+442079460958"), ("0044 20 7946 0958", "+442079460958"), ("", "")],
)  # fmt: skip
def test_phone_is_stored_in_e164_and_email_in_lower_case(typed, stored):
    # when
    customer = customer_create(fields={"name": "Ana", "phone": typed, "email": " Ana@Example.COM "})
    # then
    customer.refresh_from_db()
    assert (customer.phone, customer.email) == (stored, "ana@example.com")


@pytest.mark.parametrize("typed", ["call me", "12", "+1 305 555 0142 0000 99"])
def test_an_unreadable_phone_is_refused_and_nothing_changes(typed):
    # given
    customer = CustomerFactory(phone="+13055550142")
    # when / then
    with pytest.raises(ValidationFailed) as error:
        customer_update(customer=customer, fields={"phone": typed})
    assert error.value.field == "phone"
    assert Customer.objects.get(pk=customer.pk).phone == "+13055550142"
    with pytest.raises(ValidationFailed):
        customer_create(fields={"name": "New", "phone": typed})
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"phone": "305-555-0142"}, "phone"), ({"email": "MARIA@example.com"}, "email")],
)
def test_a_phone_or_email_another_customer_has_is_a_duplicate(fields, field):
    # given
    maria = CustomerFactory(name="Maria", phone="+13055550142", email="maria@example.com")
    # when / then
    with pytest.raises(DuplicateCustomer) as error:
        customer_create(fields={"name": "Mario", **fields})
    assert (error.value.field, error.value.duplicate.pk, error.value.status) == (
        field,
        maria.pk,
        409,
    )
    assert error.value.details() == {"duplicateOf": {"id": maria.pk, "name": "Maria"}}
    assert list(Customer.objects.values_list("name", flat=True)) == ["Maria"]


def test_a_household_may_share_a_number_when_asked():
    # given
    CustomerFactory(name="Maria", phone="+13055550142")
    # when
    customer = customer_create(
        fields={"name": "Mario", "phone": "3055550142"}, allow_duplicate=True
    )
    # then
    assert Customer.objects.filter(phone="+13055550142").count() == 2
    assert customer.name == "Mario"


def test_an_update_keeps_a_shared_number():
    # given: updates never refuse a duplicate (the household already shares the number)
    CustomerFactory(phone="+13055550142")
    customer = CustomerFactory(phone="+13055550199")
    # when
    customer_update(customer=customer, fields={"phone": "305 555 0142"})
    # then
    assert Customer.objects.get(pk=customer.pk).phone == "+13055550142"
