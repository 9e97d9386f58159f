"""How plan data is shown: RAG wording and colours, by-when wording, overdue tags.

Colours are GOV.UK tag modifiers; the words always carry the meaning too, so
nothing depends on colour alone (WCAG 1.4.1).
"""

import datetime as dt
from typing import Any

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.models import Rag

_RAG_TAG = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.BLUE: "govuk-tag--blue",
    Rag.NOT_RATED: "govuk-tag--grey",
}


def rag_label(rag: str | None) -> str:
    return Rag(rag or "").label


def rag_colour(rag: str | None) -> str:
    """The GOV.UK tag class for a rating."""
    return _RAG_TAG[Rag(rag or "")]


def rag_tag(rag: str | None) -> dict[str, Any]:
    """Parameters for `govukTag`."""
    return {"text": rag_label(rag), "classes": rag_colour(rag)}


def by_when_text(value: PartialDate | None) -> str:
    return value.display() if value else "No date set"


def overdue_text(deadline: PartialDate | None, today: dt.date) -> str:
    """'Overdue by 3 weeks' wording for an overdue by-when."""
    if deadline is None:
        return ""
    days = (today - deadline.deadline).days
    if days <= 0:
        return ""
    if days < 14:
        return f"Overdue by {days} day{'s' if days != 1 else ''}"
    if days < 61:
        return f"Overdue by {days // 7} weeks"
    months = days // 30
    if months < 24:
        return f"Overdue by {months} months"
    return f"Overdue by {days // 365} years"


FILTERS: dict[str, Any] = {
    "rag_label": rag_label,
    "rag_colour": rag_colour,
    "rag_tag": rag_tag,
    "by_when_text": by_when_text,
}
