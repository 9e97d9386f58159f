"""A generated plan for the benchmarks: priorities, areas, actions, leads, updates, deadlines.

Benchmark data, not a user path: rows are written with `bulk_create` (the services write
one row and one audit entry at a time, which would take longer than the benchmark itself)
and one audit event records that the data was generated (docs/adr/0012-benchmarks.md).
Everything lives in its own partnership, "Benchmark partnership", under plans titled
"Benchmark plan...", so it never mixes with demo data; `bench/run.py` also only ever
writes to a throwaway database.

The shape follows the seed action plan (shared/seeds/004_e7921fd6a7a48019.txt): an area
for improvement per row group, a "how", a by-when written as a day or a month, one or two
leads written as the source writes them (a person, "Health DCO", "CCG"), and dated
progress narratives of a few paragraphs with a RAG rating. Updates are monthly up to
today, so the quarter since the last board report holds about three updates per action.
Random choices come from a seeded generator: the same size always makes the same plan.
"""

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models, transaction
from tqdm import tqdm

from inclusion.accounts.models import Organisation, Partnership, Role, User
from inclusion.core import audit
from inclusion.plans.models import (
    Action,
    ActionLead,
    Area,
    Board,
    Commitment,
    DeadlineChange,
    Plan,
    Priority,
    ProgressUpdate,
    Rag,
)

PARTNERSHIP_NAME = "Benchmark partnership"
PARTNERSHIP_SLUG = "benchmark"
ADMIN_USERNAME = "bench-admin"
VIA = "command: bench"
BATCH = 2000

ORGANISATIONS = [
    ("Benchmark County Council", "BCC", Organisation.Kind.LOCAL_AUTHORITY),
    ("Benchmark ICB", "ICB", Organisation.Kind.ICB),
    ("Benchmark Community Health NHS Trust", "BCHT", Organisation.Kind.NHS_TRUST),
    ("Benchmark Parent Carer Forum", "BPCF", Organisation.Kind.PARENT_CARER_FORUM),
]
BOARDS = ["SEND Partnership Board", "SEND Health Committee", "Quality Assurance Board"]
# Leads as plans write them: people, roles and organisations' short names.
PEOPLE = [
    f"{first} {last}"
    for first, last in zip(
        "Amira Ben Chloe Dev Erin Femi Grace Harry Imran Jess Kofi Lena Mo Nia Owen".split(),
        "Ashworth Brook Carter Dunn Ellis Foster Gill Hale Iqbal Jones Khan Lowe Mills Nash Owen".split(),
        strict=True,
    )
]
ROLES_AND_BODIES = ["Health DCO", "CCG", "ICB", "BCHT", "Post 16 providers", "SENCO network"]

SENTENCES = [
    "A task and finish group has met monthly and agreed revised guidance with schools.",
    "The Designated Clinical Officer is reviewing the quality of health advice in EHC plans.",
    "Audit of a sample of plans found most outcomes were specific and measurable.",
    "Training for SENCOs was delivered across all localities with good attendance.",
    "Waiting times for neurodevelopmental assessment have fallen since the new pathway began.",
    "The parent carer forum co-produced the revised Local Offer pages and booklet.",
    "Data on the completion of two and a half year reviews is now reported monthly.",
    "Further work is needed to embed the process in every locality before the deadline.",
    "Capacity in the team was reduced this quarter, which has delayed the next phase.",
    "A new dashboard lets the board track timeliness of EHC needs assessments each month.",
    "Schools have been asked to check census coding of primary need before the return.",
    "An associate DCO has been appointed and started to quality assure clinical reports.",
    "Initial health assessments booked within 15 days rose for the third month running.",
    "Commissioners agreed funding for additional speech and language therapy sessions.",
    "The steering group reviewed risks and agreed a recovery plan with named owners.",
]
RATIONALES = [
    "Milestones met this quarter and evidence reviewed by the board.",
    "Slippage against the agreed timescale; a recovery plan is in place.",
    "Dependencies on another partner's work are not yet resolved.",
    "Completed and signed off by the partnership board.",
]

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class PlanSize:
    priorities: int
    actions: int
    updates_per_action: int
    areas_per_priority: int = 5
    commitments_per_priority: int = 4
    # One action in this many has had its by-when moved (with a reason).
    deadline_change_every: int = 25

    @property
    def updates(self) -> int:
        return self.actions * self.updates_per_action


