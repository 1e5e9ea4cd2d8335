from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "crm.jobs"
    label = "jobs"
