"""Inclusion plans written as prose: priorities with what was achieved and what comes next.

Reads plain text, Markdown and Word into lines (text, indent or list level,
heading level) and then one set of rules (docs/adr/0007-plan-import.md):

- The document's first line (or its Title / `#` heading) is the plan's title.
- A marker line ("What we have achieved so far", "What we've achieved",
  "What we will do next", "Next steps", ...) opens a list of commitments of that kind.
- A priority is the text just before its first marker: its first line is the
  priority's title, the paragraphs after it its description. A heading (Word style,
  Markdown `##`) always starts a priority.
- Each top-level bullet (•, -, *, ●, ◦, o, ▪, 1., a)) is one commitment; deeper
  bullets belong to the bullet above them, kept as their own "• ..." paragraphs; a
  line that carries on a bullet (no marker, no blank line before it, or indented
  under it) is joined to it with a space. Plain paragraphs under a marker are
  commitments too, so no text is dropped.
"""

import re
from dataclasses import dataclass

from inclusion.plans.importers import values
from inclusion.plans.importers.docx import read_docx_lines
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.types import (
    ParsedCommitment,
    ParsedPlan,
    ParsedPriority,
    Source,
)

ACHIEVED = "achieved"
NEXT = "next"

_MARKERS = [
    (
        ACHIEVED,
        re.compile(
            r"^(?:what\s+we(?:\s+have|'ve|’ve)\s+(?:achieved|done|delivered)(?:\s+so\s+far)?"
            r"|what\s+we\s+achieved|our\s+achievements|achievements(?:\s+so\s+far)?"
            r"|progress\s+so\s+far|what\s+has\s+been\s+achieved(?:\s+so\s+far)?)$"
        ),
    ),
    (
        NEXT,
        re.compile(
            r"^(?:what\s+we\s+will\s+do\s+next|what\s+we(?:'ll|’ll)\s+do\s+next"
            r"|what\s+we\s+will\s+do|what\s+we\s+are\s+going\s+to\s+do(?:\s+next)?"
            r"|what\s+(?:is|’s|'s)\s+next|(?:our\s+)?next\s+steps|next\s+actions"
            r"|what\s+happens\s+next|our\s+plans?\s+for\s+the\s+future)$"
        ),
    ),
]

_BULLET = re.compile(
    r"^(?P<indent>\s*)(?P<mark>[•●◦○▪■‣·∙\-\*+o]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,3}\))\s+(?P<text>\S.*)$"
)


def marker_kind(text: str) -> str | None:
    key = values.clean(re.sub(r"[#*_:\-–—]+", " ", text)).lower()
    for kind, pattern in _MARKERS:
        if pattern.match(key):
            return kind
    return None


@dataclass
class Line:
    text: str
    number: int  # line (text) or paragraph (Word) number, for messages
    blank_before: bool
    level: int | None = None  # bullet depth (0 = top), None when not a bullet
    indent: int = 0  # characters of indentation (text files)
    heading: int | None = None  # 0 for the title, 1..6 for headings


