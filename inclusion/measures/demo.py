"""Demo measures (`manage.py load_demo`, after the plans): the numbers the two seed plans give,
and DfE's 2025 EHC plan statistics imported through the real importer.

What is loaded and where every number comes from: `demo_data/NOTICE.md`; why the published
statistics come from an extract of the release rather than the whole zip:
docs/adr/0018-measures-demo-and-benchmarks.md.

- **Seed figures**: a local measure for each dated figure in the seeds (and the two the
  issue names that the seeds give without a date, saying so), owned by the Lincolnshire
  partnership, with the figure as an entered observation whose note quotes the seed's
  sentence, the earliest figure as the baseline, and a target only where the seed states
  one, or one marked "Demo target, not from the seed" where the demo needs a target to
  show the evidence-against-RAG feature.
- **Published statistics**: `published_statistics_import` with the shipped mappings the
  dashboards need, from `demo_data/` (every row of those mappings' files for England,
  the regions, the East Midlands and the neighbours, every local authority for 20-week
  timeliness). Lincolnshire uses the key measures, with owners, baselines and targets.
- **Links** to the areas and actions of the 2019 action plan (the inclusion plan has
  commitments only, which a measure cannot evidence), found by words in their text: a
  changed seed wording fails the load, naming the words, rather than losing a link.
- **Statistical neighbours**: ten shire counties chosen for the demo (not DfE's list).

Idempotent like every demo loader: an object that exists is left exactly as it is (someone
may have edited it), and the import changes nothing the second time. This module imports
no domain app (tests/test_architecture.py): areas and actions are reached through
`MeasureEvidence`'s foreign keys.
"""

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from inclusion.accounts.models import Partnership
from inclusion.core.demo import DEMO_VIA, register_demo
from inclusion.measures.areas import ENGLAND, geography_for_partnership
from inclusion.measures.importers import SHIPPED_RELEASE
from inclusion.measures.importers.mapping import load_mapping
from inclusion.measures.importers.opendata import ReadState, Source, read_mapping
from inclusion.measures.models import (
    ComparatorArea,
    Frequency,
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    Polarity,
    Target,
    Unit,
)
from inclusion.measures.periods import Period, calendar_year, financial_year, month
from inclusion.measures.services import (
    measure_create,
    measure_evidence_link,
    observation_record,
    partnership_measure_set,
    published_statistics_import,
    target_set,
)
from inclusion.measures.services.comparators import comparator_areas_set

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_PARTNERSHIP_SLUG = "lincolnshire"

# The seeds, as the notes cite them (the plans demo loads byte-for-byte copies of both).
SEED_ACTION_PLAN = (
    "Seed 004_e7921fd6a7a48019.txt (Lincolnshire, Action Plan Update August 2019; "
    "inclusion/plans/demo_data/action-plan-update-august-2019.txt)"
)
SEED_INCLUSION_PLAN = (
    "Seed 000_54c8d9248923dd13.txt (Lincolnshire's SEND and Alternative Provision Inclusion "
    "Plan; inclusion/plans/demo_data/send-ap-inclusion-plan.txt)"
)
DEMO_TARGET = "Demo target, not from the seed"

# ------------------------------------------------------------------ published statistics

RELEASE_EXTRACT = DEMO_DATA / "education-health-and-care-plans_2025-demo-extract.zip"
# The shipped mappings the demo imports: timeliness, requests, caseload, annual reviews,
# personal budgets and primary need (what the dashboards and the 2019 plan's EHC area use).
DEMO_MAPPINGS = (
    "ehcp_timeliness",
    "ehcp_requests",
    "ehcp_caseload",
    "ehcp_annual_reviews",
    "ehcp_personal_budgets",
    "ehcp_primary_need",
)
# Every local authority is kept for these files (a funnel plot compares all of them).
ALL_AUTHORITIES_FILES = {"timeliness_20_week.csv"}
EAST_MIDLANDS = "E12000004"

