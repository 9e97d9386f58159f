"""Reading files in DfE's open-data layout: a zip of CSVs, or one CSV.

Every row carries `time_period, time_identifier, geographic_level, country_code,
country_name, region_code, region_name, new_la_code, old_la_code, la_name`, then the
file's breakdown and measure columns (see /work/shared/data/dfe-ehc-plans-2025/NOTICE.md
and DfE's open data standard). A mapping (importers/mapping.py) says which rows and
columns make which measures.

Rows are streamed with the csv module, never all held at once: a release is ~195,000
rows. Only the observations a mapping keeps are held, each checked here (numbers,
codes, geography, period, duplicates) so that the service can write in bulk.
"""

import csv
import datetime as dt
import fnmatch
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path, PurePosixPath
from typing import IO

from inclusion.measures.areas import (
    GeographyBook,
    GeographyError,
    PublishedGeography,
    geography_from_row,
)
from inclusion.measures.importers.codes import PUBLISHED_CODES, PublishedCode, normalise
from inclusion.measures.importers.mapping import Columns, Mapping, MeasureSpec, fold
from inclusion.measures.importers.problems import (
    ImportProblem,
    ProblemCollector,
    PublishedStatisticsError,
)
from inclusion.measures.models import ValueStatus
from inclusion.measures.periods import Period, PeriodError, period_from_published

# (file name, bytes read so far, bytes in all)
Progress = Callable[[str, int, int], None]

REQUIRED_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
)
GEOGRAPHY_COLUMNS = ("region_code", "region_name", "new_la_code", "old_la_code", "la_name")
NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$")
SIX_PLACES = Decimal("0.000001")
# The largest value the database holds (18 digits, 6 after the point).
LIMIT = Decimal(10) ** 12
# A member larger than this (uncompressed) is not a statistics file; refuse before reading.
MAX_MEMBER_BYTES = 1024 * 1024 * 1024
KNOWN_CODES = ", ".join(PUBLISHED_CODES)


@dataclass(frozen=True)
class SourceFile:
    name: str  # the CSV's name ("timeliness_20_week.csv")
    path: str  # its path in the zip ("data/timeliness_20_week.csv"), or the name
    container: str  # the zip's name, or "" for a CSV given directly
    size: int
    opener: Callable[[], IO[bytes]]

    @property
    def reference(self) -> str:
        """What an observation records as its source."""
        return f"{self.container}: {self.path}" if self.container else self.name


class Source:
    """A zip of CSVs or a single CSV, from a path or from bytes (an upload)."""

    def __init__(self, source: Path | str | bytes, filename: str = ""):
        if isinstance(source, bytes):
            self.filename = filename or "upload"
            self._bytes: bytes | None = source
            self._path: Path | None = None
            head = source[:4]
        else:
            self._path = Path(source)
            if not self._path.is_file():
                raise PublishedStatisticsError(
                    [ImportProblem(str(source), None, None, "there is no such file")]
                )
            self.filename = filename or self._path.name
            self._bytes = None
            with self._path.open("rb") as fh:
                head = fh.read(4)
        self.is_zip = head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06")
        self._zip: zipfile.ZipFile | None = None
        self._raw: IO[bytes] | None = None

    def _open_raw(self) -> IO[bytes]:
        if self._bytes is not None:
            return io.BytesIO(self._bytes)
        assert self._path is not None
        return self._path.open("rb")

    def files(self) -> list[SourceFile]:
        if not self.is_zip:
            size = len(self._bytes) if self._bytes is not None else self._path.stat().st_size  # type: ignore[union-attr]
            return [SourceFile(self.filename, self.filename, "", size, self._open_raw)]
        if self._zip is None:
            try:
                self._raw = self._open_raw()
                self._zip = zipfile.ZipFile(self._raw)
            except zipfile.BadZipFile as error:
                raise PublishedStatisticsError(
                    [ImportProblem(self.filename, None, None, f"is not a readable zip: {error}")]
                ) from None
        archive = self._zip
        found = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = PurePosixPath(info.filename).name
            found.append(
                SourceFile(
                    name,
                    info.filename,
                    self.filename,
                    info.file_size,
                    lambda info=info: archive.open(info),
                )
            )
        return found

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._raw is not None:
            self._raw.close()  # ZipFile leaves a file object it was given open

    def find(self, mapping: Mapping, *, required: bool) -> SourceFile | None:
        """The file a mapping reads. A CSV given directly is read whatever its name: the
        person chose both the file and the mapping."""
        files = self.files()
        if not self.is_zip:
            if required or fnmatch.fnmatch(files[0].name.lower(), mapping.file.lower()):
                return files[0]
            return None
        matches = [f for f in files if fnmatch.fnmatch(f.name.lower(), mapping.file.lower())]
        if len(matches) == 1:
            return matches[0]
        if not matches and not required:
            return None
        csvs = ", ".join(sorted(f.name for f in files if f.name.lower().endswith(".csv")))
        message = (
            f"mapping '{mapping.name}' reads '{mapping.file}', which the zip does not have "
            f"(it has: {csvs})"
            if not matches
            else f"mapping '{mapping.name}' reads '{mapping.file}', which matches several "
            f"files in the zip ({', '.join(f.path for f in matches)}): name one"
        )
        raise PublishedStatisticsError([ImportProblem(self.filename, None, None, message)])


