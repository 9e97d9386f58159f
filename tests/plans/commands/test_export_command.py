"""python manage.py export_action_plan: every format to a file, clear errors, no partial file."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from inclusion.core.models import AuditLog
from inclusion.plans.reports import FORMATS
from tests.factories import PlanFactory
from tests.plans.test_reports import ATTAINMENT, build_report_plan


@pytest.fixture
def plan(partnership):
    return build_report_plan(partnership)


def export(*args):
    out = io.StringIO()
    call_command("export_action_plan", *args, stdout=out)
    return out.getvalue()


def _opens(fmt, content):
    """The file is whole and of its kind."""
    if fmt in {"docx", "xlsx"}:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert archive.testzip() is None
    elif fmt == "pdf":
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    elif fmt == "json":
        json.loads(content)
    else:
        assert ATTAINMENT in content.decode("utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_writes_each_format_to_the_output_file(plan, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"

    message = export(
        "--plan", plan.title, "--format", fmt, "--as-of", "2019-08-31", "-o", str(target)
    )

    _opens(fmt, target.read_bytes())
    assert "Action Plan Update as of 31 August 2019" in message
    # Without --changes-since the window starts at the plan's last report date.
    assert "changes since 1 June 2019" in message
    entry = AuditLog.objects.get(operation=AuditLog.Operation.EXPORT)
    assert entry.actor_label == "command: export_action_plan"
    window = "" if fmt == "json" else ", changes since 2019-06-01"
    assert entry.note == f"board report {fmt} as of 2019-08-31{window}"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_the_format_defaults_to_the_output_extension_and_the_plan_can_be_named_by_slug(
    plan, tmp_path
):
    target = tmp_path / "report.md"

    export(
        "--plan",
        "action-plan-2019",
        "--as-of",
        "August 2019",
        "--changes-since",
        "June 2019",
        "-o",
        str(target),
    )

    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Action Plan Update as of 31 August 2019")
    # "since June 2019" includes June: the window starts after 31 May.
    assert "## Changes since 31 May 2019" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan", "No such plan", "--format", "pdf"], "--plan: no plan called 'No such plan'"),
        (["--format", "pdf", "--as-of", "31.13.20"], "--as-of: '31.13.20' has month 13"),
        (
            ["--format", "pdf", "--changes-since", "not a date"],
            "--changes-since: 'not a date' is not a date",
        ),
        (["--format", "odt"], "--format: 'odt' is not a report format; use one of docx, pdf"),
        (
            ["--format", "pdf", "--partnership", "nowhere"],
            "--partnership: no partnership 'nowhere'",
        ),
        (
            ["--format", "pdf", "--as-of", "2019-06-01", "--changes-since", "2019-07-01"],
            "--changes-since: 1 July 2019 is after the report date 1 June 2019",
        ),
    ],
)
def test_bad_input_is_refused_clearly_and_no_file_is_written(plan, tmp_path, args, message):
    target = tmp_path / "report.pdf"
    if "--plan" not in args:
        args = ["--plan", plan.title, *args]

    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export(*args, "-o", str(target))

    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert not AuditLog.objects.filter(operation=AuditLog.Operation.EXPORT).exists()


def test_an_existing_file_is_left_untouched_when_the_export_fails(plan, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the last good report")

    with pytest.raises(CommandError):
        export("--plan", plan.title, "--as-of", "31.13.20", "-o", str(target))

    assert target.read_bytes() == b"the last good report"


def test_a_plan_name_shared_by_two_partnerships_needs_the_partnership(
    plan, other_partnership, tmp_path
):
    PlanFactory(partnership=other_partnership, title=plan.title, slug=plan.slug)
    target = tmp_path / "report.md"

    with pytest.raises(
        CommandError, match="more than one plan is called .* name one with --partnership"
    ):
        export("--plan", plan.title, "-o", str(target))
    export(
        "--plan",
        plan.title,
        "--partnership",
        "lincolnshire",
        "--as-of",
        "2019-08-31",
        "-o",
        str(target),
    )

    assert ATTAINMENT in target.read_text(encoding="utf-8")


def test_a_missing_output_folder_is_refused_before_anything_is_rendered(plan, tmp_path):
    with pytest.raises(CommandError, match="the folder .* does not exist"):
        export("--plan", plan.title, "--format", "md", "-o", str(tmp_path / "missing" / "r.md"))
    assert not AuditLog.objects.filter(operation=AuditLog.Operation.EXPORT).exists()


def test_json_is_written_as_the_interchange_file(plan, tmp_path):
    target = tmp_path / "plan.json"

    export("--plan", plan.title, "--as-of", "2019-08-31", "-o", str(target))

    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["as_of"] == "2019-08-31" and data["plan"]["slug"] == "action-plan-2019"


def test_an_unknown_plan_is_refused_naming_the_plans_there_are(db, tmp_path):
    with pytest.raises(CommandError, match=r"no plan called 'x' \(plans: none yet\)"):
        export("--plan", "x", "-o", str(tmp_path / "x.md"))
