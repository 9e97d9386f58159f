"""The measures benchmark, one stage per process (called by `bench/run.py`).

    python bench/measures.py import --out import.json              # the whole 2025 release
    python bench/measures.py import --tracemalloc --out heap.json  # its Python heap peak
    python bench/measures.py prepare-dashboard --size full --out info.json
    python bench/measures.py dashboard --info info.json --runs 9 --out page.json

Targets (issue #3): importing all twelve CSVs of the 2025 EHC plan release (about 195,000
rows) with the shipped mappings in under 20 s on SQLite, with its peak memory; the
dashboard of a partnership using 200 measures with 10 years of monthly observations for 150
local authorities (and England and the nine regions) in under 300 ms of server time.

- **import**: `published_statistics_import(source=SHIPPED_RELEASE, mapping="all")` into a
  database with no published statistics, as `manage.py import_published_statistics` runs
  it; then the same import again (it must change nothing: the time of an idempotent
  re-run); then the imported rows are deleted so the next process starts empty again.
  Peak RSS is the process's own (`ru_maxrss`, Django and migrations included: the start
  is recorded beside it); the Python heap peak comes from a separate `--tracemalloc` run,
  which is slower and never timed.
- **prepare-dashboard**: generates the measures in bulk (raw `executemany` on SQLite,
  `COPY` on PostgreSQL, with a progress bar): 200 published measures x 120 months x 160
  geographies = 3.84 million observations, a partnership using all 200 (owners,
  baselines, targets, ten statistical neighbours) and a small one using 10, to compare
  query counts. Benchmark data, not a user path: one audit event says it was generated
  (docs/adr/0012-benchmarks.md).
- **dashboard**: `GET reverse("measures:dashboard")` through Django's test Client, signed
  in as the partnership's admin: 1 warm-up, then `--runs` timed requests; median and
  nearest-rank p95, CPU, SQL queries (200 measures / 10 measures), heap and RSS.
"""

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.plan_tracker import (  # noqa: E402  (the repository must be on the path first)
    MISSING_MIDDLEWARE,
    django_setup,
    profile_to,
    query_profile,
    rss_peak_bytes,
    timing_summary,
)

VIA = "command: bench"
# The import's audit event, deleted with what it imported (the plan benchmark's stays).
IMPORT_VIA = "command: bench measures import"
PARTNERSHIP_SLUG = "measures-benchmark"
PROBE_SLUG = "measures-benchmark-small"
ADMIN_USERNAME = "measures-bench-admin"
PROBE_ADMIN_USERNAME = "measures-bench-small-admin"
# Fake GSS codes for the generated authorities (the E69 prefix names no real area).
AUTHORITY_CODE = "E69{:06d}"
BATCH = 20_000
PROBE_MEASURES = 10
NEIGHBOURS = 10


@dataclass(frozen=True)
class DashboardSize:
    measures: int
    months: int
    authorities: int

    @property
    def geographies(self) -> int:
        return self.authorities + 10  # England and the nine regions

    @property
    def observations(self) -> int:
        return self.measures * self.months * self.geographies


FULL = DashboardSize(measures=200, months=120, authorities=150)
QUICK = DashboardSize(measures=20, months=24, authorities=20)


# ------------------------------------------------------------------ import


def _clear_published() -> dict[str, int]:
    """Delete every published statistic, measure definition and geography (a throwaway
    database only: DATABASE_URL is checked by django_setup), so an import starts empty."""
    from django.db import connection

    from inclusion.core.models import AuditLog
    from inclusion.measures.models import Geography, Measure, Observation

    deleted = {}
    with connection.cursor() as cursor:
        for model in (Observation, Measure, Geography):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            deleted[model._meta.label] = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(AuditLog._meta.db_table)} WHERE actor_label = %s",
            [IMPORT_VIA],
        )
    # Dead rows would slow the next process's import down (PostgreSQL) or grow the file.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")
    return deleted


