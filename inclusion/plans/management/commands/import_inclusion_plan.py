"""python manage.py import_inclusion_plan FILE [--plan NAME] [--partnership SLUG]"""

from django.core.management.base import BaseCommand, CommandParser

from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.management.commands.import_action_plan import (
    partnership_from,
    problems_error,
    read_file,
)
from inclusion.plans.services.imports import inclusion_plan_import

VIA = "command: import_inclusion_plan"


class Command(BaseCommand):
    help = (
        "Import a narrative inclusion plan (text, Markdown, Word .docx or JSON): priorities with "
        "what has been achieved and what will be done next. Re-importing changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--plan", help="The plan's title (default: the document's title)")
        parser.add_argument("--partnership", help="The partnership's slug (default: the only one)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        partnership = partnership_from(options["partnership"])
        filename, content = read_file(options["file"])
        try:
            result = inclusion_plan_import(
                partnership=partnership,
                filename=filename,
                content=content,
                plan_title=options["plan"],
                via=VIA,
            )
        except PlanImportError as error:
            raise problems_error(error.with_filename(filename)) from None
        self.stdout.write(result.message())