@dataclass(slots=True)
class ParsedObservation:
    measure: str
    geography: str
    period: Period
    breakdown_topic: str
    breakdown: str
    value: Decimal | None
    value_code: str
    status: str
    numerator: Decimal | None
    numerator_code: str
    denominator: Decimal | None
    denominator_code: str
    file: str
    row: int
    reference: str
    mapping: str

    def same_values(self, other: "ParsedObservation") -> bool:
        return (
            self.value == other.value
            and self.value_code == other.value_code
            and self.numerator == other.numerator
            and self.numerator_code == other.numerator_code
            and self.denominator == other.denominator
            and self.denominator_code == other.denominator_code
        )


ObservationKey = tuple[str, str, str, dt.date, dt.date, str, str]


@dataclass
class ReadState:
    """Everything read so far in one import (several mappings, several files)."""

    observations: dict[ObservationKey, ParsedObservation] = field(default_factory=dict)
    geographies: GeographyBook = field(default_factory=GeographyBook)
    problems: ProblemCollector = field(default_factory=ProblemCollector)
    rows_read: int = 0
    rows_used: int = 0
    files_read: list[str] = field(default_factory=list)


class CellError(ValueError):
    pass


def parse_cell(text: str, extra_codes: dict[str, PublishedCode]) -> tuple[Decimal | None, str, str]:
    """(value, code as written, status). A code is never a number; anything else is an error."""
    stripped = text.strip()
    if NUMBER.match(stripped):
        number = Decimal(stripped)
        if abs(number) >= LIMIT:
            raise CellError(f"'{stripped}' is too large (the largest is 999,999,999,999)")
        if number.as_tuple().exponent < -6:  # type: ignore[operator]
            number = number.quantize(SIX_PLACES, rounding=ROUND_HALF_EVEN)
        return number, "", ValueStatus.AVAILABLE
    key = normalise(stripped)
    known = extra_codes.get(key) or PUBLISHED_CODES.get(key)
    if known is not None:
        return None, stripped, known.status
    if not stripped:
        raise CellError(
            "is empty: published files write a code (such as x) for a missing value; "
            'if this file leaves cells empty, say what that means in the mapping ([codes] "" = ...)'
        )
    raise CellError(f"'{stripped}' is not a number or a known code ({KNOWN_CODES})")


