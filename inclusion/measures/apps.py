from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """Measures of the plan: definitions, observations, published statistics, SPC.

    Knows no other domain app: apps register their computed measures with it
    (docs/shared ARCHITECTURE.md).
    """

    name = "inclusion.measures"
    label = "measures"
    verbose_name = "Measures"

    def ready(self) -> None:
        from inclusion.core.evidence import register_evidence_provider
        from inclusion.core.navigation import in_namespace, register_section
        from inclusion.measures.evidence import MeasureEvidenceProvider

        # Plans asks core what the evidence says about its actions (ADR 0015); measures
        # answers here, so neither app imports the other.
        register_evidence_provider(MeasureEvidenceProvider())
        # After Plans (10), before Import (90): the dashboard, measure pages, management.
        register_section(
            key="measures",
            text="Measures",
            url_name="measures:dashboard",
            order=20,
            active=in_namespace("measures"),
        )
