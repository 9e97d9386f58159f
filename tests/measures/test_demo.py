"""The measures demo (`inclusion/measures/demo.py`): the seeds' figures with their dates and
sources, DfE's statistics through the importer, the neighbours, the links to the plan, and a
second load that changes nothing."""

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from inclusion.accounts.models import Partnership, User
from inclusion.core import demo as core_demo
from inclusion.core.evidence import evidence_for_actions, rag_differs
from inclusion.core.models import AuditLog
from inclusion.measures import demo
from inclusion.measures.areas import ENGLAND
from inclusion.measures.importers import SHIPPED_RELEASE
from inclusion.measures.models import (
    ComparatorArea,
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
)
from inclusion.plans.models import Action, Area
from tests.conftest import SEED_ACTION_PLAN, SEED_INCLUSION_PLAN

SEEDS = {demo.SEED_ACTION_PLAN: SEED_ACTION_PLAN, demo.SEED_INCLUSION_PLAN: SEED_INCLUSION_PLAN}


def words(text: str) -> str:
    """Seed text with its runs of spaces and line breaks as one space."""
    return " ".join(text.split())


def seed_text(seed: str) -> str:
    return words(SEEDS[seed].read_text(encoding="utf-8"))


@pytest.fixture
def lincolnshire(db) -> Partnership:
    call_command("load_demo", stdout=io.StringIO())
    return Partnership.objects.get(slug="lincolnshire")


def own_values(partnership: Partnership, code: str, geography: str = "E10000019"):
    return {
        (o.period_start, o.period_end): o
        for o in Observation.objects.filter(
            measure__code=code, geography__code=geography, partnership=partnership
        )
    }


# ------------------------------------------------------------------ the seeds, word for word


def test_every_seed_figure_quotes_its_seed_word_for_word_and_the_quote_holds_the_value():
    figures = [f for m in demo.SEED_MEASURES for f in m.figures]
    assert len(figures) >= 10
    for figure in figures:
        assert words(figure.quote) in seed_text(figure.seed), figure.quote
        number = re.escape(
            figure.value.rstrip("0").rstrip(".") if "." in figure.value else figure.value
        )
        assert re.search(rf"(?<![\d.]){number}(\.0)?%", figure.quote), (figure.value, figure.quote)


def test_a_target_is_the_seeds_only_when_it_quotes_the_seed_otherwise_it_says_it_is_for_the_demo():
    targets = [t for m in [*demo.SEED_MEASURES, *demo.PUBLISHED_USES] for t in m.targets]
    from_seed = [t for t in targets if not t.note.startswith(demo.DEMO_TARGET)]
    assert from_seed, "the inclusion plan states one target (six SPD workshops in 2024-25)"
    for target in from_seed:
        seed, quote = re.match(r'(.*?): "(.*?)"', target.note).groups()
        assert words(quote) in seed_text(seed)
    assert len(targets) - len(from_seed) <= 4, "a few demo targets, not a made-up plan"


# ------------------------------------------------------------------ what load_demo holds


def check_seed_figures(lincolnshire: Partnership) -> None:
    """Each figure at its period, the seed quoted in its note, the earliest as baseline."""
    reviews = own_values(lincolnshire, "lincs_hv_review_2_5_year_pc")
    assert {k: v.value for k, v in reviews.items()} == {
        (dt.date(2019, 2, 1), dt.date(2019, 2, 28)): Decimal("39"),
        (dt.date(2019, 5, 1), dt.date(2019, 5, 31)): Decimal("81"),
    }
    note = next(iter(reviews.values())).note
    assert note.startswith("Seed 004_e7921fd6a7a48019.txt")
    assert "81% at end of May 2019 (39% February 2019)." in note

    gap = own_values(lincolnshire, "lincs_lens_sen_support_rwm_gap")
    assert {k[0].year: v.value for k, v in gap.items()} == {
        2018: Decimal("4.9"),
        2019: Decimal("3"),
    }

    august_2019 = (dt.date(2019, 8, 1), dt.date(2019, 8, 31))
    assert own_values(lincolnshire, "lincs_mld_primary_need_pc")[august_2019].value == Decimal(
        "27.6"
    )
    england = own_values(lincolnshire, "lincs_mld_primary_need_pc", ENGLAND)
    assert england[august_2019].value == Decimal("21.6")

    leaders = own_values(lincolnshire, "lincs_lead_hub_positive_pc")
    assert {k: v.value for k, v in leaders.items()} == {
        (dt.date(2023, 7, 1), dt.date(2023, 7, 31)): Decimal("99")
    }
    assert "Seed 000_54c8d9248923dd13.txt" in next(iter(leaders.values())).note
    spd = own_values(lincolnshire, "lincs_spd_parents_more_confident_pc")
    assert [o.value for o in spd.values()] == [Decimal("80")]
    assert "The seed gives no date" in next(iter(spd.values())).note

    use = PartnershipMeasure.objects.get(
        partnership=lincolnshire, measure__code="lincs_hv_review_2_5_year_pc"
    )
    assert (use.baseline_value, use.baseline_date) == (Decimal("39"), dt.date(2019, 2, 28))
    assert use.owner == "Linda Dennett"
    assert use.measure.partnership == lincolnshire
    assert "Children's Health Service 0-19" in use.measure.data_source
    target = use.targets.get()
    assert (target.value, target.date) == (Decimal("80"), dt.date(2019, 8, 31))
    assert target.note.startswith("Demo target, not from the seed")
    workshops = PartnershipMeasure.objects.get(
        partnership=lincolnshire, measure__code="lincs_spd_workshops"
    )
    assert workshops.targets.get().value == 6