# Lincolnshire's statistical neighbours in the demo: CHOSEN FOR THE DEMO, NOT DfE's LIST
# (DfE's children's services statistical neighbour benchmarking tool could not be read
# here). Large, mostly rural shire counties: the East Midlands counties beside Lincolnshire,
# the East Anglian and south-western coastal counties, North Yorkshire and two West Midlands
# shires. Ranked alphabetically: the order says nothing about closeness.
NEIGHBOURS = {
    "E10000007": "Derbyshire",
    "E10000008": "Devon",
    "E10000018": "Leicestershire",
    "E10000020": "Norfolk",
    "E10000023": "North Yorkshire",
    "E10000024": "Nottinghamshire",
    "E10000027": "Somerset",
    "E10000028": "Staffordshire",
    "E10000029": "Suffolk",
    "E10000034": "Worcestershire",
}


@dataclass(frozen=True)
class DemoTarget:
    date: dt.date
    value: str
    note: str


@dataclass(frozen=True)
class Link:
    """The plan area (`kind="area"`, words in its title) or action (`"action"`, words in
    what it does) of the Lincolnshire action plan that a measure evidences."""

    kind: str
    words: str


@dataclass(frozen=True)
class PublishedUse:
    """Lincolnshire's use of a published measure; its baseline is the first published year."""

    code: str
    owner: str
    targets: tuple[DemoTarget, ...] = ()
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class SeedFigure:
    geography: str  # "own" (the partnership's LA) or a published code (ENGLAND)
    period: Period
    value: str
    quote: str  # the seed's words, verbatim (tests check they are in the seed)
    seed: str
    period_note: str = ""  # how the period was read when the seed does not date the figure

    def note(self) -> str:
        return f'{self.seed}: "{self.quote}"' + (f" {self.period_note}" if self.period_note else "")


@dataclass(frozen=True)
class SeedMeasure:
    code: str
    title: str
    unit: str
    polarity: str
    frequency: str
    description: str
    data_source: str
    owner: str
    figures: tuple[SeedFigure, ...] = ()
    targets: tuple[DemoTarget, ...] = ()
    links: tuple[Link, ...] = ()
    numerator_definition: str = ""
    denominator_definition: str = ""

    def baseline(self) -> SeedFigure | None:
        """The partnership's earliest figure."""
        own = [f for f in self.figures if f.geography == "own"]
        return min(own, key=lambda f: f.period.start) if own else None


EHC_QUALITY_AREA = Link("area", "To improve the quality of Education, Health and Care Plans")
SEND_SERVICE = "SEND Service, Lincolnshire County Council"

PUBLISHED_USES = (
    PublishedUse(
        "ehcp_20wk_incl_exceptions",
        SEND_SERVICE,
        targets=(
            DemoTarget(
                dt.date(2025, 12, 31),
                "90",
                f"{DEMO_TARGET}: chosen to show a published measure against a target.",
            ),
        ),
        links=(EHC_QUALITY_AREA,),
    ),
    PublishedUse("ehcp_20wk_excl_exceptions", SEND_SERVICE, links=(EHC_QUALITY_AREA,)),
    PublishedUse("ehcp_requests", SEND_SERVICE),
    PublishedUse("ehcp_requests_decided_6wk", SEND_SERVICE, links=(EHC_QUALITY_AREA,)),
    PublishedUse(
        "ehcp_reviews_decided_4wk",
        SEND_SERVICE,
        targets=(
            DemoTarget(
                dt.date(2025, 12, 31),
                "90",
                f"{DEMO_TARGET}: chosen so that the evidence disagrees with the action's "
                "Amber rating (the seed's progress text names the annual reviews).",
            ),
        ),
        links=(EHC_QUALITY_AREA,),
    ),
    PublishedUse("ehcp_caseload", SEND_SERVICE),
    PublishedUse("ehcp_personal_budgets", SEND_SERVICE),
    PublishedUse(
        "ehcp_need_mld_pc",
        "Kate Capel",
        links=(Link("action", "Ensure accurate coding within the Schools Census"),),
    ),
    PublishedUse("ehcp_need_asd_pc", SEND_SERVICE),
    PublishedUse("ehcp_need_semh_pc", SEND_SERVICE),
    PublishedUse("ehcp_need_slcn_pc", SEND_SERVICE),
)

# ------------------------------------------------------------------ the seeds' figures

