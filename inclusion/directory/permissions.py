"""Permission codenames for the Local Offer's editors' pages; the predicates are in `rules.py`."""

from enum import StrEnum


class DirectoryPermission(StrEnum):
    # Local authority editors: every service, provider changes, feedback, the assurance list.
    MANAGE = "directory.manage"
    # The editors' pages at all: local authority editors and providers' staff.
    USE_EDITOR_PAGES = "directory.use_editor_pages"
    # On a service: change it (editors directly; its provider by proposing a change).
    EDIT_SERVICE = "directory.edit_service"
    # On a service: propose a change for the local authority to approve (its provider).
    PROPOSE_CHANGE = "directory.propose_change"
