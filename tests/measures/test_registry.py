"""Computed measures: an app registers one, `measures_compute` stores what it returns."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from inclusion.core.models import AuditLog
from inclusion.measures.models import Measure, Observation
from inclusion.measures.periods import month
from inclusion.measures.registry import (
    ObservationValue,
    RegistryError,
    computed_measures,
    register_computed_measure,
    unregister_computed_measure,
)
from inclusion.measures.services import measures_compute

CODE = "test_iha_within_20_working_days"


class Records:
    """Stands in for an app's own records: what its compute function reads."""

    def __init__(self):
        self.by_month = {(2025, 1): (8, 10), (2025, 2): (9, 10), (2025, 3): (6, 12)}
        self.calls: list[tuple] = []

    def compute(self, partnership, start, end):
        self.calls.append((partnership.slug, start, end))
        return [
            ObservationValue(
                period=month(y, m), value=Decimal(100 * n) / d, numerator=n, denominator=d
            )
            for (y, m), (n, d) in sorted(self.by_month.items())
            if start <= dt.date(y, m, 1) <= end
        ]


@pytest.fixture
def records():
    records = Records()
    register_computed_measure(
        CODE,
        "Initial health assessments within 20 working days",
        "percentage",
        "higher",
        records.compute,
    )
    yield records
    unregister_computed_measure(CODE)


FROM, TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_computed_values_are_stored_as_observations_of_the_partnerships_area(records, partnership):
    result = measures_compute(
        partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO, via="test"
    )

    stored = Observation.objects.filter(measure__code=CODE).order_by("period_start")
    assert [(o.period_label, o.value, o.numerator, o.denominator) for o in stored] == [
        ("2025-01", 80, 8, 10),
        ("2025-02", 90, 9, 10),
        ("2025-03", 50, 6, 12),
    ]
    assert {(o.source, o.partnership_id, o.geography.code) for o in stored} == {
        ("computed", partnership.pk, "E10000019")
    }
    assert Measure.objects.get(code=CODE).kind == Measure.Kind.COMPUTED
    assert result.counts["new"] == 3
    assert records.calls == [("lincolnshire", FROM, TO)]


def test_computing_again_changes_nothing_and_logs_nothing(records, partnership):
    measures_compute(partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO)
    audit_rows = AuditLog.objects.count()

    again = measures_compute(
        partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO
    )

    assert not again.changed and again.counts["unchanged"] == 3
    assert AuditLog.objects.count() == audit_rows


def test_a_refresh_follows_the_records_changed_added_and_gone(records, partnership):
    measures_compute(partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO)
    records.by_month[(2025, 3)] = (9, 12)
    records.by_month[(2025, 4)] = (5, 5)
    del records.by_month[(2025, 1)]

    result = measures_compute(
        partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO
    )

    assert {k: result.counts[k] for k in ("new", "changed", "deleted", "unchanged")} == {
        "new": 1,
        "changed": 1,
        "deleted": 1,
        "unchanged": 1,
    }
    assert sorted(Observation.objects.values_list("period_label", "value")) == [
        ("2025-02", 90),
        ("2025-03", 75),
        ("2025-04", 100),
    ]
    assert AuditLog.objects.filter(operation="import", partnership_id=partnership.pk).count() == 2


def test_another_partnerships_computed_values_are_its_own(records, partnership, other_partnership):
    other_partnership.new_la_code = "E06000012"
    other_partnership.save()

    measures_compute(partnership=partnership, codes=[CODE], period_start=FROM, period_end=TO)
    measures_compute(partnership=other_partnership, codes=[CODE], period_start=FROM, period_end=TO)

    assert Observation.objects.filter(partnership=partnership).count() == 3
    assert Observation.objects.filter(partnership=other_partnership).count() == 3


def test_a_code_registered_twice_by_different_functions_is_an_error(records):
    with pytest.raises(RegistryError, match="already registered"):
        register_computed_measure(CODE, "Another", "percentage", "higher", lambda p, s, e: [])
    with pytest.raises(RegistryError, match="polarity 'up'"):
        register_computed_measure("test_other", "Other", "percentage", "up", lambda p, s, e: [])
    assert CODE in computed_measures() and "test_other" not in computed_measures()


def test_an_unknown_code_is_named(records, partnership):
    with pytest.raises(ValidationError, match="no computed measure test_nothing"):
        measures_compute(partnership=partnership, codes=["test_nothing"])


def test_the_refresh_command_computes_every_registered_measure(records, partnership):
    out = io.StringIO()

    call_command(
        "compute_measures",
        "--partnership",
        "lincolnshire",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        stdout=out,
    )

    assert "3 new" in out.getvalue()
    assert Observation.objects.filter(source="computed").count() == 3
