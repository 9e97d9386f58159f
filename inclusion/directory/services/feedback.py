""" "Was this page useful?": a visitor's answer, and an editor acting on it.

The action plan (seed 004) asks that families' feedback is used to improve the Local
Offer: every answer is kept with the page it was about until an editor marks it actioned
or dismissed, with a note of what was done.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core.writes import save_changes, save_new
from inclusion.directory.models import Feedback, Service

COMMENT_MAX_CHARS = 2000

# The audit log's actor for anonymous visitors.
PUBLIC_VIA = "public site"


def feedback_submit(
    *,
    partnership: Partnership,
    page_path: str,
    useful: bool,
    comment: str = "",
    service: Service | None = None,
    via: str = PUBLIC_VIA,
) -> Feedback:
    """Keep a visitor's answer (anonymous: no user is recorded)."""
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"comment": f"Comment must be {COMMENT_MAX_CHARS:,} characters or fewer"}
        )
    if service is not None and service.partnership_id != partnership.pk:
        raise ValidationError({"service": "That service is not in this Local Offer"})
    with transaction.atomic():
        return save_new(
            Feedback(
                partnership=partnership,
                page_path=page_path[:500],
                useful=useful,
                comment=comment,
                service=service,
            ),
            via=via,
        )


def feedback_handle(
    *, feedback: Feedback, status: str, actor: Any, editor_note: str = "", via: str = ""
) -> Feedback:
    """Mark the feedback actioned, dismissed (or new again), noting what was done."""
    if status not in Feedback.Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}"})
    if getattr(actor, "partnership_id", None) != feedback.partnership_id:
        raise ValidationError("That feedback is another partnership's")
    handled = status != Feedback.Status.NEW
    with transaction.atomic():
        return save_changes(
            feedback,
            actor=actor,
            via=via,
            status=status,
            editor_note=editor_note.strip(),
            handled_by=actor if handled else None,
            handled_at=timezone.now() if handled else None,
        )
