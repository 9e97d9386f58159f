"""Permission codenames for measures; the predicates behind them are in `rules.py`."""

from enum import StrEnum


class MeasurePermission(StrEnum):
    # Dashboards, measure pages and their downloads, checked against the partnership.
    VIEW = "measures.view_measures"
