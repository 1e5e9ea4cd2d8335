from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "crm.referrals"
    label = "referrals"
