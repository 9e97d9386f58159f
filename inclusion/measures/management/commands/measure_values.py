"""python manage.py measure_values CODE [--area AREA_CODE] [--partnership SLUG] --format {csv,json}"""

import csv
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inclusion.accounts.models import Partnership
from inclusion.measures.selectors import (
    OBSERVATION_COLUMNS,
    GeographyNotFound,
    MeasureNotFound,
    geographies_by_code,
    measure_by_code,
    observation_rows,
)

NUMBERS = ("value", "numerator", "denominator")


def _json_number(text: str) -> int | float | None:
    if text == "":
        return None
    number = Decimal(text)
    return (
        int(number) if number == number.to_integral_value() and "." not in text else float(number)
    )


class Command(BaseCommand):
    help = (
        "Print every observation of a measure (period, area, value, numerator, denominator, "
        "status) as CSV or JSON. Published statistics always; a partnership's own values "
        "with --partnership."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="The measure's code (ehcp_20wk_incl_exceptions)")
        parser.add_argument(
            "--area",
            help="A published area code: E92000001 England, E12000004 East Midlands, "
            "an LA's new code (E10000019) or old number (925)",
        )
        parser.add_argument("--partnership", help="Include this partnership's own values (slug)")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = None
        if options["partnership"]:
            partnership = Partnership.objects.filter(slug=options["partnership"]).first()
            if partnership is None:
                raise CommandError(f"No partnership '{options['partnership']}'")
        try:
            measure = measure_by_code(code=options["code"], partnership=partnership)
            geographies = geographies_by_code(code=options["area"]) if options["area"] else None
        except (MeasureNotFound, GeographyNotFound) as error:
            raise CommandError(str(error)) from None
        rows = observation_rows(measure=measure, partnership=partnership, geographies=geographies)
        if options["format"] == "json":
            document = {
                "measure": {
                    "code": measure.code,
                    "title": measure.title,
                    "unit": measure.unit,
                    "polarity": measure.polarity,
                    "numerator_definition": measure.numerator_definition,
                    "denominator_definition": measure.denominator_definition,
                    "data_source": measure.data_source,
                },
                "observations": [
                    {k: (_json_number(v) if k in NUMBERS else v) for k, v in row.items()}
                    for row in rows
                ],
            }
            self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=OBSERVATION_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
