from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inclusion.core"
    label = "core"
    verbose_name = "Core"