SEED_MEASURES = (
    SeedMeasure(
        code="lincs_lens_sen_support_rwm_gap",
        title="Gap in reading, writing and maths combined between LENS and non-LENS schools' "
        "SEN Support pupils",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.LOWER,
        frequency=Frequency.ANNUALLY,
        description="The gap in attainment in reading, writing and maths combined between the "
        "SEN Support pupils of the schools in the LENS school improvement project and those "
        "of the other schools, in percentage points. The seed gives the years as 2018 and "
        "2019.",
        data_source="Lincolnshire County Council, LENS school improvement project, as reported "
        "in the SEND action plan update of August 2019",
        owner="Martin Smith",
        figures=tuple(
            SeedFigure(
                "own",
                calendar_year(year),
                value,
                "The GAP between the LENS and non-LENS cohort in Reading, Writing and Maths "
                "combined has reduced from 4.9% in 2018 to 3.0% in 2019.",
                SEED_ACTION_PLAN,
            )
            for year, value in ((2018, "4.9"), (2019, "3.0"))
        ),
        links=(Link("action", "Focused work with schools to enhance the support for pupils"),),
    ),
    SeedMeasure(
        code="lincs_mld_primary_need_pc",
        title="Pupils identified with moderate learning difficulty as their primary need",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.LOWER,
        frequency=Frequency.ANNUALLY,
        description="The proportion of pupils identified with moderate learning difficulty "
        "(MLD) as their primary need, which the 2019 action plan found higher than seen "
        "nationally and set out to code accurately in the School Census.",
        data_source="As reported in the SEND action plan update of August 2019, against the "
        "England figure (the seed does not name the collection)",
        owner="Kate Capel",
        figures=tuple(
            SeedFigure(
                geography,
                month(2019, 8),
                value,
                "overall the county continues to have a higher proportion of pupils identified "
                "with this need (27.6% compared to England figure of 21.6%)",
                SEED_ACTION_PLAN,
                "The seed gives the figures as progress at August 2019, without their own date.",
            )
            for geography, value in (("own", "27.6"), (ENGLAND, "21.6"))
        ),
        links=(Link("action", "Ensure accurate coding within the Schools Census"),),
    ),
    SeedMeasure(
        code="lincs_hv_review_2_5_year_pc",
        title="Mandated health visitor reviews at two and a half years delivered",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.HIGHER,
        frequency=Frequency.MONTHLY,
        description="Delivery of the mandated two to two-and-a-half year health review of the "
        "Healthy Child Programme by the Children's Health Service 0-19.",
        data_source="Children's Health Service 0-19, as reported in the SEND action plan update "
        "of August 2019",
        owner="Linda Dennett",
        figures=tuple(
            SeedFigure(
                "own",
                month(2019, number),
                value,
                "81% at end of May 2019 (39% February 2019).",
                SEED_ACTION_PLAN,
            )
            for number, value in ((2, "39"), (5, "81"))
        ),
        targets=(
            DemoTarget(
                dt.date(2019, 8, 31),
                "80",
                f"{DEMO_TARGET}: the seed states no figure; dated at the action's deadline "
                "(31.08.19), so the evidence (81% in May 2019) disagrees with the action's "
                "Amber rating.",
            ),
        ),
        links=(Link("action", "Improve timeliness and completion rates of the mandated health"),),
    ),
    SeedMeasure(
        code="lincs_lead_hub_positive_pc",
        title="Leaders who felt the L.E.A.D. teaching school hub had a positive impact",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.HIGHER,
        frequency=Frequency.ANNUALLY,
        description="Leaders answering the DfE survey of the L.E.A.D. teaching school hub "
        "Lincolnshire who felt the hub had a positive impact.",
        data_source="DfE survey, July 2023, as reported in the SEND and AP inclusion plan",
        owner="L.E.A.D. teaching school hub Lincolnshire",
        figures=(
            SeedFigure(
                "own",
                month(2023, 7),
                "99",
                "99% of leaders felt that the hub had a positive impact in the latest DfE survey "
                "July 2023",
                SEED_INCLUSION_PLAN,
            ),
        ),
    ),
    *(
        SeedMeasure(
            code=code,
            title=f"Parents and carers after the SPD workshops who {what}",
            unit=Unit.PERCENTAGE,
            polarity=Polarity.HIGHER,
            frequency=Frequency.ANNUALLY,
            description="Evaluation of the pilot's on-line workshops on sensory processing "
            "difficulties (SPD), delivered by the behavioural specialist of Aspens.",
            data_source="Evaluation following the pilot SPD workshops, as reported in the SEND "
            "and AP inclusion plan",
            owner="NHS Lincolnshire ICB",
            figures=(
                SeedFigure(
                    "own",
                    financial_year(2023),
                    "80",
                    quote,
                    SEED_INCLUSION_PLAN,
                    "The seed gives no date for this evaluation: recorded in 2023-24, the year "
                    'before the "further six workshops ... throughout 2024-25" it plans.',
                ),
            ),
        )
        for code, what, quote in (
            (
                "lincs_spd_parents_more_confident_pc",
                "felt more confident in supporting their child's sensory processing needs",
                "80% felt more confident in supporting their child’s sensory processing needs",
            ),
            (
                "lincs_spd_parents_knew_enough_pc",
                "felt they knew enough about SPD and how it affected their child",
                "80% felt they knew enough about SPD and how it impacted their child",
            ),
            (
                "lincs_spd_parents_knew_strategies_pc",
                "felt they knew a range of strategies to help manage their child's SPD",
                "80% felt they now knew a range of strategies they could implement to help "
                "manage their child with SPD",
            ),
        )
    ),
    SeedMeasure(
        code="lincs_spd_workshops",
        title="SPD workshops for families and professionals",
        unit=Unit.COUNT,
        polarity=Polarity.HIGHER,
        frequency=Frequency.ANNUALLY,
        description="Workshops on sensory processing difficulties (SPD) delivered for families "
        "and professionals by the behavioural specialist the ICB commissions from Aspens.",
        data_source="NHS Lincolnshire ICB (commissioner); no figure in the seeds yet",
        owner="NHS Lincolnshire ICB",
        targets=(
            DemoTarget(
                dt.date(2025, 3, 31),
                "6",
                f'{SEED_INCLUSION_PLAN}: "a further six workshops shall take place throughout '
                '2024-25". Dated at the end of the 2024-25 financial year (the ICB commissions '
                "them).",
            ),
        ),
    ),
    SeedMeasure(
        code="lincs_autism_assessment_wait_weeks",
        title="Waiting time for an autism assessment (children and young people)",
        unit=Unit.WEEKS,
        polarity=Polarity.LOWER,
        frequency=Frequency.MONTHLY,
        description="How long children and young people wait for an autism assessment. Both "
        "seeds make reducing it an aim; neither gives a figure.",
        data_source="NHS providers of the autism diagnostic pathway; no figure in the seeds",
        owner="Sally Savage/CCG",
        links=(Link("action", "Develop a new diagnostic and support pathway"),),
    ),
    SeedMeasure(
        code="lincs_lac_iha_on_time_pc",
        title="Initial health assessments for looked-after children completed on time",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.HIGHER,
        frequency=Frequency.MONTHLY,
        description="Initial health assessments (IHAs) for children coming into care completed "
        "on time. The 2019 action plan aims to increase their timeliness; it gives no figure.",
        data_source="LAC Health team (NHS) and the council's MOSAIC records; no figure in the "
        "seeds",
        owner="John Harris/CCG",
        numerator_definition="IHAs completed on time",
        denominator_definition="Children who became looked after and were due an IHA",
        links=(Link("action", "The development of an effective plan to rectify the delays"),),
    ),
)


