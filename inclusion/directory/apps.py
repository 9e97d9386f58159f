from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The Local Offer: a public SEND services directory and its Open Referral UK API.

    Never imports register, assessments or pathways (ARCHITECTURE.md): the public site
    cannot reach a child's record by any path (tests/test_architecture.py checks).
    """

    name = "inclusion.directory"
    label = "directory"
    verbose_name = "Local Offer directory"
