"""The import commands: a clear summary on success, the problems on stderr and a non-zero exit."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from inclusion.core.models import AuditLog
from inclusion.plans.models import Plan, ProgressUpdate
from tests.conftest import SEED_ACTION_PLAN, SEED_INCLUSION_PLAN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2019, 9, 10, 12, tzinfo=dt.UTC), tick=False):
        yield


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_import_action_plan_prints_what_it_created(partnership):
    output = _run("import_action_plan", str(SEED_ACTION_PLAN))
    assert output == (
        "Created plan 'Action Plan Update August 2019': 10 areas, 10 actions, 10 progress updates"
    )
    labels = set(AuditLog.objects.values_list("actor_label", flat=True))
    assert labels == {"command: import_action_plan"}


def test_running_it_again_says_nothing_changed(partnership):
    _run("import_action_plan", str(SEED_ACTION_PLAN))
    output = _run("import_action_plan", str(SEED_ACTION_PLAN))
    assert output.startswith("No changes to plan 'Action Plan Update August 2019'")


def test_plan_and_update_date_options(partnership, tmp_path):
    file = tmp_path / "plan.md"
    file.write_text(
        "Plan\n\n| Area | How | By when | Lead | Progress | RAG |\n|-|-|-|-|-|-|\n"
        "| A | B | 31.08.20 | C | Done. | Green |\n"
    )
    output = _run(
        "import_action_plan", str(file), "--plan", "WSOA", "--partnership", "lincolnshire",
        "--update-date", "31.07.19",
    )  # fmt: skip
    assert output == "Created plan 'WSOA': 1 area, 1 action, 1 progress update"
    assert ProgressUpdate.objects.get().date == dt.date(2019, 7, 31)


def test_a_bad_file_lists_its_problems_and_saves_nothing(partnership, tmp_path):
    bad = tmp_path / "bad.md"
    text = SEED_ACTION_PLAN.read_text(encoding="utf-8")
    bad.write_text(text.replace("| 31.08.19 |", "| 31.13.20 |", 1).replace("| Green |", "| Gren |"))
    with pytest.raises(CommandError) as error:
        _run("import_action_plan", str(bad))
    lines = str(error.value).splitlines()
    assert lines[0] == "Nothing was imported: the file has 2 problems"
    assert (
        lines[1].startswith("bad.md, row ")
        and "column 'By when': '31.13.20' has month 13" in lines[1]
    )
    assert "column 'RAG rating': 'Gren' is not a RAG rating" in lines[2]
    assert Plan.objects.count() == 0


def test_an_empty_file_is_an_error(partnership, tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty.md: the file is empty"):
        _run("import_action_plan", str(empty))


def test_a_bad_update_date_option_is_an_error(partnership):
    with pytest.raises(CommandError, match="--update-date: '2019-13' has month 13"):
        _run("import_action_plan", str(SEED_ACTION_PLAN), "--update-date", "2019-13")


def test_with_two_partnerships_one_must_be_named(partnership, other_partnership):
    with pytest.raises(CommandError, match="name one with --partnership"):
        _run("import_action_plan", str(SEED_ACTION_PLAN))
    _run("import_action_plan", str(SEED_ACTION_PLAN), "--partnership", "elsewhere")
    assert Plan.objects.get().partnership == other_partnership


def test_an_unknown_partnership_is_named(partnership):
    with pytest.raises(CommandError, match="No partnership 'nowhere'"):
        _run("import_action_plan", str(SEED_ACTION_PLAN), "--partnership", "nowhere")


def test_a_missing_file_is_named(partnership):
    with pytest.raises(CommandError, match="No such file: /no/such.md"):
        _run("import_action_plan", "/no/such.md")


def test_import_inclusion_plan_prints_what_it_created_and_is_idempotent(partnership):
    output = _run("import_inclusion_plan", str(SEED_INCLUSION_PLAN))
    assert output == (
        "Created plan 'Lincolnshire's SEND and Alternative Provision Inclusion Plan': "
        "1 priority, 37 commitments"
    )
    assert set(AuditLog.objects.values_list("actor_label", flat=True)) == {
        "command: import_inclusion_plan"
    }
    again = _run("import_inclusion_plan", str(SEED_INCLUSION_PLAN), "--partnership", "lincolnshire")
    assert again.startswith("No changes")


def test_the_command_exits_non_zero_on_error(partnership, tmp_path):
    from django.core.management import ManagementUtility

    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    utility = ManagementUtility(["manage.py", "import_inclusion_plan", str(junk)])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1