# ------------------------------------------------------------------ the loader


class DemoDataError(RuntimeError):
    """The demo cannot be loaded as written: a seed wording it looks for has changed."""


@dataclass
class _Counts:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, what: str) -> None:
        self.created[what] += 1


def load_measures() -> list[str]:
    partnership = Partnership.objects.get(slug=DEMO_PARTNERSHIP_SLUG)
    counts = _Counts()
    lines: list[str] = []
    result = published_statistics_import(
        source=RELEASE_EXTRACT, mapping=list(DEMO_MAPPINGS), via=DEMO_VIA
    )
    if result.changed:
        lines.append(f"Published statistics: {result.message()}")
    own = geography_for_partnership(partnership, via=DEMO_VIA)
    links = _LinkFinder(partnership)
    for spec in PUBLISHED_USES:
        _published_use(partnership, own, spec, links, counts)
    for spec in SEED_MEASURES:
        _seed_measure(partnership, own, spec, links, counts)
    _neighbours(partnership, counts)
    if counts.created:
        lines.append(
            "Measures: created "
            + ", ".join(f"{n} {what}" for what, n in sorted(counts.created.items()))
        )
    if links.missing_plan:
        lines.append(
            "WARNING: demo measures are not linked to plan actions: Lincolnshire has no "
            "areas yet (are the demo plans loaded?)"
        )
    return lines


