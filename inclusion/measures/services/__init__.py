"""Writes to measures and observations (one module per concern, re-exported here).

- `imports`: published statistics (`published_statistics_import`, `..._preview`)
- `measures`: definitions, a partnership's use of them, targets, evidence links,
  entered observations
- `compute`: storing computed measures (`measures_compute`)
- `manage`: what the management pages save as whole steps (a local measure with its use,
  stale-edit checks, the set of evidence links, a value for the partnership's own area)
- `comparators`: the statistical neighbours (`comparator_areas_set`)
- `uploads`: published statistics uploaded through the page, checked and imported in the
  background (`statistics_upload_create`, `..._import`, `..._discard`, `..._retry`)
"""

from inclusion.measures.services.comparators import comparator_areas_set
from inclusion.measures.services.compute import ComputeResult, measures_compute
from inclusion.measures.services.imports import (
    ALL_MAPPINGS,
    ImportResult,
    published_statistics_import,
    published_statistics_preview,
)
from inclusion.measures.services.measures import (
    measure_create,
    measure_evidence_link,
    measure_evidence_unlink,
    measure_update,
    observation_record,
    partnership_measure_set,
    target_delete,
    target_set,
)
from inclusion.measures.services.uploads import (
    statistics_upload_create,
    statistics_upload_discard,
    statistics_upload_import,
    statistics_upload_retry,
)

__all__ = [
    "ALL_MAPPINGS",
    "ComputeResult",
    "comparator_areas_set",
    "ImportResult",
    "measure_create",
    "measure_evidence_link",
    "measure_evidence_unlink",
    "measure_update",
    "measures_compute",
    "observation_record",
    "partnership_measure_set",
    "published_statistics_import",
    "published_statistics_preview",
    "statistics_upload_create",
    "statistics_upload_discard",
    "statistics_upload_import",
    "statistics_upload_retry",
    "target_delete",
    "target_set",
]
