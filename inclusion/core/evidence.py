"""What the evidence says about a plan's actions, without plans importing the app that
knows (measures).

ARCHITECTURE.md: domain apps may use core, and measures knows no domain app. So the
measures app registers one provider here at start-up (`register_evidence_provider`), and
the plans pages and board report ask core (`evidence_for_actions`, `evidence_for_plan`).
With no provider registered (measures not installed) every action simply has no evidence.

Issue #3: "each action shows what its linked measures say (against target, trend, SPC
assurance) ... The human rating stays the rating of record; the difference is highlighted
on the plan overview and in the board report." `rag_differs` is the one rule for "the
difference".
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

# The ratings evidence can suggest, worst first (the values are plans.Rag's).
RED, AMBER, GREEN = "red", "amber", "green"
_RANK = {RED: 0, AMBER: 1, GREEN: 2}


@dataclass(frozen=True)
class EvidenceLine:
    """One measure's verdict on an action or plan area."""

    code: str  # the measure's code: "ehcp_20wk_incl_exceptions"
    title: str  # "EHC plans issued within 20 weeks (including exceptions)"
    # One sentence a board member reads: "20-week timeliness 40.3% (2024), below the 60%
    # target and falling for 3 periods; SPC: special cause, concerning (low)".
    sentence: str
    # What the evidence alone would rate: "red", "amber", "green", or "" when it cannot
    # say (no data, no target, a context measure).
    suggested_rag: str = ""
    url: str = ""  # the measure's page
    latest: str = ""  # "40.3% (2024)"
    target: str = ""  # "60% by 31 March 2026"


class EvidenceProvider(Protocol):
    def for_actions(
        self, *, partnership: Any, action_ids: Sequence[UUID]
    ) -> dict[UUID, list[EvidenceLine]]:
        """Evidence lines per action: measures linked to the action or to its area."""
        ...

    def for_plan(self, *, partnership: Any, plan_id: UUID) -> list[EvidenceLine]:
        """Every measure linked to the plan's areas or actions, once each."""
        ...


_providers: list[EvidenceProvider] = []


def register_evidence_provider(provider: EvidenceProvider) -> None:
    if not any(type(p) is type(provider) for p in _providers):
        _providers.append(provider)


def evidence_for_actions(
    *, partnership: Any, action_ids: Iterable[UUID]
) -> dict[UUID, list[EvidenceLine]]:
    ids = list(action_ids)
    found: dict[UUID, list[EvidenceLine]] = {}
    for provider in _providers:
        for action_id, lines in provider.for_actions(
            partnership=partnership, action_ids=ids
        ).items():
            found.setdefault(action_id, []).extend(lines)
    return found


def evidence_for_plan(*, partnership: Any, plan_id: UUID) -> list[EvidenceLine]:
    lines: list[EvidenceLine] = []
    for provider in _providers:
        lines.extend(provider.for_plan(partnership=partnership, plan_id=plan_id))
    return lines


def suggested_rag(lines: Iterable[EvidenceLine]) -> str:
    """The worst rating any line suggests ("" when none suggests one)."""
    rated = [line.suggested_rag for line in lines if line.suggested_rag in _RANK]
    return min(rated, key=_RANK.__getitem__) if rated else ""


def rag_differs(rag: str, lines: Iterable[EvidenceLine]) -> bool:
    """The human rating and the evidence disagree: the action is rated red, amber or green
    and its measures suggest another of the three. Complete (blue) and not-rated actions,
    and actions whose measures suggest nothing, are never flagged."""
    evidence = suggested_rag(lines)
    return rag in _RANK and evidence != "" and evidence != rag
