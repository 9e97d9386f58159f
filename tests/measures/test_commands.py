"""The import command's other options: a dry run, the list of shipped mappings."""

import io

import pytest
from django.core.management import CommandError, call_command

from inclusion.measures.models import Observation
from tests.measures.helpers import ENGLAND, HEADER, csv_bytes, row, write_mapping


@pytest.mark.django_db
def test_a_dry_run_says_what_would_change_and_saves_nothing(tmp_path):
    path = tmp_path / "timeliness.csv"
    path.write_bytes(csv_bytes(HEADER, [row("2019", ENGLAND, "All", "All", "10", "5", "50")]))
    out = io.StringIO()

    call_command(
        "import_published_statistics",
        str(path),
        "--mapping",
        write_mapping(tmp_path),
        "--dry-run",
        stdout=out,
    )

    assert out.getvalue().startswith(
        "Would import timeliness.csv (test_mapping): 1 new observation,"
    )
    assert not Observation.objects.exists()


def test_the_shipped_mappings_are_listed_with_their_file_and_measures():
    out = io.StringIO()

    call_command("import_published_statistics", "--list-mappings", stdout=out)

    assert (
        "ehcp_timeliness: timeliness_20_week.csv -> ehcp_20wk_incl_exceptions, ehcp_20wk_excl_exceptions"
        in out.getvalue().splitlines()
    )


def test_the_command_asks_for_a_mapping_and_names_the_shipped_ones(tmp_path):
    with pytest.raises(
        CommandError, match="Name a mapping with --mapping \\(shipped: ehcp_annual_reviews"
    ):
        call_command("import_published_statistics", str(tmp_path / "x.csv"))