def lines_from_text(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = False
    indents: list[int] = []  # indentation of the bullets seen, to turn spaces into levels
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = raw.replace("\t", "    ").replace("\u00a0", " ").rstrip()
        if not raw.strip():
            blank = True
            continue
        heading = None
        md = re.match(r"^\s{0,3}(#{1,6})\s+(.*)$", raw)
        if md:
            heading = len(md.group(1))
            raw = md.group(2)
        bullet = _BULLET.match(raw) if heading is None else None
        if bullet:
            indent = len(bullet.group("indent"))
            while indents and indents[-1] > indent:
                indents.pop()
            if not indents or indents[-1] < indent:
                indents.append(indent)
            level = len(indents) - 1
            lines.append(Line(values.clean(bullet.group("text")), number, blank, level, indent))
        else:
            indent = len(raw) - len(raw.lstrip())
            lines.append(Line(_unmark(raw), number, blank, None, indent, heading))
        blank = False
    return lines


def _unmark(text: str) -> str:
    return values.clean(re.sub(r"(\*\*|__)(.+?)\1", r"\2", text))


def lines_from_docx(content: bytes) -> list[Line]:
    out: list[Line] = []
    for line in read_docx_lines(content):
        bullet = _BULLET.match(line.text) if line.level is None else None
        if bullet:  # a bullet typed as a character rather than a Word list
            out.append(Line(values.clean(bullet.group("text")), line.number, True, 0))
        else:
            out.append(Line(line.text, line.number, True, line.level, 0, line.heading))
    return out


def _is_marker(line: Line) -> str | None:
    if line.level is not None or len(line.text) > 80:
        return None
    return marker_kind(line.text)


def interpret_narrative(lines: list[Line], *, plan_title: str | None = None) -> ParsedPlan:
    if not lines:
        raise PlanImportError("the file has no text")
    title_index = next((i for i, line in enumerate(lines) if line.heading == 0), 0)
    title = lines[title_index].text
    body = (
        lines[title_index + 1 :]
        if title_index == 0
        else lines[:title_index] + lines[title_index + 1 :]
    )

    priorities: list[ParsedPriority] = []
    priority: ParsedPriority | None = None
    kind: str | None = None
    intro: list[str] = []
    loose: list[Line] = []  # plain text not yet known to be a priority heading or a commitment
    current: ParsedCommitment | None = None
    parent_indent = 0

    def commit(text: str, line: Line) -> ParsedCommitment:
        assert priority is not None and kind is not None
        commitment = ParsedCommitment(
            kind=kind,
            text=text,
            position=sum(1 for c in priority.commitments if c.kind == kind) + 1,
            source=Source(row=line.number),
        )
        priority.commitments.append(commitment)
        return commitment

    def start_priority(text_lines: list[Line]) -> None:
        nonlocal priority
        head, rest = text_lines[0], text_lines[1:]
        paragraphs: list[str] = []
        for line in rest:
            if paragraphs and not line.blank_before:
                paragraphs[-1] = f"{paragraphs[-1]} {line.text}"
            else:
                paragraphs.append(line.text)
        priority = ParsedPriority(
            title=head.text,
            description="\n\n".join(paragraphs),
            position=len(priorities) + 1,
            source=Source(row=head.number),
        )
        priorities.append(priority)

    def flush_loose_as_commitments() -> None:
        nonlocal current
        for line in loose:
            if current is not None and not line.blank_before:
                current.text = f"{current.text} {line.text}"
            else:
                current = commit(line.text, line)
        loose.clear()

    for line in body:
        marker = _is_marker(line)
        if marker:
            if loose:
                start_priority(loose)
                loose.clear()
            elif priority is None:
                # Markers straight after the title: one priority named like the plan.
                priority = ParsedPriority(title=title, position=1, source=Source(row=line.number))
                priorities.append(priority)
            kind, current = marker, None
            continue
        if line.heading is not None and line.heading > 0:
            if kind is not None:
                flush_loose_as_commitments()
            elif loose and priority is None:
                # Text between the title and the first heading: the plan's introduction.
                intro.extend(line.text for line in loose)
            elif loose:
                start_priority(loose)
            loose = [line]
            kind, current = None, None
            continue
        if kind is None:
            loose.append(line)
            continue
        if line.level is not None:
            if loose:
                flush_loose_as_commitments()
            if line.level == 0 or current is None:
                current = commit(line.text, line)
                parent_indent = line.indent
            else:
                current.text = f"{current.text}\n\n• {line.text}"
            continue
        # Plain text inside a list of commitments.
        wraps_bullet = current is not None and (
            not line.blank_before or (line.indent > parent_indent and not loose)
        )
        if wraps_bullet and not loose:
            current.text = f"{current.text} {line.text}"  # type: ignore[union-attr]
        else:
            loose.append(line)
    if kind is not None:
        flush_loose_as_commitments()
    if not priorities or not any(p.commitments for p in priorities):
        raise PlanImportError(
            "no commitments found: the plan needs headings such as 'What we have achieved so "
            "far' and 'What we will do next' with a bullet for each commitment"
        )
    return ParsedPlan(
        title=values.clean(plan_title) or title,
        kind="inclusion",
        priorities=priorities,
        description="\n\n".join(intro),
        is_public=True,
    )
