"""The plan tracker benchmark, one stage per process (called by `bench/run.py`).

    python bench/plan_tracker.py prepare --size full --out info.json
    python bench/plan_tracker.py page --name overview --info info.json --runs 9 --out page.json
    python bench/plan_tracker.py export --fmt pdf --info info.json --out export.json

Each stage runs in a fresh process against the database DATABASE_URL names, so the peak
RSS it reports belongs to that one measurement, not to the data generation or to an
earlier export. Pages are requested through Django's test Client as the benchmark
partnership's admin: URL routing, middleware, session, permission checks, selectors and
the template all count, as they do for a real request (docs/adr/0012-benchmarks.md).
"""

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import re
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# Page name -> (URL name, query string). The lead filter's value is filled in per plan.
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "overview": ("plans:plan_detail", {}),
    "actions_amber_overdue": ("plans:action_list", {"rag": "amber", "overdue": "1"}),
    "actions_lead": ("plans:action_list", {"lead": ""}),
}


def django_setup() -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if not os.environ.get("DATABASE_URL"):
        # Never fall back to the developer's db.sqlite3: the benchmark deletes and bulk-writes.
        raise SystemExit("bench: DATABASE_URL must name the throwaway benchmark database")
    import django

    # WhiteNoise warns when STATIC_ROOT has not been collected; pages do not need it here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    _drop_missing_middleware()


# Middleware named in settings but not (yet) in the code: left out so the pages can be
# measured at all, and reported with every result, because a real request would fail.
MISSING_MIDDLEWARE: list[str] = []


def _drop_missing_middleware() -> None:
    from django.conf import settings
    from django.utils.module_loading import import_string

    for path in list(settings.MIDDLEWARE):
        try:
            import_string(path)
        except ImportError:
            MISSING_MIDDLEWARE.append(path)
            settings.MIDDLEWARE.remove(path)
            print(f"bench: WARNING: settings name {path}, which does not exist", file=sys.stderr)


