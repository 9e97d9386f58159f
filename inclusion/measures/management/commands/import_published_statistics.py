"""python manage.py import_published_statistics ZIP_OR_CSV --mapping NAME [--mapping NAME ...] [--dry-run]"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from inclusion.measures.importers.mapping import load_mapping, shipped_mappings
from inclusion.measures.importers.problems import PublishedStatisticsError
from inclusion.measures.services.imports import (
    ALL_MAPPINGS,
    published_statistics_import,
    published_statistics_preview,
)

VIA = "command: import_published_statistics"


class ProgressBars:
    """One tqdm bar per file read (bytes), on stderr; quiet when stderr is not a terminal."""

    def __init__(self) -> None:
        self.bars: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        bar = self.bars.get(name)
        if bar is None:
            bar = self.bars[name] = tqdm(
                total=total, desc=name, unit="B", unit_scale=True, file=sys.stderr, disable=None
            )
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class Command(BaseCommand):
    help = (
        "Import published statistics in DfE's open-data layout (a release zip or one CSV) as "
        "measures and observations, with a mapping (docs/measures/mapping-format.md). All or "
        "nothing; importing the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="The release zip or a CSV")
        parser.add_argument(
            "--mapping",
            action="append",
            default=[],
            help=f"A shipped mapping's name, a mapping file's path, or '{ALL_MAPPINGS}' "
            "(every shipped mapping whose file is there). Repeat for several.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check everything and say what would change"
        )
        parser.add_argument(
            "--list-mappings", action="store_true", help="List the shipped mappings and stop"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list_mappings"]:
            for name in shipped_mappings():
                mapping = load_mapping(name)
                codes = ", ".join(spec.code for spec in mapping.measures)
                self.stdout.write(f"{name}: {mapping.file} -> {codes}")
            return
        if not options["file"]:
            raise CommandError("Name the zip or CSV to import")
        if not options["mapping"]:
            raise CommandError(
                f"Name a mapping with --mapping (shipped: {', '.join(shipped_mappings())}; "
                f"'{ALL_MAPPINGS}' for every one; or a mapping file's path)"
            )
        bars = ProgressBars()
        try:
            if options["dry_run"]:
                result = published_statistics_preview(
                    source=options["file"], mapping=options["mapping"], progress=bars
                )
            else:
                result = published_statistics_import(
                    source=options["file"], mapping=options["mapping"], via=VIA, progress=bars
                )
        except PublishedStatisticsError as error:
            heading = "Nothing was imported: " + (
                "1 problem" if error.total == 1 else f"{error.total:,} problems"
            )
            raise CommandError("\n".join([heading, *error.lines()])) from None
        finally:
            bars.close()
        self.stdout.write(result.message())
        if result.skipped_mappings:
            self.stdout.write(
                "Not in this file, so not read: " + ", ".join(result.skipped_mappings)
            )
        self.stdout.write(f"Took {result.seconds:.1f} s")
