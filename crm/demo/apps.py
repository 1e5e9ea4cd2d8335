from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run` and the scale benchmarks (no models of its own)."""

    name = "crm.demo"
    label = "demo"