def stage_import(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from inclusion.measures.importers import SHIPPED_RELEASE
    from inclusion.measures.models import Observation
    from inclusion.measures.services import ALL_MAPPINGS, published_statistics_import

    call_command("migrate", interactive=False, verbosity=0)
    if Observation.objects.exists():
        _clear_published()
    rss_start = rss_peak_bytes()
    result: dict[str, Any] = {
        "source": SHIPPED_RELEASE.name,
        "mode": "tracemalloc" if args.tracemalloc else "time",
    }

    def run() -> Any:
        return published_statistics_import(
            source=SHIPPED_RELEASE, mapping=ALL_MAPPINGS, via=IMPORT_VIA
        )

    if args.profile:
        profile_to(Path(args.profile), run)
        result["profile"] = str(Path(args.profile).with_suffix(".txt"))
        _clear_published()
        return result
    if args.tracemalloc:
        tracemalloc.start()
        started = time.perf_counter()
        imported = run()
        result["seconds_under_tracemalloc"] = time.perf_counter() - started
        result["heap_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        started, cpu_started = time.perf_counter(), time.process_time()
        imported = run()
        result["seconds"] = time.perf_counter() - started
        result["cpu_s"] = time.process_time() - cpu_started
        result["rss_start_bytes"] = rss_start
        result["rss_peak_bytes"] = rss_peak_bytes()
        # The same file again: nothing may change, and it should not take as long.
        started, cpu_started = time.perf_counter(), time.process_time()
        again = run()
        result["again_seconds"] = time.perf_counter() - started
        result["again_cpu_s"] = time.process_time() - cpu_started
        result["again_changed"] = again.changed
    result["files"] = len(imported.files)
    result["mappings"] = imported.mappings
    result["counts"] = imported.counts
    result["database"] = {"vendor": connection.vendor, "version": _version()}
    _clear_published()
    return result


def _version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    import sqlite3

    return sqlite3.sqlite_version


# ------------------------------------------------------------------ dashboard data


UNITS = ["percentage", "percentage", "count", "days", "rate_per_10000"]
TOPICS = [
    "EHC plans issued within 20 weeks",
    "Annual reviews completed on time",
    "Children waiting for an autism assessment",
    "Days to a speech and language therapy appointment",
    "Suspensions of pupils with SEN support per 10,000",
    "Two and a half year reviews delivered",
    "Requests for assessment decided within 6 weeks",
    "Young people with an EHC plan in education or training",
]


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    """The `months` whole months before this one, oldest first."""
    first = today.year * 12 + today.month - 1 - months
    return [dt.date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(months)]


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@dataclass
class _Generated:
    measures: list[Any]
    geographies: list[Any]
    own: Any
    months: list[dt.date]


def _geographies(size: DashboardSize, last_end: dt.date) -> list[Any]:
    from inclusion.measures.areas import ENGLAND, REGIONS
    from inclusion.measures.models import Geography

    england = Geography(
        code=ENGLAND, name="England", level=Geography.Level.NATIONAL, last_period_end=last_end
    )
    regions = [
        Geography(
            code=code,
            name=name,
            level=Geography.Level.REGIONAL,
            parent=england,
            last_period_end=last_end,
        )
        for code, name in REGIONS.items()
    ]
    authorities = [
        Geography(
            code=AUTHORITY_CODE.format(n),
            old_la_code=f"{100 + n:03d}"[-3:],
            name=f"Benchmark authority {n:03d}",
            level=Geography.Level.LOCAL_AUTHORITY,
            parent=regions[(n - 1) % len(regions)],
            last_period_end=last_end,
        )
        for n in range(1, size.authorities + 1)
    ]
    everything = [england, *regions, *authorities]
    Geography.objects.bulk_create(everything, batch_size=500)
    return everything


def _measures(size: DashboardSize) -> list[Any]:
    from inclusion.measures.models import Frequency, Measure, Polarity

    measures = []
    for i in range(1, size.measures + 1):
        unit = UNITS[i % len(UNITS)]
        polarity = (
            Polarity.NEUTRAL
            if unit == "count"
            else Polarity.LOWER
            if unit in ("days", "rate_per_10000")
            else (Polarity.HIGHER if i % 2 else Polarity.LOWER)
        )
        measures.append(
            Measure(
                partnership=None,
                kind=Measure.Kind.PUBLISHED,
                code=f"bench_measure_{i:03d}",
                title=f"{TOPICS[i % len(TOPICS)]} (benchmark measure {i:03d})",
                unit=unit,
                polarity=polarity,
                frequency=Frequency.MONTHLY,
                data_source="Generated by bench/measures.py",
                description="Benchmark data: random figures with a trend, not real statistics.",
                numerator_definition="Events" if unit == "percentage" else "",
                denominator_definition="Eligible children" if unit == "percentage" else "",
            )
        )
    Measure.objects.bulk_create(measures, batch_size=500)
    return measures


def _observation_values(
    generated: _Generated, rng: random.Random
) -> Iterator[tuple[int, int, int, str, str, str]]:
    """(measure, geography, month index, value, numerator, denominator) for every
    observation: a measure's level and trend, each authority's offset from it, noise, and
    about 1% suppressed (an empty value). Numbers as decimal text, as the database takes it."""
    from inclusion.measures.models import Geography

    scale = {
        Geography.Level.NATIONAL: 150,
        Geography.Level.REGIONAL: 18,
        Geography.Level.LOCAL_AUTHORITY: 1,
    }
    random_, gauss, randint = rng.random, rng.gauss, rng.randint
    for m, measure in enumerate(generated.measures):
        base = rng.uniform(20, 80)
        slope = rng.uniform(-0.08, 0.08)
        percentage = measure.unit == "percentage"
        count = measure.unit == "count"
        for g, geography in enumerate(generated.geographies):
            offset = rng.uniform(-12, 12) if geography.level == "local_authority" else 0
            size = scale[geography.level]
            for i in range(len(generated.months)):
                level = base + offset + slope * i
                if random_() < 0.01:  # a suppressed cell, as published files have
                    yield m, g, i, "", "", ""
                elif percentage:
                    denominator = randint(40, 400) * size
                    share = min(max(level + gauss(0, 4), 1), 99) / 100
                    numerator = round(denominator * share)
                    value = 100 * numerator / denominator
                    yield m, g, i, f"{value:.1f}", str(numerator), str(denominator)
                else:
                    value = max(level * (size if count else 1) + gauss(0, 3), 0)
                    yield m, g, i, f"{value:.1f}", "", ""


def _write_observations(
    generated: _Generated, total: int, seed: int, *, progress: bool = True
) -> None:
    """Every observation in bulk: one prepared INSERT with many parameter sets on SQLite,
    COPY on PostgreSQL (much faster there than executemany for millions of rows).

    Rows are tuples in the table's column order, from values prepared for the database once
    (ids, dates, constants); the ids rise (a random prefix and a counter) so that the
    primary-key index is appended to, not written all over."""
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from inclusion.measures.models import Observation

    rng = random.Random(seed)
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    fields = Observation._meta.concrete_fields
    names = [f.attname for f in fields]

    def prep(name: str, value: Any) -> Any:
        if postgres or value is None:
            return value  # COPY writes Python values; psycopg adapts them
        field = Observation._meta.get_field(name.removesuffix("_id"))
        return field.get_db_prep_save(value, connection)

    constant = {
        "created_at": now,
        "updated_at": now,
        "created_by_id": None,
        "modified_by_id": None,
        "partnership_id": None,
        "period_type": "month",
        "breakdown_topic": "",
        "breakdown": "",
        "numerator_code": "",
        "denominator_code": "",
        "source": Observation.Source.IMPORTED.value,
        "source_reference": "bench/measures.py: generated",
        "note": "",
    }
    template = [prep(name, constant[name]) if name in constant else None for name in names]
    measures = [prep("measure_id", m.pk) for m in generated.measures]
    geographies = [prep("geography_id", g.pk) for g in generated.geographies]
    months = [
        (prep("period_start", start), prep("period_end", _month_end(start)), f"{start:%Y-%m}")
        for start in generated.months
    ]
    prefix = rng.getrandbits(64) << 64
    at = names.index
    i_id, i_measure, i_geography = at("id"), at("measure_id"), at("geography_id")
    i_start, i_end, i_label = at("period_start"), at("period_end"), at("period_label")
    i_value, i_numerator, i_denominator = at("value"), at("numerator"), at("denominator")
    i_code, i_status = at("value_code"), at("status")

    def rows() -> Iterator[list[Any]]:
        values = _observation_values(generated, random.Random(seed + 1))
        for n, (m, g, i, value, numerator, denominator) in enumerate(values):
            row = template.copy()
            pk = uuid.UUID(int=prefix | n)
            row[i_id] = pk if postgres else pk.hex
            row[i_measure] = measures[m]
            row[i_geography] = geographies[g]
            row[i_start], row[i_end], row[i_label] = months[i]
            if value:
                row[i_value] = value
                row[i_numerator] = numerator or None
                row[i_denominator] = denominator or None
                row[i_code], row[i_status] = "", "available"
            else:
                row[i_code], row[i_status] = "c", "confidential"
            yield row

    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with tqdm(
        total=total, desc="  observations", unit="row", file=sys.stderr, disable=not progress
    ) as bar:
        with connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for n, row in enumerate(rows(), start=1):
                        copy.write_row(row)
                        if n % BATCH == 0:
                            bar.update(BATCH)
                bar.update(total - bar.n)
                return
            # A big page cache while the indexes grow (this connection only).
            cursor.execute("PRAGMA cache_size = -1000000")
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
            batch: list[list[Any]] = []
            for row in rows():
                batch.append(row)
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    bar.update(len(batch))
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                bar.update(len(batch))


def _partnership(slug: str, username: str, own: Any) -> tuple[Any, Any]:
    from inclusion.accounts.models import Organisation, Partnership, Role, User

    partnership = Partnership.objects.create(
        slug=slug,
        name=f"Measures benchmark partnership ({slug})",
        new_la_code=own.code,
        old_la_code=own.old_la_code,
    )
    council = Organisation.objects.create(
        partnership=partnership,
        name=f"{own.name} Council",
        short_name="BAC",
        kind=Organisation.Kind.LOCAL_AUTHORITY,
    )
    admin = User(
        username=username,
        first_name="Bench",
        last_name="Admin",
        organisation=council,
        role=Role.ADMIN,
    )
    # The benchmark signs in with force_login: nobody can sign in as this user.
    admin.set_unusable_password()
    admin.save()
    return partnership, admin


def _uses(
    partnership: Any,
    own: Any,
    measures: list[Any],
    neighbours: list[Any],
    first_month: dt.date,
    today: dt.date,
) -> int:
    """The partnership uses `measures` (owner, baseline, a target) and compares itself
    with `neighbours`."""
    from inclusion.measures.models import ComparatorArea, Observation, PartnershipMeasure, Target

    first = {
        measure_id: (value, end)
        for measure_id, value, end in Observation.objects.filter(
            measure__in=measures,
            geography=own,
            period_start=first_month,
        ).values_list("measure_id", "value", "period_end")
    }
    uses = [
        PartnershipMeasure(
            partnership=partnership,
            measure=measure,
            owner=f"Owner {i % 12 + 1}",
            baseline_value=first.get(measure.pk, (None, None))[0],
            baseline_date=first.get(measure.pk, (None, None))[1],
        )
        for i, measure in enumerate(measures)
    ]
    PartnershipMeasure.objects.bulk_create(uses, batch_size=500)
    targets = [
        Target(
            partnership_measure=use,
            date=dt.date(today.year + 1, 3, 31),
            value=Decimal(60 if use.measure.unit == "percentage" else 30),
        )
        for use in uses
        if use.measure.polarity != "neutral"
    ]
    Target.objects.bulk_create(targets, batch_size=500)
    ComparatorArea.objects.bulk_create(
        [
            ComparatorArea(partnership=partnership, geography=geography, rank=rank)
            for rank, geography in enumerate(neighbours, start=1)
        ]
    )
    return len(targets)


def dashboard_data_generate(
    *, size: DashboardSize, today: dt.date, seed: int = 2026, progress: bool = True
) -> dict[str, int]:
    """The measures, observations, the two partnerships and their admins, in one
    transaction; the counts. (tests/measures/test_demo.py runs it on a tiny size.)"""
    from django.db import connection, transaction

    from inclusion.core import audit
    from inclusion.measures.models import Observation

    months = _month_starts(today, size.months)
    with transaction.atomic():
        geographies = _geographies(size, _month_end(months[-1]))
        measures = _measures(size)
        generated = _Generated(measures, geographies, geographies[10], months)
        _write_observations(generated, size.observations, seed, progress=progress)
        with connection.cursor() as cursor:
            # Planner statistics for the new rows before the queries below (PostgreSQL
            # would otherwise plan them for an empty table).
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Observation._meta.db_table)}")
        authorities = geographies[10:]
        own, probe_own = authorities[0], authorities[1]
        neighbours = authorities[2 : 2 + NEIGHBOURS]
        partnership, _ = _partnership(PARTNERSHIP_SLUG, ADMIN_USERNAME, own)
        targets = _uses(partnership, own, measures, neighbours, months[0], today)
        probe, _ = _partnership(PROBE_SLUG, PROBE_ADMIN_USERNAME, probe_own)
        _uses(probe, probe_own, measures[:PROBE_MEASURES], neighbours, months[0], today)
        counts = {
            "measures": len(measures),
            "months": len(months),
            "geographies": len(geographies),
            "observations": size.observations,
            "partnership_measures": len(measures),
            "targets": targets,
            "neighbours": len(neighbours),
        }
        audit.log_event(
            "import",
            obj=partnership,
            via=VIA,
            note=f"Benchmark measures generated in bulk (no per-row audit): {counts}",
        )
    return counts