def check_published_statistics(lincolnshire: Partnership) -> None:
    """DfE's figures through the importer: Lincolnshire, England, the East Midlands, the
    neighbours; Lincolnshire's use of the key measures, with owners, baselines, a target."""
    lincs = Observation.objects.get(
        measure__code="ehcp_20wk_incl_exceptions",
        geography__code="E10000019",
        period_start=dt.date(2019, 1, 1),
        partnership__isnull=True,
        breakdown="",
    )
    assert (lincs.value, lincs.denominator) == (Decimal("74.8"), Decimal("747"))
    assert lincs.geography.old_la_code == "925"
    england = Observation.objects.get(
        measure__code="ehcp_20wk_excl_exceptions",
        geography__code=ENGLAND,
        period_start=dt.date(2022, 1, 1),
        breakdown="",
    )
    assert england.value == Decimal("49.2")
    for code in ("E12000004", *demo.NEIGHBOURS):
        assert Observation.objects.filter(
            measure__code="ehcp_caseload", geography__code=code
        ).exists(), code
    # Every local authority for 20-week timeliness (a funnel plot compares them all).
    authorities = Geography.objects.filter(
        level=Geography.Level.LOCAL_AUTHORITY,
        observations__measure__code="ehcp_20wk_incl_exceptions",
    ).distinct()
    assert authorities.count() > 150

    uses = PartnershipMeasure.objects.filter(partnership=lincolnshire, measure__kind="published")
    assert {u.measure.code for u in uses} >= {
        "ehcp_20wk_incl_exceptions",
        "ehcp_20wk_excl_exceptions",
        "ehcp_caseload",
        "ehcp_requests_decided_6wk",
        "ehcp_reviews_decided_4wk",
        "ehcp_personal_budgets",
        "ehcp_need_mld_pc",
    }
    assert all(u.owner for u in uses)
    timeliness = uses.get(measure__code="ehcp_20wk_incl_exceptions")
    assert (timeliness.baseline_value, timeliness.baseline_date) == (
        Decimal("74.8"),
        dt.date(2019, 12, 31),
    )
    assert timeliness.targets.exists()


def check_neighbours(lincolnshire: Partnership) -> None:
    """Ten local authorities, labelled as chosen for the demo; none for Rutland."""
    chosen = ComparatorArea.objects.filter(partnership=lincolnshire).select_related("geography")
    assert {c.geography.code for c in chosen} == set(demo.NEIGHBOURS)
    assert all(c.geography.level == Geography.Level.LOCAL_AUTHORITY for c in chosen)
    assert sorted(c.rank for c in chosen) == list(range(1, 11))
    assert "CHOSEN FOR THE DEMO, NOT DfE's LIST" in open(demo.__file__).read()
    notice = (demo.DEMO_DATA / "NOTICE.md").read_text()
    assert "chosen for the demo, not DfE's list" in notice
    assert not ComparatorArea.objects.filter(partnership__slug="rutland").exists()


def check_links(lincolnshire: Partnership) -> None:
    """Measures evidence the 2019 plan's areas and actions, all of the same partnership."""
    linked = {
        (e.partnership_measure.measure.code, (e.area or e.action).pk)
        for e in MeasureEvidence.objects.select_related(
            "partnership_measure__measure", "area", "action"
        )
    }
    reviews = Action.objects.get(how__contains="mandated health reviews")
    ehc_area = Area.objects.get(title__contains="quality of Education, Health and Care Plans")
    assert ("lincs_hv_review_2_5_year_pc", reviews.pk) in linked
    assert ("ehcp_20wk_incl_exceptions", ehc_area.pk) in linked
    assert ("ehcp_reviews_decided_4wk", ehc_area.pk) in linked
    assert all(
        e.partnership_measure.partnership == lincolnshire for e in MeasureEvidence.objects.all()
    )