FULL = PlanSize(priorities=20, actions=2000, updates_per_action=20)
QUICK = PlanSize(priorities=4, actions=200, updates_per_action=5)
# A small plan beside the big one: a page whose query count differs between the two
# runs one query per row somewhere.
PROBE = PlanSize(priorities=2, actions=20, updates_per_action=3, areas_per_priority=2)


@dataclass(frozen=True)
class GeneratedPlan:
    plan_id: str
    slug: str
    title: str
    counts: dict[str, int]
    busiest_lead: str
    amber_overdue: int


def _batches(items: list[M], size: int) -> Iterator[list[M]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _bulk(model: type[M], rows: list[M], *, label: str, progress: bool) -> None:
    with tqdm(
        total=len(rows), desc=f"  {label}", unit="row", disable=not progress, leave=False
    ) as bar:
        for batch in _batches(rows, BATCH):
            model.objects.bulk_create(batch)
            bar.update(len(batch))


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(count))


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def benchmark_partnership() -> tuple[Partnership, User]:
    """The benchmark partnership, its organisations and boards, and an admin to log in as."""
    partnership, _ = Partnership.objects.get_or_create(
        slug=PARTNERSHIP_SLUG, defaults={"name": PARTNERSHIP_NAME}
    )
    orgs = []
    for name, short, kind in ORGANISATIONS:
        org, _ = Organisation.objects.get_or_create(
            partnership=partnership, name=name, defaults={"short_name": short, "kind": kind}
        )
        orgs.append(org)
    for name in BOARDS:
        Board.objects.get_or_create(partnership=partnership, name=name)
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        admin = User(
            username=ADMIN_USERNAME,
            first_name="Bench",
            last_name="Admin",
            organisation=orgs[0],
            role=Role.ADMIN,
        )
        # The benchmark logs in with force_login: nobody can sign in as this user.
        admin.set_unusable_password()
        admin.save()
    return partnership, admin


