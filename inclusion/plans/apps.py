from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "inclusion.plans"
    label = "plans"
    verbose_name = "Plans"