def check_a_rating_differs_from_its_evidence(lincolnshire: Partnership) -> None:
    """The 2.5-year reviews (Amber, evidence green) and the EHC plans action (Amber,
    evidence red: annual reviews below their target)."""
    actions = {a.pk: a for a in Action.objects.filter(plan__partnership=lincolnshire)}
    evidence = evidence_for_actions(partnership=lincolnshire, action_ids=actions)

    differing = {
        actions[pk].how[:40]: lines
        for pk, lines in evidence.items()
        if rag_differs(actions[pk].rag, lines)
    }

    assert any(h.startswith("Improve timeliness and completion") for h in differing), differing
    assert any(h.startswith("Specific focus on improving health") for h in differing), differing


def check_audited(lincolnshire: Partnership) -> None:
    """Every measure, use, link and neighbour the demo made is in the audit log as the demo."""
    created = set(
        AuditLog.objects.filter(operation="create", actor_label="command: load_demo").values_list(
            "object_type", "object_id"
        )
    )
    for model in (Measure, PartnershipMeasure, MeasureEvidence, ComparatorArea):
        for pk in model.objects.filter(
            **({"partnership": lincolnshire} if model is not MeasureEvidence else {})
        ).values_list("pk", flat=True):
            assert (model._meta.label_lower, str(pk)) in created, model


def test_load_demo_holds_the_seed_figures_the_statistics_the_neighbours_and_the_links(
    lincolnshire,
):
    check_seed_figures(lincolnshire)
    check_published_statistics(lincolnshire)
    check_neighbours(lincolnshire)
    check_links(lincolnshire)
    check_a_rating_differs_from_its_evidence(lincolnshire)
    check_audited(lincolnshire)


def test_a_second_load_demo_changes_nothing(lincolnshire):
    def rows() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    before, audit_rows = rows(), AuditLog.objects.count()
    changed_at = set(Observation.objects.values_list("pk", "updated_at"))
    out = io.StringIO()

    call_command("load_demo", stdout=out)

    assert rows() == before
    assert AuditLog.objects.count() == audit_rows
    assert set(Observation.objects.values_list("pk", "updated_at")) == changed_at
    assert "Measures:" not in out.getvalue()


def test_a_changed_seed_wording_fails_the_demo_naming_the_words(db):
    for entry in core_demo.demo_loaders():
        if entry.order < 30:  # the partnerships and the plans
            entry.loader()
    Area.objects.filter(title__contains="quality of Education, Health and Care Plans").update(
        title="Better plans"
    )

    with pytest.raises(demo.DemoDataError, match="To improve the quality of Education"):
        demo.load_measures()


# ------------------------------------------------------------------ the release extract


def test_the_shipped_extract_holds_exactly_the_releases_rows_the_demo_needs():
    """Rebuilding the extract from the release gives the shipped one, line for line: the
    demo's statistics are DfE's, unchanged (rebuild with `release_extract_write`)."""
    rebuilt = demo.release_extract_members(SHIPPED_RELEASE)
    with zipfile.ZipFile(demo.RELEASE_EXTRACT) as shipped:
        assert {n: shipped.read(n) for n in shipped.namelist()} == rebuilt
    with zipfile.ZipFile(SHIPPED_RELEASE) as release:
        for path, content in rebuilt.items():
            original = set(release.read(path).splitlines())
            assert set(content.splitlines()) <= original, path


# ------------------------------------------------------------------ the benchmark's data (smoke)


def test_the_benchmarks_generated_measures_show_on_the_dashboard(client, db):
    """bench/measures.py's generator on a tiny size (the benchmark itself is not run here):
    its bulk writes still fit the model, and the dashboard shows the generated measures."""
    from bench import measures as bench

    size = bench.DashboardSize(measures=3, months=4, authorities=12)
    counts = bench.dashboard_data_generate(size=size, today=dt.date(2026, 11, 23), progress=False)

    assert counts["observations"] == 3 * 4 * 22
    assert counts["neighbours"] == 10
    latest = Observation.objects.filter(period_start=dt.date(2026, 10, 1))
    assert latest.count() == 3 * 22
    assert all(o.value is not None or o.value_code == "c" for o in latest)
    client.force_login(User.objects.get(username=bench.ADMIN_USERNAME))
    response = client.get(reverse("measures:dashboard"))
    assert response.status_code == 200
    assert "benchmark measure 001" in response.content.decode()