class _CountingReader(io.RawIOBase):
    """Passes bytes through and counts them, so the progress bar can show bytes read."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _rows(
    file: SourceFile, state: ReadState, progress: Progress | None
) -> Iterator[tuple[int, list[str]]]:
    if file.size > MAX_MEMBER_BYTES:
        state.problems.add(
            file.name, None, None, f"is {file.size:,} bytes: too large to be a statistics file"
        )
        return
    counter = _CountingReader(file.opener())
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        n = 0
        for row in reader:
            yield reader.line_num, row
            n += 1
            if progress and n % 2000 == 0:
                progress(file.name, counter.count, file.size)
        if progress:
            progress(file.name, file.size, file.size)
    except UnicodeDecodeError:
        state.problems.add(
            file.name, reader.line_num + 1, None, "is not UTF-8 text (DfE open data is UTF-8)"
        )
    except csv.Error as error:
        state.problems.add(file.name, reader.line_num, None, f"cannot be read as CSV: {error}")
    except (zipfile.BadZipFile, EOFError) as error:
        state.problems.add(file.name, None, None, f"is damaged in the zip: {error}")
    finally:
        text.close()


@dataclass
class _Header:
    names: list[str]
    positions: dict[str, list[int]]

    @classmethod
    def of(cls, names: list[str]) -> "_Header":
        positions: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            positions.setdefault(fold(name), []).append(i)
        return cls(names, positions)

    def find(self, name: str) -> list[int]:
        return self.positions.get(fold(name), [])


def read_mapping(
    *,
    source: Source,
    file: SourceFile,
    mapping: Mapping,
    state: ReadState,
    progress: Progress | None = None,
) -> None:
    """Read one file with one mapping into `state` (problems are collected, not raised)."""
    problems = state.problems
    name = file.name
    rows = _rows(file, state, progress)
    first = next(rows, None)
    if first is None:
        problems.add(name, None, None, "is empty: there is no header row")
        return
    header = _Header.of([h.strip() for h in first[1]])
    width = len(header.names)
    before = problems.total

    def column(col: str, key: str, *, required: bool = True) -> int | None:
        found = header.find(col)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            problems.add(
                name,
                1,
                col,
                f"appears {len(found)} times in the header (columns "
                f"{', '.join(str(i + 1) for i in found)}): mapping '{mapping.name}' ({key}) "
                "cannot tell which to read",
            )
        elif required:
            problems.add(
                name,
                1,
                col,
                f"mapping '{mapping.name}' names column '{col}' ({key}), which the file does not have",
            )
        return None

    standard = {}
    for col in REQUIRED_COLUMNS:
        found = header.find(col)
        if not found:
            problems.add(
                name,
                1,
                col,
                "the file has no such column: DfE open-data files start with "
                + ", ".join(REQUIRED_COLUMNS),
            )
        else:
            standard[col] = found[0]
    for col in GEOGRAPHY_COLUMNS:
        found = header.find(col)
        standard[col] = found[0] if found else None  # type: ignore[assignment]

    file_filters = [(column(c, f"filters.{c}"), allowed) for c, allowed in mapping.filters.items()]
    breakdown = mapping.breakdown
    topic_i = value_i = None
    if breakdown is not None:
        topic_i = column(breakdown.topic_column, "breakdown.topic_column")
        value_i = column(breakdown.column, "breakdown.column")

    def columns(cols: Columns | None) -> tuple[int, ...] | None:
        if cols is None:
            return None
        found = tuple(column(c, cols.key) for c in cols.names)
        return found if all(i is not None for i in found) else ()  # type: ignore[return-value]

    plans: list[
        tuple[MeasureSpec, list, tuple[int, ...], tuple[int, ...] | None, tuple[int, ...] | None]
    ] = []
    for spec in mapping.measures:
        own = [
            (column(c, f"measures.{spec.code}.filters.{c}"), allowed)
            for c, allowed in spec.filters.items()
        ]
        plans.append(
            (spec, own, columns(spec.value), columns(spec.numerator), columns(spec.denominator))
        )
    if problems.total > before:
        rows.close()  # a wrong header: reading 12,000 rows would only repeat it
        return

    state.files_read.append(file.path)
    codes = mapping.codes
    observations = state.observations
    book = state.geographies
    folded: dict[str, str] = {}
    geographies: dict[tuple[str, ...], PublishedGeography | GeographyError] = {}
    periods: dict[tuple[str, str], Period | PeriodError] = {}
    booked: set[tuple[str, dt.date]] = set()
    geo_columns = [
        standard.get(c)
        for c in ("geographic_level", "country_code", "country_name", *GEOGRAPHY_COLUMNS)
    ]
    tp_i, ti_i = standard["time_period"], standard["time_identifier"]
    reference = file.reference

    def fold_cached(text: str) -> str:
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(text)
        return value

    def cells(
        row: list[str], positions: tuple[int, ...], line: int
    ) -> tuple[Decimal | None, str, str] | None:
        if len(positions) == 1:
            try:
                return parse_cell(row[positions[0]], codes)
            except CellError as error:
                problems.add(name, line, header.names[positions[0]], str(error))
                return None
        total = Decimal(0)
        for i in positions:
            try:
                number, code, status = parse_cell(row[i], codes)
            except CellError as error:
                problems.add(name, line, header.names[i], str(error))
                return None
            if number is None:
                return None, code, status  # a sum with a missing part is missing
            total += number
        return total, "", ValueStatus.AVAILABLE

    for line, row in rows:
        state.rows_read += 1
        if len(row) != width:
            if not row:
                continue  # a blank line
            problems.add(name, line, None, f"has {len(row)} cells; the header has {width}")
            continue
        if any(fold_cached(row[i]) not in allowed for i, allowed in file_filters):  # type: ignore[index]
            continue
        matching = [
            plan
            for plan in plans
            if not plan[1] or all(fold_cached(row[i]) in allowed for i, allowed in plan[1])
        ]
        if not matching:
            continue
        state.rows_used += 1

        geo_key = tuple(row[i] if i is not None else "" for i in geo_columns)
        geography = geographies.get(geo_key)
        if geography is None:
            try:
                geography = geography_from_row(
                    level=geo_key[0],
                    country_code=geo_key[1],
                    country_name=geo_key[2],
                    region_code=geo_key[3],
                    region_name=geo_key[4],
                    new_la_code=geo_key[5],
                    old_la_code=geo_key[6],
                    la_name=geo_key[7],
                )
            except GeographyError as error:
                geography = error
            geographies[geo_key] = geography
        if isinstance(geography, GeographyError):
            problems.add(name, line, geography.column, str(geography))
            continue

        period_key = (row[tp_i], row[ti_i])
        period = periods.get(period_key)
        if period is None:
            try:
                period = period_from_published(*period_key)
            except PeriodError as error:
                period = error
            periods[period_key] = period
        if isinstance(period, PeriodError):
            column_name = (
                "time_identifier" if str(period).startswith("time_identifier") else "time_period"
            )
            problems.add(name, line, column_name, str(period))
            continue

        if (geography.code, period.end) not in booked:
            booked.add((geography.code, period.end))
            book.add(PublishedGeography(**vars(geography)), period.end)

        topic = label = ""
        if topic_i is not None and value_i is not None:
            topic, label = row[topic_i].strip(), row[value_i].strip()
            if fold_cached(topic) in breakdown.total:  # type: ignore[union-attr]
                topic = label = ""

        for spec, _own, value_at, numerator_at, denominator_at in matching:
            value = cells(row, value_at, line)
            numerator = cells(row, numerator_at, line) if numerator_at else (None, "", "")
            denominator = cells(row, denominator_at, line) if denominator_at else (None, "", "")
            if value is None or numerator is None or denominator is None:
                continue
            parsed = ParsedObservation(
                spec.code,
                geography.code,
                period,
                topic,
                label,
                value[0],
                value[1],
                value[2],
                numerator[0],
                numerator[1],
                denominator[0],
                denominator[1],
                name,
                line,
                reference,
                mapping.name,
            )
            key = (spec.code, geography.code, period.type, period.start, period.end, topic, label)
            first_seen = observations.get(key)
            if first_seen is None:
                observations[key] = parsed
                continue
            if first_seen.reference == reference and first_seen.mapping == mapping.name:
                problems.add(
                    name,
                    line,
                    None,
                    f"a second {spec.code} for {geography.name} ({geography.code}), "
                    f"{period.label}{_breakdown_words(topic, label)} (the first is row "
                    f"{first_seen.row}): filter the rows in the mapping, or keep the breakdown",
                )
            elif not first_seen.same_values(parsed):
                problems.add(
                    name,
                    line,
                    None,
                    f"{spec.code} for {geography.name} ({geography.code}), {period.label}"
                    f"{_breakdown_words(topic, label)} differs from {first_seen.file} row "
                    f"{first_seen.row}: import the files separately, the newer last",
                )


def _breakdown_words(topic: str, label: str) -> str:
    return f", {topic}: {label}" if topic or label else ""
