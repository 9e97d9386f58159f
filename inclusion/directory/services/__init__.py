"""Every write of the Local Offer: validated, in one transaction, audited.

Views, the API, commands and the demo call these, never `Model.save()`.
"""

from inclusion.directory.services.changes import (
    PROPOSABLE_FIELDS,
    service_change_approve,
    service_change_propose,
    service_change_reject,
)
from inclusion.directory.services.feedback import feedback_handle, feedback_submit
from inclusion.directory.services.records import (
    CHILD_MODELS,
    deferred_touch,
    location_create,
    location_update,
    organization_create,
    organization_update,
    record_create,
    record_delete,
    record_update,
    service_assure,
    service_create,
    service_search_text,
    service_set_terms,
    service_touch,
    service_update,
    services_affected_by,
    taxonomy_create,
    taxonomy_term_create,
    taxonomy_term_update,
    taxonomy_update,
)

__all__ = [
    "CHILD_MODELS",
    "PROPOSABLE_FIELDS",
    "deferred_touch",
    "feedback_handle",
    "feedback_submit",
    "location_create",
    "location_update",
    "organization_create",
    "organization_update",
    "record_create",
    "record_delete",
    "record_update",
    "service_assure",
    "service_change_approve",
    "service_change_propose",
    "service_change_reject",
    "service_create",
    "service_search_text",
    "service_set_terms",
    "service_touch",
    "service_update",
    "services_affected_by",
    "taxonomy_create",
    "taxonomy_term_create",
    "taxonomy_term_update",
    "taxonomy_update",
]
