from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from inclusion.directory.search import ensure_search_index

    ensure_search_index(connections[using])


def _register_navigation() -> None:
    """ "Local Offer" in the service navigation, for the people who edit it."""
    from inclusion.core.navigation import in_namespace, register_section
    from inclusion.directory.permissions import DirectoryPermission

    register_section(
        key="directory",
        text="Local Offer",
        url_name="directory:editor_home",
        order=40,
        active=in_namespace("directory"),
        visible=lambda user: user.has_perm(DirectoryPermission.USE_EDITOR_PAGES),
    )


class DirectoryConfig(AppConfig):
    """The Local Offer: a public SEND services directory and its Open Referral UK API.

    Never imports register, assessments or pathways (ARCHITECTURE.md): the public site
    cannot reach a child's record by any path (tests/test_architecture.py checks).
    """

    name = "inclusion.directory"
    label = "directory"
    verbose_name = "Local Offer directory"

    def ready(self) -> None:
        # After every migrate (and test database set-up): the full-text index and, on
        # SQLite, its triggers, which a migration rebuilding the service table drops
        # (inclusion/directory/search.py).
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="directory_search")
        _register_navigation()
