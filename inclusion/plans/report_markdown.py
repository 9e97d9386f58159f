"""The board report as Markdown (GitHub-flavoured pipe tables), shaped like the seed 004.

A cell holds one line: a cell of several paragraphs writes each as `<p>...</p>`, as the seed
does, so the importer that reads the seed reads this back. Pipes are escaped (`\\|`) and angle
brackets written as entities, so text can neither end a cell nor become HTML.
"""

import re
from collections.abc import Sequence

from inclusion.plans.reports import (
    AREA,
    BY_WHEN,
    DIFFERENCES_SECTION,
    HOW,
    HOW_LATE,
    LEAD,
    MEASURE_COLUMNS,
    MEASURES_SECTION,
    RAG_RATING,
    BoardReport,
    ReportChanges,
    differences_intro,
    measures_intro,
)

_SPACE = re.compile(r"\s+")


def md_text(text: str) -> str:
    """One line of cell text, safe inside a pipe table."""
    text = _SPACE.sub(" ", text or "").strip()
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_paragraphs(paragraphs: Sequence[str]) -> str:
    cleaned = [md_text(p) for p in paragraphs if p and p.strip()]
    if len(cleaned) <= 1:
        return "".join(cleaned)
    return " ".join(f"<p>{p}</p>" for p in cleaned)


def md_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = ()
) -> str:
    lines = ["| " + " | ".join(md_text(h) for h in header) + " |"]
    lines.append(
        "|" + "|".join("---:" if i in numeric else "---" for i in range(len(header))) + "|"
    )
    for row in rows:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _changes(changes: ReportChanges) -> list[str]:
    out = [f"## {md_text(changes.heading)}", "", "### New progress updates", ""]
    if changes.updates:
        out.append(
            md_table(
                ["Date", AREA, HOW, RAG_RATING, "Update"],
                [
                    [
                        md_text(u.date_text),
                        md_text(u.area_title),
                        md_text(u.how),
                        md_text(u.rag_label),
                        md_paragraphs(u.paragraphs),
                    ]
                    for u in changes.updates
                ],
            )
        )
    else:
        out.append("No progress update in this period.")
    out += ["", "### RAG rating changes", ""]
    if changes.rag_changes:
        out.append(
            md_table(
                ["Date", AREA, HOW, "From", "To", "Why"],
                [
                    [
                        md_text(c.date_text),
                        md_text(c.area_title),
                        md_text(c.how),
                        md_text(c.old_label),
                        md_text(c.new_label),
                        md_text(c.rationale),
                    ]
                    for c in changes.rag_changes
                ],
            )
        )
    else:
        out.append("No RAG rating changed in this period.")
    out += ["", "### Deadline changes", ""]
    if changes.deadline_changes:
        out.append(
            md_table(
                ["Changed on", AREA, HOW, "From", "To", "Reason"],
                [
                    [
                        md_text(d.changed_on_text),
                        md_text(d.area_title),
                        md_text(d.how),
                        md_text(d.old_text),
                        md_text(d.new_text),
                        md_text(d.reason),
                    ]
                    for d in changes.deadline_changes
                ],
            )
        )
    else:
        out.append("No deadline changed in this period.")
    return out + [""]


def _measures(report: BoardReport) -> list[str]:
    """The measures table, then the actions whose rating they do not bear out as a list (a
    table of actions would be read back as actions by the plan importer)."""
    out = [f"## {MEASURES_SECTION}", "", md_text(measures_intro(report)), ""]
    if not report.measures:
        return out
    out.append(
        md_table(
            MEASURE_COLUMNS,
            [
                [
                    md_text(m.title),
                    md_text(m.latest),
                    md_text(m.target),
                    md_text(m.summary),
                    md_text(m.suggested_label),
                ]
                for m in report.measures
            ],
        )
    )
    out += ["", f"### {DIFFERENCES_SECTION}", "", md_text(differences_intro(report)), ""]
    out += [
        f"- **{md_text(d.how)}** (area for improvement: {md_text(d.area_title)}). "
        f"{md_text(d.message)}"
        for d in report.evidence_differences
    ]
    return out + ([""] if report.evidence_differences else [])


def board_report_markdown(report: BoardReport) -> str:
    out = [
        f"# {md_text(report.title)}",
        "",
        f"{md_text(report.plan.title)}. {md_text(report.partnership_name)}.",
        "",
    ]
    out += ["## Summary", ""]
    out.append(
        md_table(
            [RAG_RATING, "Actions"],
            [[md_text(i.label), str(i.count)] for i in report.summary.items]
            + [["**Total**", f"**{report.summary.total}**"]],
            numeric=[1],
        )
    )
    out += ["", *_measures(report)]
    out += [f"## Overdue actions as of {md_text(report.as_of_text)}", ""]
    if report.overdue:
        out.append(
            md_table(
                [AREA, HOW, BY_WHEN, HOW_LATE, LEAD, RAG_RATING],
                [
                    [
                        md_text(r.area_title),
                        md_text(r.how),
                        md_text(r.by_when_text),
                        md_text(r.overdue_text),
                        md_text(r.lead),
                        md_text(r.rag_label),
                    ]
                    for r in report.overdue
                ],
            )
        )
    else:
        out.append(f"No action was overdue on {md_text(report.as_of_text)}.")
    out.append("")
    if report.changes is not None:
        out += _changes(report.changes)
    out += ["## Progress on each action", ""]
    out.append(
        md_table(
            report.columns,
            [
                [
                    md_text(r.area_title),
                    md_text(r.how),
                    md_text(r.by_when_text),
                    md_text(r.lead),
                    md_paragraphs(r.progress),
                    md_text(r.rag_label),
                ]
                for r in report.rows
            ],
        )
    )
    return "\n".join(out) + "\n"
