"""Permission codenames for measures; the predicates behind them are in `rules.py`."""

from enum import StrEnum


class MeasurePermission(StrEnum):
    # Dashboards, measure pages and their downloads, checked against the partnership.
    VIEW = "measures.view_measures"
    # A partnership's own measures, how it uses any measure (owner, baseline, targets,
    # evidence links) and the values it enters: checked against the partnership.
    MANAGE = "measures.manage_measures"
    # The statistical neighbours the partnership is compared with: checked against the
    # partnership.
    CHOOSE_NEIGHBOURS = "measures.choose_neighbours"
    # Uploading published statistics, which every partnership reads: checked against the
    # partnership, or an upload.
    UPLOAD_STATISTICS = "measures.upload_statistics"
