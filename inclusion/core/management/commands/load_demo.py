"""`manage.py load_demo`: the demo partnership, its users and plans, safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from inclusion.core.demo import demo_load, demo_loaders


class Command(BaseCommand):
    help = (
        "Load the demo data of every app (inclusion/<app>/demo.py) in one transaction. "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--list", action="store_true", help="List the loaders and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for entry in demo_loaders():
                self.stdout.write(f"{entry.order:>4}  {entry.name}")
            return
        for line in demo_load():
            style = self.style.WARNING if line.startswith("WARNING") else str
            self.stdout.write(style(line))
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
