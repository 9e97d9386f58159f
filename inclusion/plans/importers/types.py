"""The neutral parsed plan that every reader produces and the import service applies.

Nothing here touches the database. Each item keeps where it came from (`row`,
`table`) so the service can name it in a message. `id` is set only by readers of
files that carry ids (the JSON interchange format); it makes re-import idempotent.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from inclusion.core.partial_dates import PartialDate


@dataclass
class Source:
    """Where an item was read: a line or spreadsheet row, and for Word the table."""

    row: int | None = None
    table: int | None = None


@dataclass
class ParsedUpdate:
    date: PartialDate
    text: str  # paragraphs separated by "\n\n"
    rag: str  # a value of Rag: "red", "amber", "green", "blue" or "" (not rated)
    rationale: str = ""
    author_name: str = ""
    id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ParsedDeadlineChange:
    changed_on: dt.date
    old_date: PartialDate | None
    new_date: PartialDate | None
    reason: str
    changed_by_name: str = ""
    id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ParsedAction:
    how: str
    by_when: PartialDate | None
    leads: list[str]
    partners: str = ""
    board: str = ""  # a board's name; "" for none
    position: int | None = None
    updates: list[ParsedUpdate] = field(default_factory=list)
    deadline_changes: list[ParsedDeadlineChange] = field(default_factory=list)
    id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)

    @property
    def rag(self) -> str:
        """The rating of record: the latest update's (the rule of services.actions)."""
        if not self.updates:
            return ""
        return max(enumerate(self.updates), key=lambda iu: (iu[1].date.value, iu[0]))[1].rag


@dataclass
class ParsedArea:
    title: str
    actions: list[ParsedAction] = field(default_factory=list)
    priority: str | None = None  # the title of the priority it sits under
    position: int | None = None
    id: uuid.UUID | None = None
    priority_id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ParsedCommitment:
    kind: str  # Commitment.Kind: "achieved" or "next"
    text: str
    position: int | None = None
    id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ParsedPriority:
    title: str
    description: str = ""
    commitments: list[ParsedCommitment] = field(default_factory=list)
    position: int | None = None
    id: uuid.UUID | None = None
    source: Source = field(default_factory=Source)


@dataclass
class ParsedBoard:
    name: str
    description: str = ""


@dataclass
class ParsedPlan:
    title: str
    kind: str  # Plan.Kind
    areas: list[ParsedArea] = field(default_factory=list)
    priorities: list[ParsedPriority] = field(default_factory=list)
    boards: list[ParsedBoard] = field(default_factory=list)
    slug: str = ""
    description: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    last_report_date: dt.date | None = None
    is_public: bool | None = None
    partnership_slug: str = ""
    id: uuid.UUID | None = None
    # What the reader used to date the progress updates, for the preview ("column header").
    update_date_from: str = ""
    # The reader used: markdown, html, docx, csv, xlsx, text or json (set by detect).
    source_format: str = ""

    @property
    def actions(self) -> list[ParsedAction]:
        return [action for area in self.areas for action in area.actions]

    @property
    def updates(self) -> list[ParsedUpdate]:
        return [update for action in self.actions for update in action.updates]
