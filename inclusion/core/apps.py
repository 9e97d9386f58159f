from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inclusion.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from inclusion.core.views.calendar import register_navigation

        register_navigation()
