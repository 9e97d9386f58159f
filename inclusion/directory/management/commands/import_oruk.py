"""python manage.py import_oruk FILE_OR_DIR [--partnership SLUG] [--dry-run]"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from inclusion.accounts.models import Partnership
from inclusion.directory.importers.oruk import OrukImportError, oruk_import

VIA = "command: import_oruk"


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


class Command(BaseCommand):
    help = (
        "Import Open Referral UK 3.0 JSON (a /services page, one service, a list of services, "
        "or a directory of such files) into a partnership's Local Offer. All or nothing; "
        "records keep their ids, so importing again changes only what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", metavar="FILE_OR_DIR")
        parser.add_argument("--partnership", help="The partnership's slug (default: the only one)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and report; save nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = partnership_from(options["partnership"])
        bar: tqdm | None = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                # On stderr, and only on a terminal, so output piped to a log stays clean.
                bar = tqdm(
                    total=total, unit="service", file=sys.stderr, disable=not sys.stderr.isatty()
                )
            bar.update(done - bar.n)

        try:
            result = oruk_import(
                partnership=partnership,
                source=options["source"],
                via=VIA,
                dry_run=options["dry_run"],
                progress=progress,
            )
        except OrukImportError as error:
            count = len(error.problems)
            heading = "Nothing was imported: " + (
                "1 problem" if count == 1 else f"{count} problems"
            )
            raise CommandError("\n".join([heading, *error.lines()])) from None
        finally:
            if bar is not None:
                bar.close()
        prefix = "Dry run, nothing saved: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{result.message()}")
