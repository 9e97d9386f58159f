"""python manage.py compute_measures [--partnership SLUG] [--code CODE ...] [--from DATE] [--to DATE]

Refreshes the stored values of computed measures (docs/adr/0013-measures-model.md):
run it nightly, or after records change in bulk.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inclusion.accounts.models import Partnership
from inclusion.measures.services.compute import measures_compute

VIA = "command: compute_measures"


def _date(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Compute the registered computed measures and store them as observations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="A partnership's slug (default: every one)")
        parser.add_argument("--code", action="append", help="Only this measure (repeatable)")
        parser.add_argument("--from", dest="start", help="First day to compute (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="Last day to compute (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        partnerships = Partnership.objects.all()
        if options["partnership"]:
            partnerships = partnerships.filter(slug=options["partnership"])
            if not partnerships.exists():
                raise CommandError(f"No partnership '{options['partnership']}'")
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        for partnership in partnerships:
            try:
                result = measures_compute(
                    partnership=partnership,
                    codes=options["code"],
                    period_start=start,
                    period_end=end,
                    via=VIA,
                )
            except ValidationError as error:
                raise CommandError(f"{partnership}: {'; '.join(error.messages)}") from None
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
            self.stdout.write(f"{partnership}: {counts}")
