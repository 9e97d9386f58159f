"""A partnership's measures: definitions, owner and baseline, targets, evidence links,
entered values; every write audited, every read scoped."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from inclusion.core.models import AuditLog
from inclusion.measures import selectors
from inclusion.measures.areas import geography_for_partnership
from inclusion.measures.models import Measure, MeasureEvidence, Observation, ValueStatus
from inclusion.measures.periods import calendar_year, month
from inclusion.measures.services import (
    measure_create,
    measure_evidence_link,
    measure_evidence_unlink,
    measure_update,
    observation_record,
    partnership_measure_set,
    target_delete,
    target_set,
)
from tests.factories import ActionFactory, AreaFactory, PlanFactory


def logged(obj, operation, pk=None):
    return AuditLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(pk or obj.pk), operation=operation
    ).exists()


@pytest.fixture
def survey(partnership, users):
    return measure_create(
        partnership=partnership,
        code="pcf_survey_confidence",
        title="Parents confident in the local offer",
        unit="percentage",
        polarity="higher",
        frequency="termly",
        data_source="Parent carer forum survey",
        actor=users["admin"],
    )


def test_a_partnership_defines_its_own_measure_and_the_creation_is_audited(survey, users):
    assert survey.kind == Measure.Kind.LOCAL
    assert logged(survey, "create")
    assert AuditLog.objects.get(object_id=str(survey.pk)).actor == users["admin"]


def test_an_invalid_measure_is_refused_before_anything_is_saved(partnership):
    with pytest.raises(ValidationError) as caught:
        measure_create(
            partnership=partnership, code="x y", title="", unit="furlongs", polarity="up"
        )

    assert {"code", "title", "unit", "polarity"} <= set(caught.value.message_dict)
    assert not Measure.objects.exists()
    assert not AuditLog.objects.exists()


def test_editing_a_measure_logs_old_and_new(survey):
    measure_update(measure=survey, title="Parents confident in the Local Offer", via="test")

    entry = AuditLog.objects.get(operation="update", object_id=str(survey.pk))
    assert entry.changes["title"] == [
        "Parents confident in the local offer",
        "Parents confident in the Local Offer",
    ]


def test_a_published_measure_is_not_edited_here(db):
    published = Measure.objects.create(
        code="ehcp_x", kind=Measure.Kind.PUBLISHED, title="X", unit="count", polarity="neutral"
    )

    with pytest.raises(ValidationError, match="change its mapping or registration instead"):
        measure_update(measure=published, title="Y")


def test_owner_baseline_and_targets_over_time(survey, partnership):
    use = partnership_measure_set(
        partnership=partnership,
        measure=survey,
        owner="SEND strategy lead",
        baseline_value=Decimal("41.5"),
        baseline_date=dt.date(2024, 7, 31),
    )
    target_set(partnership_measure=use, date=dt.date(2025, 7, 31), value=50)
    target_set(partnership_measure=use, date=dt.date(2026, 7, 31), value="60")
    changed = target_set(
        partnership_measure=use, date=dt.date(2025, 7, 31), value=55, note="Board, May"
    )

    assert [(t.date.year, t.value) for t in use.targets.all()] == [(2025, 55), (2026, 60)]
    assert logged(changed, "update") and logged(use, "create")
    again = partnership_measure_set(partnership=partnership, measure=survey, owner="Head of SEND")
    assert (again.pk, again.owner, again.baseline_value) == (
        use.pk,
        "Head of SEND",
        Decimal("41.5"),
    )

    pk = changed.pk
    target_delete(target=changed)
    assert [t.date.year for t in use.targets.all()] == [2026]
    assert logged(changed, "delete", pk)


def test_a_baseline_needs_its_date(survey, partnership):
    with pytest.raises(ValidationError, match="A baseline needs the date"):
        partnership_measure_set(partnership=partnership, measure=survey, baseline_value=40)


def test_another_partnerships_measure_cannot_be_used(survey, other_partnership):
    with pytest.raises(ValidationError, match="belongs to another partnership"):
        partnership_measure_set(partnership=other_partnership, measure=survey)


def test_a_measure_evidences_plan_areas_and_actions_of_its_own_partnership(
    survey, partnership, other_partnership
):
    use = partnership_measure_set(partnership=partnership, measure=survey)
    area = AreaFactory(plan=PlanFactory(partnership=partnership))
    action = ActionFactory(area=area)
    elsewhere = AreaFactory(plan=PlanFactory(partnership=other_partnership))

    to_area = measure_evidence_link(partnership_measure=use, area=area)
    to_action = measure_evidence_link(partnership_measure=use, action=action)
    again = measure_evidence_link(partnership_measure=use, area=area)

    assert again.pk == to_area.pk
    assert {(e.area_id, e.action_id) for e in use.evidence.all()} == {
        (area.pk, None),
        (None, action.pk),
    }
    with pytest.raises(ValidationError, match="another partnership"):
        measure_evidence_link(partnership_measure=use, area=elsewhere)
    with pytest.raises(ValidationError, match="one area or one action"):
        measure_evidence_link(partnership_measure=use, area=area, action=action)
    pk = to_action.pk
    measure_evidence_unlink(evidence=to_action)
    assert MeasureEvidence.objects.count() == 1
    assert logged(to_action, "delete", pk)


def test_an_entered_value_is_added_then_corrected_in_place(survey, partnership, users):
    geography = geography_for_partnership(partnership)
    term = month(2025, 3)

    first = observation_record(
        partnership=partnership,
        measure=survey,
        geography=geography,
        period=term,
        value="41.5",
        actor=users["admin"],
    )
    second = observation_record(
        partnership=partnership,
        measure=survey,
        geography=geography,
        period=term,
        value=43,
        numerator=43,
        denominator=100,
    )

    assert second.pk == first.pk
    assert (second.value, second.source, second.status) == (
        43,
        Observation.Source.ENTERED,
        ValueStatus.AVAILABLE,
    )
    assert geography.code == "E10000019" and geography.old_la_code == "925"
    assert logged(first, "create") and logged(first, "update")


def test_an_entered_value_that_is_missing_says_why_and_has_no_number(survey, partnership):
    geography = geography_for_partnership(partnership)

    with pytest.raises(ValidationError, match="say why it is not available"):
        observation_record(
            partnership=partnership,
            measure=survey,
            geography=geography,
            period=calendar_year(2024),
            value=None,
        )
    with pytest.raises(ValidationError, match="has no number"):
        observation_record(
            partnership=partnership,
            measure=survey,
            geography=geography,
            period=calendar_year(2024),
            value=0,
            status=ValueStatus.CONFIDENTIAL,
        )
    missing = observation_record(
        partnership=partnership,
        measure=survey,
        geography=geography,
        period=calendar_year(2024),
        value=None,
        status=ValueStatus.CONFIDENTIAL,
        note="Fewer than 10 responses",
    )
    assert (missing.value, missing.status) == (None, "confidential")


def test_a_partnerships_own_values_are_read_only_with_that_partnership(
    survey, partnership, other_partnership
):
    observation_record(
        partnership=partnership,
        measure=survey,
        geography=geography_for_partnership(partnership),
        period=calendar_year(2024),
        value=41,
    )

    assert len(selectors.observation_rows(measure=survey, partnership=partnership)) == 1
    assert selectors.observation_rows(measure=survey) == []
    with pytest.raises(selectors.MeasureNotFound):
        selectors.measure_by_code(code="pcf_survey_confidence", partnership=other_partnership)
    with pytest.raises(selectors.MeasureNotFound):
        selectors.measure_by_code(code="pcf_survey_confidence")
    assert (
        selectors.measure_by_code(code="pcf_survey_confidence", partnership=partnership) == survey
    )