def plan_generate(
    *,
    size: PlanSize,
    title: str,
    slug: str,
    today: dt.date,
    seed: int = 2026,
    progress: bool = True,
) -> GeneratedPlan:
    """Write a plan of `size` into the benchmark partnership, replacing one with the same slug."""
    rng = random.Random(seed)
    partnership, admin = benchmark_partnership()
    orgs = {o.short_name: o for o in Organisation.objects.filter(partnership=partnership)}
    boards = list(Board.objects.filter(partnership=partnership).order_by("name"))
    with transaction.atomic():
        # A rerun on a kept database starts again rather than adding a second copy.
        Plan.objects.filter(partnership=partnership, slug=slug).delete()
        plan = Plan(
            partnership=partnership,
            kind=Plan.Kind.INSPECTION_ACTION,
            title=title,
            slug=slug,
            description="Generated for the benchmarks in bench/; not a real plan.",
            period_start=_months_before(today, size.updates_per_action + 1).replace(day=1),
            period_end=today + dt.timedelta(days=540),
            # The quarter since the last board report is what the overview shows as changed.
            last_report_date=today - dt.timedelta(days=92),
            created_by=admin,
        )
        plan.full_clean()
        plan.save()

        priorities = [
            Priority(
                plan=plan,
                position=p,
                title=f"Priority {p + 1}: {SENTENCES[p % len(SENTENCES)][:-1]}",
                description=_paragraphs(rng, 1),
            )
            for p in range(size.priorities)
        ]
        _bulk(Priority, priorities, label="priorities", progress=progress)
        commitments = [
            Commitment(
                priority=priority,
                kind=Commitment.Kind.ACHIEVED if c % 2 == 0 else Commitment.Kind.NEXT,
                position=c // 2,
                text=rng.choice(SENTENCES),
            )
            for priority in priorities
            for c in range(size.commitments_per_priority)
        ]
        _bulk(Commitment, commitments, label="commitments", progress=progress)
        areas = [
            Area(
                plan=plan,
                priority=priority,
                position=p * size.areas_per_priority + a,
                title=f"To improve {rng.choice(SENTENCES)[:-1].lower()}",
            )
            for p, priority in enumerate(priorities)
            for a in range(size.areas_per_priority)
        ]
        _bulk(Area, areas, label="areas", progress=progress)

        actions: list[Action] = []
        leads: list[ActionLead] = []
        updates: list[ProgressUpdate] = []
        changes: list[DeadlineChange] = []
        per_area = -(-size.actions // len(areas))
        for i in tqdm(range(size.actions), desc="  actions", disable=not progress, leave=False):
            by_when = today + dt.timedelta(days=rng.randint(-540, 540))
            monthly = rng.random() < 0.2
            action = Action(
                area=areas[i // per_area],
                plan=plan,
                position=i % per_area,
                how=_paragraphs(rng, 1),
                by_when=by_when.replace(day=1) if monthly else by_when,
                by_when_precision="month" if monthly else "day",
                partners="Schools, health and social care" if i % 4 == 0 else "",
                board=boards[i % len(boards)] if i % 5 else None,
            )
            actions.append(action)

            names = [PEOPLE[i % len(PEOPLE)]]
            if i % 3 == 0:
                names.append(ROLES_AND_BODIES[(i // 3) % len(ROLES_AND_BODIES)])
            for position, name in enumerate(names):
                leads.append(
                    ActionLead(
                        action=action,
                        position=position,
                        name=name,
                        organisation=orgs.get(name),
                    )
                )

            rag = ""
            offset = rng.randint(0, 27)
            for k in range(size.updates_per_action):
                months_ago = size.updates_per_action - 1 - k
                date = _months_before(today, months_ago) - dt.timedelta(days=offset)
                date_monthly = rng.random() < 0.1
                last = k == size.updates_per_action - 1
                if last and i % 7 == 0:
                    new_rag = Rag.BLUE
                elif rng.random() < 0.3 or not rag:
                    new_rag = rng.choice([Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN])
                else:
                    new_rag = rag
                updates.append(
                    ProgressUpdate(
                        action=action,
                        date=date.replace(day=1) if date_monthly else date,
                        date_precision="month" if date_monthly else "day",
                        text=_paragraphs(rng, rng.randint(1, 3)),
                        rag=new_rag,
                        # ADR 0006: a change of rating carries its rationale; the first does not.
                        rag_rationale=rng.choice(RATIONALES) if rag and new_rag != rag else "",
                        author_name=names[0],
                    )
                )
                rag = new_rag
            latest = updates[-1]
            action.rag = latest.rag
            action.rag_date = latest.date

            if i % size.deadline_change_every == 0:
                changes.append(
                    DeadlineChange(
                        action=action,
                        changed_on=latest.date,
                        old_date=action.by_when - dt.timedelta(days=180),
                        old_precision=action.by_when_precision,
                        new_date=action.by_when,
                        new_precision=action.by_when_precision,
                        reason="Moved by the board: the work depends on the new system.",
                        changed_by_name=names[0],
                    )
                )

        _bulk(Action, actions, label="actions", progress=progress)
        _bulk(ActionLead, leads, label="leads", progress=progress)
        _bulk(ProgressUpdate, updates, label="updates", progress=progress)
        _bulk(DeadlineChange, changes, label="deadline changes", progress=progress)

        counts = {
            "priorities": len(priorities),
            "commitments": len(commitments),
            "areas": len(areas),
            "actions": len(actions),
            "leads": len(leads),
            "updates": len(updates),
            "deadline_changes": len(changes),
        }
        audit.log_event(
            "import",
            obj=plan,
            via=VIA,
            note=f"Benchmark data generated with bulk_create (no per-row audit): {counts}",
        )
    return GeneratedPlan(
        plan_id=str(plan.pk),
        slug=plan.slug,
        title=plan.title,
        counts=counts,
        busiest_lead=_busiest(lead.name for lead in leads),
        amber_overdue=sum(
            1
            for a in actions
            if a.rag == Rag.AMBER and a.is_overdue(today)  # the page's own rule
        ),
    )


def _busiest(names: Iterable[str]) -> str:
    return Counter(names).most_common(1)[0][0]


def summary(generated: GeneratedPlan) -> dict[str, Any]:
    return {
        "plan_id": generated.plan_id,
        "slug": generated.slug,
        "title": generated.title,
        "counts": generated.counts,
        "busiest_lead": generated.busiest_lead,
        "amber_overdue": generated.amber_overdue,
    }
