"""Mapping files: the shipped ones load and agree with each other; mistakes are named."""

import pytest

from inclusion.measures.importers.mapping import load_mapping, shipped_mappings
from inclusion.measures.importers.opendata import ReadState, Source, read_mapping
from inclusion.measures.importers.problems import PublishedStatisticsError
from inclusion.measures.models import Polarity, Unit
from tests.measures.helpers import MAPPING, write_mapping
from tests.measures.test_import_release import RELEASE

DEFINITION = (
    "title",
    "description",
    "unit",
    "polarity",
    "frequency",
    "value",
    "numerator",
    "denominator",
    "numerator_definition",
    "denominator_definition",
)


def test_every_shipped_mapping_loads_and_the_issue_s_measures_are_there():
    measures = {
        spec.code: spec for name in shipped_mappings() for spec in load_mapping(name).measures
    }

    incl, excl = measures["ehcp_20wk_incl_exceptions"], measures["ehcp_20wk_excl_exceptions"]
    assert (incl.value.names, incl.numerator.names, incl.denominator.names) == (
        ("pc_plans_issued_within_20_weeks",),
        ("plans_issued_within_20_weeks",),
        ("plans_issued_den",),
    )
    assert (excl.value.names, excl.numerator.names, excl.denominator.names) == (
        ("PC_plans_issued_20_weeks_ex",),
        ("plans_issued_20_weeks_ex",),
        ("plans_issued_den_ex",),
    )
    assert (incl.unit, incl.polarity) == (Unit.PERCENTAGE, Polarity.HIGHER)
    for code in (
        "ehcp_caseload",
        "ehcp_requests_decided_6wk",
        "ehcp_reviews_decided_4wk",
        "ehcp_personal_budgets",
        "ehcp_need_semh_pc",
        "ehcp_new_need_asd_pc",
    ):
        assert code in measures


def test_a_measure_two_shipped_mappings_define_is_defined_the_same_in_both():
    """Otherwise importing one after the other would flip the definition back and forth."""
    seen: dict[str, tuple] = {}
    for name in shipped_mappings():
        for spec in load_mapping(name).measures:
            definition = tuple(getattr(spec, key) for key in DEFINITION)
            assert seen.setdefault(spec.code, definition) == definition, (
                f"{spec.code} differs in {name}"
            )


def test_every_shipped_mapping_reads_its_file_in_the_release_without_a_problem():
    """Every row the shipped mappings use is checked (numbers, codes, geography, periods,
    duplicates), without writing: a release that changes shape fails here."""
    source = Source(RELEASE)
    state = ReadState()
    try:
        for name in shipped_mappings():
            mapping = load_mapping(name)
            read_mapping(
                source=source,
                file=source.find(mapping, required=True),
                mapping=mapping,
                state=state,
            )
    finally:
        source.close()

    assert not state.problems, state.problems.problems[:5]
    assert len(state.files_read) == len(shipped_mappings())
    assert len(state.observations) > 45_000


@pytest.mark.parametrize(
    "change, message",
    [
        (('file = "timeliness.csv"', ""), "file: is required"),
        (
            ('code = "test_20wk"', 'code = "Test 20wk"'),
            "should be lower-case letters, digits and underscores",
        ),
        (('value = "pc_within"', ""), "measures[0].value: is required"),
        (("[filters]", "[filterz]"), "filterz: is not a mapping key"),
        (
            ('title = "Test timeliness"', 'title = "Test timeliness"\n[codes]\n"-" = "zero"'),
            "'zero' is not a status",
        ),
        (
            ('denominator = "issued"', "denominator = 3"),
            "should be a column name, or a list of them",
        ),
        (('unit = "percentage"', 'unit = "percentage"\nunit = "count"'), "is not valid TOML"),
    ],
)
def test_a_mistake_in_a_mapping_is_named_with_its_key(tmp_path, change, message):
    path = write_mapping(tmp_path, MAPPING.replace(*change))

    with pytest.raises(PublishedStatisticsError) as caught:
        load_mapping(path)

    assert any(
        line.startswith("test_mapping.toml: ") and message in line for line in caught.value.lines()
    ), caught.value.lines()


def test_a_measure_named_twice_in_one_mapping_is_refused(tmp_path):
    text = MAPPING + MAPPING[MAPPING.index("[[measures]]") :]

    with pytest.raises(PublishedStatisticsError, match="'test_20wk' is named twice"):
        load_mapping(write_mapping(tmp_path, text))


def test_friendly_spellings_of_unit_and_polarity_are_accepted(tmp_path):
    text = MAPPING.replace('unit = "percentage"', 'unit = "Percent"').replace(
        'polarity = "higher"', 'polarity = "Lower is better"'
    )

    spec = load_mapping(write_mapping(tmp_path, text)).measures[0]

    assert (spec.unit, spec.polarity) == (Unit.PERCENTAGE, Polarity.LOWER)
