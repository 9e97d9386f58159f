from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "inclusion.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        from inclusion.plans.page_helpers import register_navigation

        register_navigation()
