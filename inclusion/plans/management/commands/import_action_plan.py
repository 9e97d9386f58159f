"""python manage.py import_action_plan FILE [--plan NAME] [--partnership SLUG] [--update-date DATE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inclusion.accounts.models import Partnership
from inclusion.core.partial_dates import PartialDateError, parse_partial_date
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.services.imports import action_plan_import

VIA = "command: import_action_plan"

# Shared with import_inclusion_plan.


def partnership_from(slug: str | None) -> Partnership:
    """The named partnership, or the only one there is."""
    if slug:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No partnership '{slug}' (partnerships: {known})")
        return partnership
    partnerships = list(Partnership.objects.all()[:2])
    if len(partnerships) == 1:
        return partnerships[0]
    if not partnerships:
        raise CommandError("There is no partnership yet: create one first (or run load_demo)")
    raise CommandError("There is more than one partnership: name one with --partnership SLUG")


def read_file(path: str) -> tuple[str, bytes]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"No such file: {path}")
    return file.name, file.read_bytes()


def problems_error(error: PlanImportError) -> CommandError:
    count = len(error.problems)
    heading = "Nothing was imported: the file has " + (
        "1 problem" if count == 1 else f"{count} problems"
    )
    return CommandError("\n".join([heading, *error.lines()]))


class Command(BaseCommand):
    help = (
        "Import an inspection action plan (Markdown or HTML tables, Word .docx, CSV/XLSX in "
        "the template, or JSON) into a partnership. All or nothing; re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--plan", help="The plan's title (default: the document's title)")
        parser.add_argument("--partnership", help="The partnership's slug (default: the only one)")
        parser.add_argument(
            "--update-date",
            help="The date of the progress updates when the file does not say (2019-08, 31.08.19)",
        )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        partnership = partnership_from(options["partnership"])
        filename, content = read_file(options["file"])
        update_date = None
        if options["update_date"]:
            try:
                update_date = parse_partial_date(options["update_date"])
            except PartialDateError as error:
                raise CommandError(f"--update-date: {error}") from None
        try:
            result = action_plan_import(
                partnership=partnership,
                filename=filename,
                content=content,
                plan_title=options["plan"],
                update_date=update_date,
                via=VIA,
            )
        except PlanImportError as error:
            raise problems_error(error.with_filename(filename)) from None
        self.stdout.write(result.message())
