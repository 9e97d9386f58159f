"""Importing published statistics (DfE open-data files) as measures and observations.

Rules (docs/adr/0013-measures-model.md, docs/measures/mapping-format.md):
- All or nothing: every file is read and every row checked before anything is written;
  one problem anywhere and nothing is saved (the problems name file, row and column).
- Upsert by measure + geography + period + breakdown: importing the same file twice
  changes nothing and writes no audit entry. A value that changed is updated; an
  observation the file no longer has is kept (a new release may drop old years).
- Written in bulk (`bulk_create` / `bulk_update`), audited as ONE import event with the
  counts in its note, not a row per observation. Rows are checked by the reader
  (numbers, codes, geography, period, duplicates) instead of `full_clean()` per row,
  which would cost a query per observation; the database constraints are the backstop.
- A measure a mapping defines is created (and audited) on first import; the fields the
  mapping states are the mapping's, and are updated (and audited) when it changes.
"""

import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.core.writes import acting_user, save_changes
from inclusion.measures.importers.mapping import Mapping, load_mapping, shipped_mappings
from inclusion.measures.importers.opendata import (
    ObservationKey,
    ParsedObservation,
    Progress,
    ReadState,
    Source,
    read_mapping,
)
from inclusion.measures.importers.problems import ImportProblem, PublishedStatisticsError
from inclusion.measures.models import Measure, Observation, ValueStatus

# Every shipped mapping whose file the source has.
ALL_MAPPINGS = "all"
BATCH = 1000
VALUE_FIELDS = (
    "value",
    "value_code",
    "status",
    "numerator",
    "numerator_code",
    "denominator",
    "denominator_code",
)
COUNT_KEYS = (
    "rows_read",
    "rows_used",
    "observations_new",
    "observations_changed",
    "observations_unchanged",
    "observations_without_value",
    "measures_new",
    "measures_changed",
    "geographies_new",
    "geographies_changed",
)


@dataclass
class ImportResult:
    filename: str
    mappings: list[str]
    files: list[str]
    counts: dict[str, int]
    seconds: float = 0.0
    preview: bool = False
    skipped_mappings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(
            self.counts[k]
            for k in (
                "observations_new",
                "observations_changed",
                "measures_new",
                "measures_changed",
                "geographies_new",
                "geographies_changed",
            )
        )

    def message(self) -> str:
        """ "Imported education-health-and-care-plans_2025.zip (ehcp_timeliness): 1,940 new observations, ..."""
        c = self.counts
        verb = "Would import" if self.preview else "Imported"
        head = f"{verb} {self.filename} ({', '.join(self.mappings)})"
        if not self.changed:
            return (
                f"No changes from {self.filename} ({', '.join(self.mappings)}): all "
                f"{c['observations_unchanged']:,} observations are already there"
            )
        parts = [
            _count(c["observations_new"], "new observation"),
            f"{c['observations_changed']:,} changed",
            f"{c['observations_unchanged']:,} unchanged",
        ]
        if c["observations_without_value"]:
            parts.append(f"{c['observations_without_value']:,} kept with a code instead of a value")
        if c["measures_new"]:
            parts.append(_count(c["measures_new"], "new measure"))
        if c["measures_changed"]:
            parts.append(_count(c["measures_changed"], "changed measure"))
        if c["geographies_new"]:
            parts.append(_count(c["geographies_new"], "new geography", "new geographies"))
        parts.append(f"{c['rows_used']:,} of {c['rows_read']:,} rows used")
        return f"{head}: {', '.join(parts)}"

    def note(self) -> str:
        """The audit note: what was read and every count."""
        counts = ", ".join(f"{k} {self.counts[k]}" for k in COUNT_KEYS)
        return (
            f"{self.filename} with mapping(s) {', '.join(self.mappings)}; "
            f"files {', '.join(self.files)}; {counts}"
        )


