from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "inclusion.reporting"
    label = "reporting"
    verbose_name = "Reporting"