def _use(
    partnership: Partnership, measure: Measure, counts: _Counts, **fields: Any
) -> PartnershipMeasure:
    use = PartnershipMeasure.objects.filter(partnership=partnership, measure=measure).first()
    if use is None:
        use = partnership_measure_set(
            partnership=partnership, measure=measure, via=DEMO_VIA, **fields
        )
        counts.add("measure uses")
    return use


def _targets(use: PartnershipMeasure, targets: Iterable[DemoTarget], counts: _Counts) -> None:
    for target in targets:
        if not Target.objects.filter(partnership_measure=use, date=target.date).exists():
            target_set(
                partnership_measure=use,
                date=target.date,
                value=target.value,
                note=target.note,
                via=DEMO_VIA,
            )
            counts.add("targets")


def _published_use(
    partnership: Partnership,
    own: Geography,
    spec: PublishedUse,
    links: "_LinkFinder",
    counts: _Counts,
) -> None:
    measure = Measure.objects.get(code=spec.code, kind=Measure.Kind.PUBLISHED)
    first = (
        Observation.objects.filter(
            measure=measure,
            geography=own,
            partnership__isnull=True,
            breakdown_topic="",
            breakdown="",
            value__isnull=False,
        )
        .order_by("period_start")
        .first()
    )
    baseline = (
        {
            "baseline_value": first.value,
            "baseline_date": first.period_end,
            "baseline_note": f"The first year of the published series ({first.period.display()}): "
            f"{first.source_reference}",
        }
        if first is not None
        else {}
    )
    use = _use(partnership, measure, counts, owner=spec.owner, **baseline)
    _targets(use, spec.targets, counts)
    links.link(use, spec.links, counts)


def _seed_measure(
    partnership: Partnership,
    own: Geography,
    spec: SeedMeasure,
    links: "_LinkFinder",
    counts: _Counts,
) -> None:
    measure = Measure.objects.filter(code=spec.code).first()
    if measure is None:
        measure = measure_create(
            partnership=partnership,
            code=spec.code,
            title=spec.title,
            unit=spec.unit,
            polarity=spec.polarity,
            frequency=spec.frequency,
            description=spec.description,
            data_source=spec.data_source,
            numerator_definition=spec.numerator_definition,
            denominator_definition=spec.denominator_definition,
            via=DEMO_VIA,
        )
        counts.add("local measures")
    baseline = spec.baseline()
    use = _use(
        partnership,
        measure,
        counts,
        owner=spec.owner,
        **(
            {
                "baseline_value": Decimal(baseline.value),
                "baseline_date": baseline.period.end,
                "baseline_note": baseline.note(),
            }
            if baseline
            else {}
        ),
    )
    _targets(use, spec.targets, counts)
    for figure in spec.figures:
        geography = (
            own if figure.geography == "own" else Geography.objects.get(code=figure.geography)
        )
        exists = Observation.objects.filter(
            partnership=partnership,
            measure=measure,
            geography=geography,
            period_type=figure.period.type,
            period_start=figure.period.start,
            period_end=figure.period.end,
            breakdown_topic="",
            breakdown="",
        ).exists()
        if not exists:
            observation_record(
                partnership=partnership,
                measure=measure,
                geography=geography,
                period=figure.period,
                value=figure.value,
                note=figure.note(),
                via=DEMO_VIA,
            )
            counts.add("observations")
    links.link(use, spec.links, counts)


