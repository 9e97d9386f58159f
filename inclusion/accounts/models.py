"""Partnerships, organisations, users and roles.

A partnership is a local area SEND partnership (the council, the ICB and NHS
trusts, schools, AP providers, the parent carer forum). Every user belongs to
one organisation, and so to one partnership; every query of partnership data is
scoped to it (see `inclusion.core.scoping`).
"""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models


class Partnership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    # Published LA codes (DOMAIN.md): old 3-digit (925) and new 9-character (E10000019).
    old_la_code = models.CharField(max_length=3, blank=True)
    new_la_code = models.CharField(max_length=9, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def partnership_id(self) -> uuid.UUID:
        return self.id


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        SCHOOL = "school", "School or setting"
        AP_PROVIDER = "ap_provider", "Alternative provision provider"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="organisations"
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="As plans write it: CCG, ICB, LPFT"
    )
    aliases = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other names plans use for it, comma-separated (an ICB's plans may say CCG)",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def known_names(self) -> set[str]:
        """Every name a plan may use for it, lower-cased: name, short name and aliases."""
        names = {self.name, self.short_name, *self.aliases.split(",")}
        return {" ".join(n.split()).lower() for n in names if n and n.strip()}


class Role(models.TextChoices):
    """What a user may do (docs/adr/0011-permissions.md has the matrix)."""

    ADMIN = "admin", "Administrator"
    PLAN_EDITOR = "plan_editor", "Plan editor"
    ACTION_LEAD = "action_lead", "Action lead"
    VIEWER = "viewer", "Viewer or board member"


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def partnership_id(self) -> uuid.UUID | None:
        return self.organisation.partnership_id if self.organisation_id else None

    @property
    def partnership(self) -> Partnership | None:
        return self.organisation.partnership if self.organisation_id else None