def rss_peak_bytes() -> int:
    """The process's peak resident set so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 9 samples, p95 is the slowest run."""
    ordered = sorted(samples)
    rank = max(1, -(-int(fraction * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def timing_summary(samples: list[float]) -> dict[str, Any]:
    return {
        "runs": len(samples),
        "median_s": statistics.median(samples),
        "p95_s": percentile(samples, 0.95),
        "min_s": min(samples),
        "max_s": max(samples),
        "samples_s": samples,
    }


_LITERALS = re.compile(r"'[^']*'|\b\d+\b|%s")


def query_profile(queries: list[dict[str, Any]]) -> dict[str, Any]:
    """How many queries, and which statements repeat (the sign of one query per row)."""
    shapes = Counter(_LITERALS.sub("?", q["sql"]) for q in queries)
    repeated = [
        {"count": count, "sql": sql[:300]} for sql, count in shapes.most_common(5) if count > 2
    ]
    return {"count": len(queries), "repeated": repeated}


def profile_to(path: Path, call: Callable[[], Any]) -> None:
    """Run `call` under cProfile; keep the stats and the 40 costliest functions as text."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    path.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(str(path.with_suffix(".prof")))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    path.with_suffix(".txt").write_text(text.getvalue())


# ------------------------------------------------------------------ prepare


def stage_prepare(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from bench import generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter()
    today = dt.date.today()
    size = generate.QUICK if args.size == "quick" else generate.FULL
    print(
        f"bench: generating {size.actions} actions x {size.updates_per_action} updates "
        f"on {connection.vendor}",
        file=sys.stderr,
    )
    main = generate.plan_generate(
        size=size, title="Benchmark plan", slug="benchmark-plan", today=today
    )
    probe = generate.plan_generate(
        size=generate.PROBE,
        title="Benchmark plan (small, for query counts)",
        slug="benchmark-plan-small",
        today=today,
        progress=False,
    )
    generated = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh planner statistics, as autovacuum would have after a real import.
            cursor.execute("ANALYZE")
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    return {
        "database": {"vendor": connection.vendor, "version": version},
        "today": today.isoformat(),
        "plan": generate.summary(main),
        "probe": generate.summary(probe),
        "admin_username": generate.ADMIN_USERNAME,
        "migrate_s": migrated - started,
        "generate_s": generated - migrated,
    }


# ------------------------------------------------------------------ pages


def _page_call(name: str, info: dict[str, Any], plan_key: str) -> tuple[str, Callable[[], Any]]:
    """How to request the page: through its view when it exists, else its selectors."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from inclusion.accounts.models import User

    url_name, query = PAGES[name]
    plan = info[plan_key]
    if "lead" in query:
        query = {**query, "lead": plan["busiest_lead"]}
    try:
        url = reverse(url_name, kwargs={"slug": plan["slug"]})
    except NoReverseMatch:
        return "selectors", _selector_call(name, plan, query)
    client = Client()
    client.force_login(User.objects.get(username=info["admin_username"]))

    def call() -> Any:
        response = client.get(url, query)
        if response.status_code != 200:
            raise RuntimeError(
                f"GET {url}?{query} answered {response.status_code}: {response.content[:300]!r}"
            )
        return response

    return "view", call


def _selector_call(name: str, plan: dict[str, Any], query: dict[str, str]) -> Callable[[], Any]:
    """Before the views existed: the selectors the page calls, fully evaluated."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    from inclusion.plans import selectors
    from inclusion.plans.models import Plan

    plan_obj = Plan.objects.get(pk=plan["plan_id"])
    today = dt.date.today()

    def call() -> Any:
        if name == "overview":
            overview = selectors.plan_overview(plan=plan_obj, today=today)
            return len(overview.overdue)
        filters = selectors.ActionFilters.from_query(QueryDict(urlencode(query)))
        return len(list(selectors.action_list(plan=plan_obj, filters=filters, today=today)))

    return call


def stage_page(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    info = json.loads(Path(args.info).read_text())
    rss_start = rss_peak_bytes()
    mode, call = _page_call(args.name, info, "plan")
    result: dict[str, Any] = {"name": args.name, "mode": mode}

    warmup_started = time.perf_counter()
    first = call()
    warmup = time.perf_counter() - warmup_started
    if mode == "view":
        result["response_bytes"] = len(first.content)
        result["url"] = first.request["PATH_INFO"] + "?" + first.request.get("QUERY_STRING", "")
    result["warmup_s"] = warmup
    runs = args.runs
    samples: list[float] = []
    cpu: list[float] = []
    while len(samples) < runs:
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        if len(samples) == 1 and samples[0] > args.slow_after and runs > 3:
            # Nine requests would only confirm a miss this large, at minutes per page.
            runs = 3
            result["runs_reduced"] = (
                f"first run took {samples[0]:.1f} s: {runs} timed runs, not {args.runs}"
            )
    result["timing"] = timing_summary(samples)
    result["cpu_median_s"] = statistics.median(cpu)
    result["rss_start_bytes"] = rss_start
    result["rss_peak_bytes"] = rss_peak_bytes()

    _, probe_call = _page_call(args.name, info, "probe")
    probe_call()
    with CaptureQueriesContext(connection) as ctx:
        probe_call()
    result["queries_small_plan"] = query_profile(ctx.captured_queries)
    # One more request gives both the query count and the Python heap peak.
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


# ------------------------------------------------------------------ exports


def stage_export(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.generate import VIA
    from inclusion.plans.models import Plan

    try:
        from inclusion.plans.reports import plan_report_render
    except ImportError as error:
        return {"fmt": args.fmt, "skipped": f"no report renderer yet ({error})"}

    info = json.loads(Path(args.info).read_text())
    plan = Plan.objects.get(pk=info["plan"]["plan_id"])
    probe = Plan.objects.get(pk=info["probe"]["plan_id"])
    rss_start = rss_peak_bytes()

    def since(p: Plan) -> dt.date | None:
        # The report form's default (views/plans.py): what changed since the last report.
        return p.last_report_date if args.changes_since == "last-report" else None

    # A warm-up on the small plan loads fonts, templates and code paths first, as in a
    # server process that has already made a report; its queries are the small-plan count.
    with CaptureQueriesContext(connection) as ctx:
        plan_report_render(plan=probe, fmt=args.fmt, via=VIA, changes_since=since(probe))
    small_queries = query_profile(ctx.captured_queries)
    rss_warm = rss_peak_bytes()

    result: dict[str, Any] = {
        "fmt": args.fmt,
        "mode": "tracemalloc" if args.tracemalloc else "time",
        "changes_since": str(since(plan)) if since(plan) else None,
    }

    def call() -> Any:
        return plan_report_render(plan=plan, fmt=args.fmt, via=VIA, changes_since=since(plan))

    if args.profile:
        profile_to(Path(args.profile), call)
        result["profile"] = str(Path(args.profile).with_suffix(".txt"))
        return result

    if args.tracemalloc:
        tracemalloc.start()
        started = time.perf_counter()
        rendered = call()
        result["seconds_under_tracemalloc"] = time.perf_counter() - started
        result["heap_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        # Recording a report's few SQL statements costs nothing beside the render.
        with CaptureQueriesContext(connection) as ctx:
            started, cpu_started = time.perf_counter(), time.process_time()
            rendered = call()
            result["seconds"] = time.perf_counter() - started
            result["cpu_s"] = time.process_time() - cpu_started
        result["rss_start_bytes"] = rss_start
        result["rss_after_warmup_bytes"] = rss_warm
        result["rss_peak_bytes"] = rss_peak_bytes()
        result["queries"] = query_profile(ctx.captured_queries)
        result["queries_small_plan"] = small_queries
    content = getattr(rendered, "content", rendered)
    result["bytes"] = len(content)
    if args.fmt == "pdf" and not args.tracemalloc:
        result["pages"] = _pdf_pages(content)
    return result


def _pdf_pages(content: bytes) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:  # a development dependency: only the page count is lost
        return None
    return len(PdfReader(io.BytesIO(content)).pages)


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="stage", required=True)
    prepare = sub.add_parser("prepare", help="migrate and generate the benchmark plans")
    prepare.add_argument("--size", choices=["full", "quick"], default="full")
    page = sub.add_parser("page", help="time one page")
    page.add_argument("--name", choices=sorted(PAGES), required=True)
    page.add_argument("--runs", type=int, default=9)
    page.add_argument(
        "--slow-after",
        type=float,
        default=2.0,
        help="3 runs, not --runs, when the first timed run takes longer",
    )
    export = sub.add_parser("export", help="time one board report export")
    export.add_argument("--fmt", choices=["pdf", "docx"], required=True)
    export.add_argument("--tracemalloc", action="store_true", help="measure the Python heap")
    export.add_argument(
        "--changes-since",
        choices=["last-report", "none"],
        default="last-report",
        help="include the changes since the plan's last report date, as the report form does",
    )
    for stage in (page, export):
        stage.add_argument("--info", required=True, help="the JSON the prepare stage wrote")
        stage.add_argument("--profile", help="also write a cProfile of one call to this path")
    for stage in (prepare, page, export):
        stage.add_argument("--out", required=True, help="write the result as JSON here")
    args = parser.parse_args(argv)

    django_setup()
    stages = {"prepare": stage_prepare, "page": stage_page, "export": stage_export}
    result = stages[args.stage](args)
    if MISSING_MIDDLEWARE:
        result["missing_middleware"] = MISSING_MIDDLEWARE
    Path(args.out).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
