"""The Local Offer benchmark: search under load (called by `bench/run.py`, or alone).

    python bench/directory.py prepare --size full --out info.json
    python bench/directory.py load --info info.json --clients 20 --seconds 20 --out load.json

Issue #6: 5,000 services at 10,000 locations; `/api/oruk/services?search=...` and the
public search page under 20 concurrent clients on loopback; target p95 under 100 ms, on
SQLite (FTS5) and PostgreSQL (full-text search), with throughput.

- `prepare` migrates the throwaway database DATABASE_URL names and writes the directory
  in bulk: 500 organisations, 5,000 active services each at two of 10,000 locations across
  Lincolnshire, tagged with needs and service types, each with a contact, a phone and a
  schedule. `search_text` is built as `services.service_search_text` builds it (name,
  description, organisation, terms, places, postcodes); the full-text index is the one
  `search.ensure_search_index` makes after `migrate`, filled by its triggers (SQLite) or
  its expression index (PostgreSQL). Then ANALYZE.
- `load` starts gunicorn (`bench.settings`: DEBUG off, persistent connections) on a free
  loopback port, with one worker per CPU, and drives it with a closed-loop client: 20
  threads, each with its own keep-alive connection, each sending its next request as soon
  as the last is answered, for `--seconds` per target after a warm-up. The queries cycle
  through a fixed list (words, words with a postcode, a need with an age), the same for
  every run (a third target makes every request unique, so none is answered from the
  API's kept answers, `inclusion/directory/oruk/cache.py`). Latency is measured at the client (request sent to last byte read); p95 is
  nearest-rank over every request of the target; throughput is requests answered per
  second. Any answer but 200 counts as an error.

The client is plain Python (threads and http.client) rather than locust or wrk: it needs
no package, reports exact percentiles, and its own CPU use is small beside the server's
(it shares the machine's CPUs with the server, as a loopback test must).
"""

import argparse
import datetime as dt
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
SIZES = {"full": (5_000, 10_000, 500), "quick": (500, 1_000, 50)}
TARGET_P95_S = 0.1

NEEDS = [
    "Autism", "Speech, language and communication", "Hearing impairment", "Visual impairment",
    "Physical disability", "Social, emotional and mental health", "Moderate learning difficulty",
    "Severe learning difficulty", "Specific learning difficulty", "Sensory processing",
    "Multi-sensory impairment", "ADHD",
]  # fmt: skip
SERVICE_TYPES = [
    "Speech and language therapy", "Occupational therapy", "Counselling", "Portage",
    "Short breaks", "Parent support group", "Mental health support", "Physiotherapy",
    "Special school", "SEND hub", "Health visiting", "Careers advice", "Youth club",
    "Sensory workshop", "Advice line", "Transport", "Holiday activities", "Respite care",
]  # fmt: skip
TOWNS = [
    ("Lincoln", "LN1 1", 53.2307, -0.5406), ("Boston", "PE21 6", 52.9789, -0.0266),
    ("Grantham", "NG31 6", 52.9118, -0.6426), ("Skegness", "PE25 3", 53.1436, 0.3364),
    ("Spalding", "PE11 1", 52.7866, -0.1531), ("Gainsborough", "DN21 2", 53.3997, -0.7763),
    ("Louth", "LN11 9", 53.3669, -0.0062), ("Sleaford", "NG34 7", 52.9986, -0.4094),
    ("Stamford", "PE9 2", 52.6537, -0.4800), ("Horncastle", "LN9 5", 53.2084, -0.1147),
]  # fmt: skip
WORDS = [
    "support", "children", "young people", "families", "advice", "therapy", "group",
    "workshop", "assessment", "home visits", "online", "drop-in", "school", "transition",
    "preparing for adulthood", "wellbeing", "play", "communication", "sensory", "local",
]  # fmt: skip
# What visitors and feeds ask: words, words near a postcode, a need for an age.
API_QUERIES: list[dict[str, str]] = [
    {"search": "autism"},
    {"search": "speech therapy"},
    {"search": "counselling", "postcode": "LN1 1YL"},
    {"search": "sensory workshop"},
    {"search": "short breaks", "postcode": "PE21 6QR", "proximity": "20000"},
    {"search": "mental health"},
    {"search": "portage", "postcode": "NG31 6PZ"},
    {"search": "parent support group"},
    {"search": "occupational therapy", "minimum_age": "0", "maximum_age": "18"},
    {"search": "transition adulthood"},
]
PAGE_QUERIES: list[dict[str, str]] = [
    {"q": "autism"},
    {"q": "speech therapy"},
    {"q": "counselling", "postcode": "LN1 1YL"},
    {"q": "sensory workshop"},
    {"q": "short breaks", "postcode": "PE21 6QR", "distance": "10"},
    {"q": "mental health"},
    {"q": "portage", "postcode": "NG31 6PZ"},
    {"q": "parent support group"},
    {"q": "occupational therapy", "age": "7"},
    {"q": "transition adulthood"},
]
# The same searches made unique (a `modified_after` long before any service, a different
# millisecond each time): every request misses the API's kept answers and runs the search.
API_QUERIES_UNIQUE: list[dict[str, str]] = [
    {
        **API_QUERIES[k % len(API_QUERIES)],
        "modified_after": f"2000-01-01T00:{k // 60000 % 60:02d}:{k // 1000 % 60:02d}.{k % 1000:03d}Z",
    }
    for k in range(50_000)
]
TARGETS = {
    "api_search": ("/api/oruk/services", API_QUERIES),
    "api_search_unique": ("/api/oruk/services", API_QUERIES_UNIQUE),
    "page_search": ("/local-offer/search/", PAGE_QUERIES),
}
TARGET_LABELS = {
    "api_search": "ORUK /api/oruk/services?search=...",
    "api_search_unique": "ORUK /api/oruk/services?search=..., every request new (no kept answer)",
    "page_search": "public search page /local-offer/search/?q=...",
}


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def django_setup() -> None:
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("bench: DATABASE_URL must name the throwaway benchmark database")
    import django

    django.setup()