def stage_prepare_dashboard(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    size = QUICK if args.size == "quick" else FULL
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    today = dt.date.today()
    print(
        f"bench: generating {size.measures} measures x {size.months} months x "
        f"{size.geographies} geographies = {size.observations:,} observations on "
        f"{connection.vendor}",
        file=sys.stderr,
    )
    counts = dashboard_data_generate(size=size, today=today, seed=args.seed)
    generated_at = time.perf_counter()
    with connection.cursor() as cursor:
        # Fresh planner statistics (PostgreSQL's autovacuum would gather them after a real
        # import; SQLite's planner uses them too).
        cursor.execute("ANALYZE")
    return {
        "database": {"vendor": connection.vendor, "version": _version()},
        "today": today.isoformat(),
        "size": asdict(size),
        "counts": counts,
        "admin_username": ADMIN_USERNAME,
        "probe_admin_username": PROBE_ADMIN_USERNAME,
        "migrate_s": migrated - started,
        "generate_s": generated_at - migrated,
        "analyze_s": time.perf_counter() - generated_at,
    }


# ------------------------------------------------------------------ dashboard


def _dashboard_call(username: str) -> Any:
    from django.test import Client
    from django.urls import reverse

    from inclusion.accounts.models import User

    url = reverse("measures:dashboard")
    client = Client()
    client.force_login(User.objects.get(username=username))

    def call() -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(
                f"GET {url} answered {response.status_code}: {response.content[:300]!r}"
            )
        return response

    return call


def stage_dashboard(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    info = json.loads(Path(args.info).read_text())
    rss_start = rss_peak_bytes()
    call = _dashboard_call(info["admin_username"])
    result: dict[str, Any] = {"name": "dashboard"}
    started = time.perf_counter()
    first = call()
    result["warmup_s"] = time.perf_counter() - started
    result["response_bytes"] = len(first.content)
    result["url"] = first.request["PATH_INFO"]
    samples: list[float] = []
    cpu: list[float] = []
    runs = args.runs
    while len(samples) < runs:
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if len(samples) == 1 and samples[0] > args.slow_after and runs > 3:
            runs = 3
            result["runs_reduced"] = (
                f"first run took {samples[0]:.1f} s: {runs} timed runs, not {args.runs}"
            )
    result["timing"] = timing_summary(samples)
    result["cpu_median_s"] = statistics.median(cpu)
    # The same view with no status kept (the first view after the figures change, or in a
    # new server process): the statuses are worked out again (ADR 0015 addendum).
    from inclusion.measures.evidence import status_cache_clear

    cold: list[float] = []
    cold_cpu: list[float] = []
    for _ in range(3):
        status_cache_clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        cold.append(time.perf_counter() - started)
        cold_cpu.append(time.process_time() - cpu_started)
    result["cold_timing"] = timing_summary(cold)
    result["cold_cpu_median_s"] = statistics.median(cold_cpu)
    result["rss_start_bytes"] = rss_start
    result["rss_peak_bytes"] = rss_peak_bytes()

    probe = _dashboard_call(info["probe_admin_username"])
    probe()
    with CaptureQueriesContext(connection) as ctx:
        probe()
    result["queries_small"] = query_profile(ctx.captured_queries)
    tracemalloc.start()
    with CaptureQueriesContext(connection) as ctx:
        call()
    result["heap_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    result["queries"] = query_profile(ctx.captured_queries)
    if args.profile:
        profile_to(Path(args.profile), call)
        result["profile"] = str(Path(args.profile).with_suffix(".txt"))
    return result


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="stage", required=True)
    imp = sub.add_parser("import", help="import the whole 2025 release, then again")
    imp.add_argument("--tracemalloc", action="store_true", help="measure the Python heap")
    prepare = sub.add_parser("prepare-dashboard", help="migrate and generate the measures")
    prepare.add_argument("--size", choices=["full", "quick"], default="full")
    prepare.add_argument("--seed", type=int, default=2026)
    page = sub.add_parser("dashboard", help="time the partnership's dashboard")
    page.add_argument("--info", required=True, help="the JSON prepare-dashboard wrote")
    page.add_argument("--runs", type=int, default=9)
    page.add_argument(
        "--slow-after",
        type=float,
        default=2.0,
        help="3 runs, not --runs, when the first timed run takes longer",
    )
    for stage in (imp, page):
        stage.add_argument("--profile", help="also write a cProfile of one call to this path")
    for stage in (imp, prepare, page):
        stage.add_argument("--out", required=True, help="write the result as JSON here")
    args = parser.parse_args(argv)

    django_setup()
    stages = {
        "import": stage_import,
        "prepare-dashboard": stage_prepare_dashboard,
        "dashboard": stage_dashboard,
    }
    result = stages[args.stage](args)
    if MISSING_MIDDLEWARE:
        result["missing_middleware"] = MISSING_MIDDLEWARE
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
