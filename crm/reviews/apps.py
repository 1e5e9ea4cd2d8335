from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "crm.reviews"
    label = "reviews"