def _count(n: int, singular: str, plural: str = "") -> str:
    """`1 new observation`, `1,940 new observations`."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


class _RollBack(Exception):
    """Raised inside the transaction of a preview so that nothing it wrote stays."""


def published_statistics_import(
    *,
    source: Path | str | bytes,
    mapping: str | Sequence[str],
    filename: str = "",
    actor: Any = None,
    via: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """Import a zip or CSV in DfE's open-data layout with one or more mappings (names of
    shipped mappings, paths to mapping files, or "all"). Raises PublishedStatisticsError
    (nothing saved) when anything is wrong."""
    return _run(
        source=source,
        mapping=mapping,
        filename=filename,
        actor=actor,
        via=via,
        progress=progress,
        preview=False,
    )


def published_statistics_preview(
    *,
    source: Path | str | bytes,
    mapping: str | Sequence[str],
    filename: str = "",
    progress: Progress | None = None,
) -> ImportResult:
    """What an import would do, checked by the same rules and rolled back."""
    return _run(
        source=source,
        mapping=mapping,
        filename=filename,
        actor=None,
        via="",
        progress=progress,
        preview=True,
    )


def _mappings(source: Source, names: Sequence[str]) -> tuple[list[tuple[Mapping, bool]], list[str]]:
    """The mappings to run, each with whether its file must be there; the skipped ones."""
    chosen: list[tuple[Mapping, bool]] = []
    skipped: list[str] = []
    for name in names:
        if name == ALL_MAPPINGS:
            for shipped in shipped_mappings():
                mapping = load_mapping(shipped)
                if source.find(mapping, required=False) is None:
                    skipped.append(mapping.name)
                else:
                    chosen.append((mapping, False))
        else:
            chosen.append((load_mapping(name), True))
    if not chosen:
        raise PublishedStatisticsError(
            [ImportProblem(source.filename, None, None, "no shipped mapping reads any file in it")]
        )
    return chosen, skipped


def _run(
    *,
    source: Path | str | bytes,
    mapping: str | Sequence[str],
    filename: str,
    actor: Any,
    via: str,
    progress: Progress | None,
    preview: bool,
) -> ImportResult:
    started = time.perf_counter()
    names = [mapping] if isinstance(mapping, str) else list(mapping)
    opened = Source(source, filename)
    try:
        chosen, skipped = _mappings(opened, names)
        state = ReadState()
        for spec, required in chosen:
            file = opened.find(spec, required=required)
            if file is not None:
                read_mapping(source=opened, file=file, mapping=spec, state=state, progress=progress)
        state.problems.raise_if_any()
    finally:
        opened.close()

    result = ImportResult(
        filename=opened.filename,
        mappings=[m.name for m, _ in chosen],
        files=state.files_read,
        counts=dict.fromkeys(COUNT_KEYS, 0),
        preview=preview,
        skipped_mappings=skipped,
    )
    result.counts["rows_read"] = state.rows_read
    result.counts["rows_used"] = state.rows_used
    try:
        with transaction.atomic():
            _write(
                state=state, mappings=[m for m, _ in chosen], result=result, actor=actor, via=via
            )
            if result.changed and not preview:
                audit.log_event(
                    AuditLog.Operation.IMPORT,
                    actor=actor,
                    via=via,
                    object_type=Observation._meta.label_lower,
                    object_repr=f"Published statistics: {result.filename}",
                    note=result.note(),
                )
            if preview:
                raise _RollBack
    except _RollBack:
        pass
    result.seconds = time.perf_counter() - started
    return result


def _write(
    *, state: ReadState, mappings: list[Mapping], result: ImportResult, actor: Any, via: str
) -> None:
    counts = result.counts
    geographies, counts["geographies_new"], counts["geographies_changed"] = state.geographies.save()
    measures = _save_measures(mappings, counts, actor=actor, via=via)

    user = acting_user(actor)
    geography_ids = {code: g.pk for code, g in geographies.items()}
    existing: dict[ObservationKey, tuple[Any, ...]] = {}
    by_measure_id = {m.pk: code for code, m in measures.items()}
    by_geography_id = {pk: code for code, pk in geography_ids.items()}
    rows = Observation.objects.filter(
        measure_id__in=by_measure_id, partnership__isnull=True
    ).values_list(
        "pk",
        "measure_id",
        "geography_id",
        "period_type",
        "period_start",
        "period_end",
        "breakdown_topic",
        "breakdown",
        *VALUE_FIELDS,
    )
    for row in rows.iterator(chunk_size=5000):
        geography_code = by_geography_id.get(row[2])
        if geography_code is None:
            continue  # a geography this import does not touch
        key = (by_measure_id[row[1]], geography_code, row[3], row[4], row[5], row[6], row[7])
        existing[key] = row

    now = timezone.now()
    new: list[ParsedObservation] = []
    changed: list[Observation] = []
    for key, parsed in state.observations.items():
        if parsed.status != ValueStatus.AVAILABLE:
            counts["observations_without_value"] += 1
        stored = existing.get(key)
        if stored is None:
            new.append(parsed)
            continue
        values = _values(parsed)
        if tuple(values.values()) == tuple(stored[8:]):
            counts["observations_unchanged"] += 1
            continue
        observation = Observation(pk=stored[0], **values)
        observation.source_reference = parsed.reference[:300]
        observation.updated_at = now
        observation.modified_by = user
        changed.append(observation)
    _insert(new, {code: m.pk for code, m in measures.items()}, geography_ids, user)
    Observation.objects.bulk_update(
        changed,
        [*VALUE_FIELDS, "source_reference", "updated_at", "modified_by"],
        batch_size=BATCH,
    )
    counts["observations_new"] = len(new)
    counts["observations_changed"] = len(changed)


def _insert(
    observations: list[ParsedObservation],
    measure_ids: dict[str, Any],
    geography_ids: dict[str, Any],
    user: Any,
) -> None:
    """New observations, written without `bulk_create`'s per-row model instances and its
    statement per 41 rows under SQLite's 999-parameter cap (most of an import's time):
    each value still goes through its field's `get_db_prep_save`, as bulk_create would.
    A plain INSERT: the same SQL on SQLite and PostgreSQL."""
    if not observations:
        return
    conn = connections[router.db_for_write(Observation)]  # not the `connection` proxy: slow
    fields = Observation._meta.concrete_fields
    now = timezone.now()
    user_id = user.pk if user is not None else None
    rows = []
    for parsed in observations:
        values = {
            "id": uuid.uuid4(),
            "created_at": now,
            "updated_at": now,
            "created_by_id": user_id,
            "modified_by_id": user_id,
            "measure_id": measure_ids[parsed.measure],
            "partnership_id": None,
            "geography_id": geography_ids[parsed.geography],
            "period_type": parsed.period.type,
            "period_start": parsed.period.start,
            "period_end": parsed.period.end,
            "period_label": parsed.period.label,
            "breakdown_topic": parsed.breakdown_topic[:200],
            "breakdown": parsed.breakdown[:200],
            "source": Observation.Source.IMPORTED.value,
            "source_reference": parsed.reference[:300],
            "note": "",
            **_values(parsed),
        }
        rows.append([f.get_db_prep_save(values[f.attname], conn) for f in fields])
    quote = conn.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Observation._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with conn.cursor() as cursor:
        # One statement, many parameter sets: SQLite runs it in-process; psycopg sends
        # it pipelined. (Multi-row VALUES measured no faster on PostgreSQL.)
        cursor.executemany(sql, rows)


def _values(parsed: ParsedObservation) -> dict[str, Any]:
    return {
        "value": parsed.value,
        "value_code": parsed.value_code,
        "status": parsed.status,
        "numerator": parsed.numerator,
        "numerator_code": parsed.numerator_code,
        "denominator": parsed.denominator,
        "denominator_code": parsed.denominator_code,
    }


def _save_measures(
    mappings: list[Mapping], counts: Counter | dict[str, int], *, actor: Any, via: str
) -> dict[str, Measure]:
    specs = {spec.code: (mapping, spec) for mapping in mappings for spec in mapping.measures}
    existing = {m.code: m for m in Measure.objects.filter(code__in=specs)}
    measures: dict[str, Measure] = {}
    problems = []
    for code, (mapping, spec) in specs.items():
        fields = {
            "title": spec.title,
            "unit": spec.unit,
            "polarity": spec.polarity,
            "frequency": spec.frequency,
            "data_source": "\n".join(p for p in (mapping.data_source, mapping.source_url) if p),
        }
        # Left to whoever edits the measure when the mapping does not say.
        for optional in ("description", "numerator_definition", "denominator_definition"):
            if getattr(spec, optional):
                fields[optional] = getattr(spec, optional)
        measure = existing.get(code)
        if measure is None:
            # The mapping that first defined it; two mappings may share a measure
            # (ehcp_timeliness and its by-characteristic twin), so it is not updated.
            measure = Measure(
                code=code,
                kind=Measure.Kind.PUBLISHED,
                partnership=None,
                mapping=mapping.name,
                **fields,
            )
            measure.created_by = measure.modified_by = acting_user(actor)
            measure.full_clean()
            measure.save()
            audit.log_create(measure, actor=actor, via=via, note=f"From mapping {mapping.name}")
            counts["measures_new"] += 1
        elif measure.partnership_id is not None or measure.kind != Measure.Kind.PUBLISHED:
            problems.append(
                ImportProblem(
                    mapping.label,
                    None,
                    None,
                    f"measure code '{code}' is already used by another measure "
                    f"({measure.get_kind_display().lower()}): give the mapping's measure another code",
                )
            )
            continue
        elif any(getattr(measure, k) != v for k, v in fields.items()):
            save_changes(
                measure, actor=actor, via=via, note=f"From mapping {mapping.name}", **fields
            )
            counts["measures_changed"] += 1
        measures[code] = measure
    if problems:
        raise PublishedStatisticsError(problems)
    return measures
