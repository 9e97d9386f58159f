"""Writes to measures and observations (one module per concern, re-exported here).

- `imports`: published statistics (`published_statistics_import`, `..._preview`)
- `measures`: definitions, a partnership's use of them, targets, evidence links,
  entered observations
- `compute`: storing computed measures (`measures_compute`)
"""

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

__all__ = [
    "ALL_MAPPINGS",
    "ComputeResult",
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
    "target_delete",
    "target_set",
]
