"""import_postcodes FILE: postcode locations from the ONS Postcode Directory, for distances.

    python manage.py import_postcodes ONSPD_MAY_2025_UK.csv --output data/postcode_centroids.csv
    python manage.py import_postcodes ONSPD_MAY_2025_UK.csv --units

The ONSPD (or the National Statistics Postcode Lookup) is a CSV that an administrator
downloads from the ONS Open Geography Portal (Open Government Licence; Northern Ireland's
postcodes are left out, as their locations are licensed separately). `--output` writes the
sector and district centres the Local Offer ships (inclusion/directory/data/NOTICE.md);
`--units` loads every live postcode into the database, so each postcode is placed at its
own centre. Nothing is written if any row cannot be read: the error names the row.
"""

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from inclusion.directory.postcodes import (
    PostcodeError,
    centroid_table,
    live_gb_postcodes,
    postcodes_replace,
    write_centroid_table,
)


class Command(BaseCommand):
    help = (
        "Postcode locations from an ONS Postcode Directory CSV (sector centres, or every postcode)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The ONSPD or NSPL CSV file")
        parser.add_argument(
            "--output", type=Path, help="Write the sector and district centres to this CSV file"
        )
        parser.add_argument(
            "--units",
            action="store_true",
            help="Load every live postcode into the database (replaces what is there)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        if not options["output"] and not options["units"]:
            raise CommandError("Say what to make: --output FILE, --units, or both")
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        try:
            if options["output"]:
                with source.open(encoding="utf-8-sig", newline="") as handle:
                    table = centroid_table(csv.DictReader(handle), source=source.name)
                output: Path = options["output"]
                with output.open("w", encoding="utf-8", newline="") as handle:
                    write_centroid_table(table, handle)
                self.stdout.write(f"Wrote {len(table):,} sector and district centres to {output}")
            if options["units"]:
                with source.open(encoding="utf-8-sig", newline="") as handle:
                    count = postcodes_replace(
                        live_gb_postcodes(csv.DictReader(handle), source=source.name),
                        via="command: import_postcodes",
                    )
                self.stdout.write(f"Loaded {count:,} postcodes")
        except PostcodeError as error:
            raise CommandError(str(error)) from None
