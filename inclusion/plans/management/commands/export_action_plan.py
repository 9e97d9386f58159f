"""python manage.py export_action_plan --plan NAME --format FMT [--as-of DATE]
[--changes-since DATE] [--partnership SLUG] -o FILE

Writes the board report ("Action Plan Update as of <date>") of a plan. The file is made in
memory and moved into place whole, so a failed export never leaves a partial file.
"""

import datetime as dt
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from inclusion.accounts.models import Partnership
from inclusion.core.partial_dates import PartialDateError, Precision, parse_partial_date
from inclusion.core.presenters import format_date
from inclusion.plans.models import Plan
from inclusion.plans.reports import FORMATS, plan_report_render

VIA = "command: export_action_plan"


def parse_report_date(text: str, *, option: str, month_means: str) -> dt.date:
    """A date as ISO or as plans write it; a month is its last day ("end") or the day before it
    starts ("before", so that "changes since April 2019" includes April)."""
    try:
        value = parse_partial_date(text)
    except PartialDateError as error:
        raise CommandError(f"{option}: {error}") from None
    if value.precision == Precision.MONTH:
        return value.deadline if month_means == "end" else value.starts - dt.timedelta(days=1)
    return value.value


def find_plan(name: str, partnership_slug: str | None) -> Plan:
    plans = Plan.objects.select_related("partnership")
    if partnership_slug:
        partnership = Partnership.objects.filter(slug=partnership_slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(
                f"--partnership: no partnership '{partnership_slug}' (partnerships: {known})"
            )
        plans = plans.filter(partnership=partnership)
    matches = list(plans.filter(Q(slug=name) | Q(title__iexact=name.strip()))[:10])
    if not matches:
        known = "; ".join(f"'{p.title}' ({p.slug})" for p in plans.order_by("title")[:10])
        raise CommandError(f"--plan: no plan called '{name}' (plans: {known or 'none yet'})")
    if len(matches) > 1:
        where = ", ".join(sorted({p.partnership.slug for p in matches}))
        raise CommandError(
            f"--plan: more than one plan is called '{name}' (in partnerships {where}): "
            "name one with --partnership SLUG"
        )
    return matches[0]


def write_whole(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Export a plan's board report (Action Plan Update as of a date) as docx, pdf, html, md, "
        "xlsx or json. Dates: 2019-08-31, 31.08.19 or a month (August 2019: as of its last day; "
        "as --changes-since, the whole month is included)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", required=True, help="The plan's title or slug")
        parser.add_argument(
            "--format",
            dest="fmt",
            help=f"One of {', '.join(FORMATS)} (default: the output file's extension)",
        )
        parser.add_argument("--as-of", help="The report date (default: today)")
        parser.add_argument(
            "--changes-since",
            help="List what changed after this date (default: the plan's last report date)",
        )
        parser.add_argument("--partnership", help="The partnership's slug, when plans share a name")
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        output = Path(options["output"])
        fmt = (options["fmt"] or output.suffix.lstrip(".")).lower()
        if fmt not in FORMATS:
            raise CommandError(
                f"--format: '{fmt or options['fmt'] or ''}' is not a report format; "
                f"use one of {', '.join(FORMATS)}"
            )
        if not output.parent.is_dir():
            raise CommandError(f"-o: the folder {output.parent} does not exist")
        if output.is_dir():
            raise CommandError(f"-o: {output} is a folder; name a file")
        as_of = (
            parse_report_date(options["as_of"], option="--as-of", month_means="end")
            if options["as_of"]
            else timezone.localdate()
        )
        plan = find_plan(options["plan"], options["partnership"])
        if options["changes_since"]:
            since = parse_report_date(
                options["changes_since"], option="--changes-since", month_means="before"
            )
            if since > as_of:
                raise CommandError(
                    f"--changes-since: {format_date(since)} is after the report date {format_date(as_of)}"
                )
        else:
            since = plan.last_report_date
            if since is not None and since > as_of:
                # The plan was last reported after this report's date: there is no window.
                since = None
        rendered = plan_report_render(plan=plan, fmt=fmt, as_of=as_of, changes_since=since, via=VIA)
        write_whole(output, rendered.content)
        window = f", changes since {format_date(since)}" if since else ""
        self.stdout.write(
            f"Wrote {output} ({rendered.size:,} bytes): {plan.title}, "
            f"Action Plan Update as of {format_date(as_of)}{window}"
        )