class _LinkFinder:
    """The action plan's areas and actions, by words in their text; exactly one must match."""

    def __init__(self, partnership: Partnership):
        self.partnership = partnership
        # The plans app's models, through the foreign keys (this app imports no domain app).
        self.models: dict[str, type[models.Model]] = {
            kind: MeasureEvidence._meta.get_field(kind).related_model  # type: ignore[misc]
            for kind in ("area", "action")
        }
        self.text_field = {"area": "title", "action": "how"}
        self.missing_plan = not self._objects("area").exists()

    def _objects(self, kind: str) -> models.QuerySet:
        return self.models[kind]._default_manager.filter(plan__partnership=self.partnership)

    def find(self, link: Link) -> models.Model:
        found = list(
            self._objects(link.kind).filter(
                **{f"{self.text_field[link.kind]}__icontains": link.words}
            )
        )
        if len(found) != 1:
            raise DemoDataError(
                f"demo measures: {len(found)} {link.kind}s of the Lincolnshire plans have the "
                f"words '{link.words}' (exactly one should): has the seed's wording changed? "
                "Update inclusion/measures/demo.py"
            )
        return found[0]

    def link(self, use: PartnershipMeasure, links: Iterable[Link], counts: _Counts) -> None:
        if self.missing_plan:
            return
        for link in links:
            target = self.find(link)
            if not MeasureEvidence.objects.filter(
                partnership_measure=use, **{link.kind: target}
            ).exists():
                measure_evidence_link(partnership_measure=use, via=DEMO_VIA, **{link.kind: target})
                counts.add("evidence links")


def _neighbours(partnership: Partnership, counts: _Counts) -> None:
    """The demo's neighbour set, unless the partnership has chosen its own already."""
    if ComparatorArea.objects.filter(partnership=partnership).exists():
        return
    geographies = {g.code: g for g in Geography.objects.filter(code__in=NEIGHBOURS)}
    missing = sorted(set(NEIGHBOURS) - set(geographies))
    if missing:
        raise DemoDataError(
            f"demo measures: the neighbours {', '.join(missing)} are not in the imported "
            "statistics: rebuild the extract (release_extract_write)"
        )
    chosen = [geographies[code] for code in sorted(NEIGHBOURS, key=NEIGHBOURS.__getitem__)]
    comparator_areas_set(partnership=partnership, geographies=chosen, via=DEMO_VIA)
    for _ in chosen:
        counts.add("statistical neighbours")


# ------------------------------------------------------------------ the release extract


def release_extract_members(source: Path = SHIPPED_RELEASE) -> dict[str, bytes]:
    """The demo's extract of the release: for each file the demo's mappings read, the header
    and the rows those mappings use, for England, the regions, the East Midlands authorities
    and the neighbours (every authority for `ALL_AUTHORITIES_FILES`). Lines are copied byte
    for byte, in the release's order; {path in the zip: CSV bytes}."""
    opened = Source(source)
    try:
        state = ReadState()
        paths: dict[str, str] = {}
        for name in DEMO_MAPPINGS:
            mapping = load_mapping(name)
            file = opened.find(mapping, required=True)
            assert file is not None
            paths[file.name] = file.path
            read_mapping(source=opened, file=file, mapping=mapping, state=state)
        state.problems.raise_if_any()
        book = state.geographies.seen
        keep: dict[str, set[int]] = defaultdict(set)
        for observation in state.observations.values():
            geography = book[observation.geography]
            wanted = (
                observation.file in ALL_AUTHORITIES_FILES
                or geography.level != Geography.Level.LOCAL_AUTHORITY
                or geography.parent_code == EAST_MIDLANDS
                or geography.code in NEIGHBOURS
            )
            if wanted:
                keep[observation.file].add(observation.row)
        members = {}
        archive = zipfile.ZipFile(source)
        with archive:
            for name, path in paths.items():
                data = archive.read(path)
                lines = data.splitlines(keepends=True)
                rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
                if rows != len(lines):
                    # A quoted cell with a line break: the line numbers are not rows.
                    raise DemoDataError(f"{path} has rows over several lines: extract by hand")
                members[path] = b"".join(
                    line
                    for number, line in enumerate(lines, start=1)
                    if number == 1 or number in keep[name]
                )
        return members
    finally:
        opened.close()


def release_extract_write(path: Path = RELEASE_EXTRACT, source: Path = SHIPPED_RELEASE) -> Path:
    """Rebuild the extract (after a new release or a change to the demo's mappings):

    .venv/bin/python manage.py shell -c "from inclusion.measures.demo import release_extract_write; release_extract_write()"
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for member, content in release_extract_members(source).items():
            # A fixed date: the same rows make the same zip.
            info = zipfile.ZipInfo(member, date_time=(2025, 7, 1, 10, 15, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, content)
    return path


# After the plans (20), whose areas and actions the measures evidence.
register_demo(
    "measures: seed figures, published EHC plan statistics, neighbours", load_measures, 30
)
