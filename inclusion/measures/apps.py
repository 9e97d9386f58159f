from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Measures of the plan: definitions, observations, published statistics, SPC.

    Knows no other domain app: apps register their computed measures with it
    (docs/shared ARCHITECTURE.md).
    """

    name = "inclusion.measures"
    label = "measures"
    verbose_name = "Measures"