# ------------------------------------------------------------------ prepare


def generate(services: int, locations: int, organizations: int, seed: int = 2026) -> dict[str, int]:
    """The benchmark directory, in bulk (no audit: generated data, as bench/generate.py)."""
    from django.db import connection, transaction

    from inclusion.accounts.models import Partnership
    from inclusion.directory.models import (
        Address,
        Attribute,
        Contact,
        Location,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceAtLocation,
        Taxonomy,
        TaxonomyTerm,
    )
    from inclusion.directory.search import ensure_search_index

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name="Benchmark partnership", slug="benchmark", new_la_code="E10000019"
        )
        needs = Taxonomy.objects.create(name="esd Needs", kind=Taxonomy.Kind.NEED)
        types = Taxonomy.objects.create(name="esd Service types", kind=Taxonomy.Kind.SERVICE_TYPE)
        need_terms = TaxonomyTerm.objects.bulk_create(
            [TaxonomyTerm(taxonomy=needs, name=n, position=i) for i, n in enumerate(NEEDS)]
        )
        type_terms = TaxonomyTerm.objects.bulk_create(
            [TaxonomyTerm(taxonomy=types, name=n, position=i) for i, n in enumerate(SERVICE_TYPES)]
        )
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    partnership=partnership,
                    name=f"{rng.choice(TOWNS)[0]} {rng.choice(['Trust', 'Charity', 'Council team', 'Academy', 'CIC'])} {n}",
                    description="A provider in the benchmark Local Offer.",
                    email=f"org{n}@example.org",
                )
                for n in range(organizations)
            ],
            batch_size=1000,
        )
        places: list[Location] = []
        addresses: list[Address] = []
        for n in range(locations):
            town, sector, lat, lon = rng.choice(TOWNS)
            location = Location(
                partnership=partnership,
                name=f"{town} {rng.choice(['Centre', 'Clinic', 'Hub', 'Library', 'School'])} {n}",
                latitude=lat + rng.uniform(-0.08, 0.08),
                longitude=lon + rng.uniform(-0.12, 0.12),
            )
            places.append(location)
            addresses.append(
                Address(
                    location=location,
                    address_1=f"{n} High Street",
                    city=town,
                    state_province="Lincolnshire",
                    postal_code=f"{sector}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                )
            )
        Location.objects.bulk_create(places, batch_size=1000)
        Address.objects.bulk_create(addresses, batch_size=1000)
        rows: dict[str, list[Any]] = {
            "services": [],
            "sal": [],
            "attributes": [],
            "contacts": [],
            "phones": [],
            "schedules": [],
        }
        org_names = {o.pk: o.name for o in orgs}
        per_service = max(1, locations // services)
        for n in range(services):
            kind = type_terms[n % len(type_terms)]
            tagged = rng.sample(need_terms, rng.randint(1, 3))
            at = [places[(n * per_service + k) % locations] for k in range(per_service)]
            org = orgs[n % organizations]
            description = (
                f"{kind.name} for {' and '.join(t.name.lower() for t in tagged)}: "
                + " ".join(rng.sample(WORDS, 6))
                + "."
            )
            low = rng.choice([0, 0, 2, 5, 11, 16])
            service = Service(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                partnership=partnership,
                organization=org,
                name=f"{kind.name} ({at[0].name.split()[0]}) {n}",
                description=description,
                url=f"https://example.org/services/{n}",
                email=f"service{n}@example.org",
                minimum_age=low,
                maximum_age=rng.choice([5, 11, 18, 25]) if low < 16 else 25,
                last_modified=now,
            )
            parts = [
                service.name,
                description,
                org_names[org.pk],
                kind.name,
                *(t.name for t in tagged),
            ]
            for place in at:
                parts += [place.name]
            service.search_text = "\n".join(parts)
            rows["services"].append(service)
            rows["sal"] += [ServiceAtLocation(service=service, location=place) for place in at]
            rows["attributes"] += [
                Attribute(service=service, taxonomy_term=term, link_type="service")
                for term in [kind, *tagged]
            ]
            contact = Contact(service=service, name=f"Contact {n}", title="Coordinator")
            rows["contacts"].append(contact)
            rows["phones"].append(Phone(contact=contact, number=f"01522 {n:06d}"))
            rows["schedules"].append(
                Schedule(
                    service=service,
                    freq="WEEKLY",
                    byday="MO,TU,WE,TH,FR",
                    opens_at=dt.time(9),
                    closes_at=dt.time(17),
                )  # fmt: skip
            )
        Service.objects.bulk_create(rows["services"], batch_size=500)
        for key, model in (
            ("sal", ServiceAtLocation),
            ("attributes", Attribute),
            ("contacts", Contact),
            ("phones", Phone),
            ("schedules", Schedule),
        ):
            model.objects.bulk_create(rows[key], batch_size=1000)
    ensure_search_index(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "services": Service.objects.count(),
        "locations": Location.objects.count(),
        "service_at_locations": ServiceAtLocation.objects.count(),
        "organizations": Organization.objects.count(),
        "attributes": Attribute.objects.count(),
    }


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    services, locations, organizations = SIZES[args.size]
    counts = generate(services, locations, organizations)
    return {
        "counts": counts,
        "migrate_s": migrated - started,
        "generate_s": time.perf_counter() - migrated,
        "database": {
            "vendor": connection.vendor,
            "version": ".".join(map(str, connection.Database.sqlite_version_info))
            if connection.vendor == "sqlite"
            else str(connection.pg_version),
        },
    }


# ------------------------------------------------------------------ load


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(REPO)}
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "inclusion.config.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--chdir", str(REPO),
        "--log-level", "warning",
        "--keep-alive", "30",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/oruk/")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            raise SystemExit(f"bench: gunicorn exited {server.returncode}")
    stop_server(server)
    raise SystemExit("bench: gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, signal.SIGKILL)


def server_cpu_s(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and its workers, from
    /proc: on a shared machine the server's CPU per request is the steadier figure."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        if pid == master or ppid == master:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def drive(
    port: int,
    path: str,
    queries: list[dict[str, str]],
    *,
    clients: int,
    seconds: float,
    start: int = 0,
) -> dict[str, Any]:
    """`clients` threads, each on its own keep-alive connection, for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[list[str]] = [[] for _ in range(clients)]
    stop = threading.Event()
    start_gate = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        urls = (
            [f"{path}?{urlencode(q)}" for q in queries[n::clients]]
            if len(queries) > 1000
            else [f"{path}?{urlencode(q)}" for q in queries]
        )
        k = start + n  # each client starts at another query (or has its own unique ones)
        start_gate.wait()
        while not stop.is_set():
            url = urls[k % len(urls)]
            k += 1
            sent = time.perf_counter()
            try:
                connection.request("GET", url, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[n].append(f"{url}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[n].append(time.perf_counter() - sent)
            if response.status != 200:
                errors[n].append(f"{url}: HTTP {response.status}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - began
    samples = sorted(s for per_client in latencies for s in per_client)
    failed = [e for per_client in errors for e in per_client]

    def rank(p: int) -> float:
        return samples[max(1, -(-p * len(samples) // 100)) - 1] if samples else float("nan")

    return {
        "requests": len(samples),
        "errors": len(failed),
        "error_examples": failed[:5],
        "seconds": elapsed,
        "throughput_rps": len(samples) / elapsed,
        "p50_s": rank(50),
        "p95_s": rank(95),
        "p99_s": rank(99),
        "max_s": samples[-1] if samples else float("nan"),
        "mean_s": statistics.fmean(samples) if samples else float("nan"),
    }


def load(args: argparse.Namespace) -> dict[str, Any]:
    workers = args.workers or (os.cpu_count() or 1)
    server, port = start_server(workers)
    try:
        result: dict[str, Any] = {"workers": workers, "clients": args.clients, "targets": {}}
        for name, (path, queries) in TARGETS.items():
            log(
                f"  {TARGET_LABELS[name]}: warm-up, then {args.clients} clients for {args.seconds:.0f} s"
            )
            drive(port, path, queries, clients=args.clients, seconds=min(3.0, args.seconds))
            # Unique queries: the measured requests start past those the warm-up sent.
            start = len(queries) // (2 * args.clients) if len(queries) > 1000 else 0
            cpu_before = server_cpu_s(server.pid)
            measured = drive(
                port, path, queries, clients=args.clients, seconds=args.seconds, start=start
            )
            cpu = server_cpu_s(server.pid) - cpu_before
            measured["server_cpu_per_request_s"] = cpu / max(1, measured["requests"])
            measured["load_average"] = os.getloadavg()
            log(
                f"    p95 {measured['p95_s'] * 1000:.0f} ms, p50 {measured['p50_s'] * 1000:.0f} ms, "
                f"{measured['throughput_rps']:.0f} requests/s, {measured['errors']} errors, "
                f"server CPU {measured['server_cpu_per_request_s'] * 1000:.1f} ms a request"
            )
            result["targets"][name] = measured
        return result
    finally:
        stop_server(server)


# ------------------------------------------------------------------ for run.py


def run_directory(
    db: str, args: Any, env: dict[str, str], workdir: Path, stage: Any
) -> dict[str, Any]:
    """Prepare and load, each in a fresh process (bench/run.py's `stage`)."""
    size = "quick" if args.quick else "full"
    log(f"{db}: Local Offer: generate the directory ({size})")
    info = stage(
        "prepare",
        ["--size", size],
        env=env,
        workdir=workdir,
        tag="directory-info",
        script=Path(__file__),
        timeout=1800,
    )
    if "error" in info or "timed_out_s" in info:
        return {"error": info.get("error") or "generating the directory timed out"}
    log(f"{db}: {info['counts']} in {info['generate_s']:.1f} s")
    seconds = 5 if args.quick else 20
    loaded = stage(
        "load",
        ["--clients", "20", "--seconds", str(seconds)],
        env=env,
        workdir=workdir,
        tag="directory-load",
        script=Path(__file__),
        timeout=900,
    )
    return {
        **loaded,
        "data": info.get("counts"),
        "generate_s": info.get("generate_s"),
        "database": info.get("database"),
    }


def rows(db: str, directory: dict[str, Any], columns: int) -> list[list[str]]:
    """run.py's table rows, one per target: p50 as the median, p95 against 100 ms, the
    throughput and errors as the output."""
    if not directory:
        return []
    if "targets" not in directory:
        message = directory.get("error", "?")
        return [[db, "Local Offer search under load", message, *[""] * (columns - 3)]]
    out = []
    for name, measured in directory["targets"].items():
        row = [
            db,
            f"{TARGET_LABELS[name]}, {directory['clients']} clients",
            f"{measured['p50_s'] * 1000:.0f} ms",
            f"{measured['p95_s'] * 1000:.0f} ms",
            f"{TARGET_P95_S * 1000:.0f} ms (p95)",
            f"{measured['p95_s'] / TARGET_P95_S:.2f} (p95)",
        ]
        row.append(
            f"{measured.get('server_cpu_per_request_s', float('nan')) * 1000:.1f} ms/request"
        )
        row += [""] * (columns - len(row) - 1)
        row.append(f"{measured['throughput_rps']:.0f} req/s, {measured['errors']} errors")
        out.append(row)
    return out


def warnings(db: str, directory: dict[str, Any]) -> list[str]:
    notes = []
    for name, measured in directory.get("targets", {}).items():
        if measured["p95_s"] > TARGET_P95_S:
            notes.append(
                f"{db}: {TARGET_LABELS[name]} misses its target: p95 "
                f"{measured['p95_s'] * 1000:.0f} ms vs {TARGET_P95_S * 1000:.0f} ms with "
                f"{directory['clients']} clients ({measured['throughput_rps']:.0f} req/s)"
            )
        if measured["errors"]:
            notes.append(
                f"{db}: {TARGET_LABELS[name]}: {measured['errors']} errors, e.g. {measured['error_examples'][:1]}"
            )
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="stage", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--size", choices=list(SIZES), default="full")
    p.add_argument("--out", required=True)
    p = sub.add_parser("load")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: one per CPU)")
    p.add_argument("--info", help="ignored (the stage finds the data in the database)")
    p.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    result = prepare(args) if args.stage == "prepare" else load(args)
    Path(args.out).write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
