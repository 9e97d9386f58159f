"""Mapping files: which rows and columns of a published file make which measures.

A mapping is a TOML file (read with the standard library's `tomllib`), documented for
data officers in docs/measures/mapping-format.md. Shipped mappings live in
`inclusion/measures/mappings/`; any other file can be named by its path. Every key is
checked: a misspelt key is an error naming the mapping file and the key, never a
silently ignored setting.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inclusion.measures.importers.codes import PublishedCode, normalise
from inclusion.measures.importers.problems import ImportProblem, PublishedStatisticsError
from inclusion.measures.models import Frequency, Polarity, Unit, ValueStatus

SHIPPED = Path(__file__).resolve().parents[1] / "mappings"
CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")

TOP_KEYS = {
    "title",
    "description",
    "file",
    "data_source",
    "source_url",
    "filters",
    "breakdown",
    "codes",
    "defaults",
    "measures",
}
MEASURE_KEYS = {
    "code",
    "title",
    "description",
    "unit",
    "polarity",
    "frequency",
    "value",
    "numerator",
    "denominator",
    "numerator_definition",
    "denominator_definition",
    "filters",
}
DEFAULTABLE = MEASURE_KEYS - {"code", "title", "value", "numerator", "denominator", "filters"}
BREAKDOWN_KEYS = {"topic_column", "column", "total"}
# Friendlier spellings a data officer may write, to the stored choice.
POLARITY_WORDS = {
    "higher": Polarity.HIGHER,
    "higher is better": Polarity.HIGHER,
    "lower": Polarity.LOWER,
    "lower is better": Polarity.LOWER,
    "neutral": Polarity.NEUTRAL,
    "neither": Polarity.NEUTRAL,
}
UNIT_WORDS = {
    **{u.value: u.value for u in Unit},
    "percent": Unit.PERCENTAGE,
    "%": Unit.PERCENTAGE,
    "rate per 10,000": Unit.RATE_PER_10000,
    "rate per 10000": Unit.RATE_PER_10000,
}


def fold(text: str) -> str:
    """How names and filter values are compared: case and spacing do not matter."""
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class Columns:
    """One column, or several added up (for a total the file does not publish)."""

    names: tuple[str, ...]
    key: str  # where the mapping named them, for messages: "measures[1].denominator"


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    title: str
    description: str
    unit: str
    polarity: str
    frequency: str
    value: Columns
    numerator: Columns | None
    denominator: Columns | None
    numerator_definition: str
    denominator_definition: str
    filters: dict[str, frozenset[str]]


@dataclass(frozen=True)
class BreakdownSpec:
    topic_column: str
    column: str
    total: frozenset[str]  # folded topic values that mean "everyone": stored with no breakdown


@dataclass(frozen=True)
class Mapping:
    name: str
    path: Path
    title: str
    description: str
    file: str  # the file name in a zip; * and ? wildcards
    data_source: str
    source_url: str
    filters: dict[str, frozenset[str]]
    breakdown: BreakdownSpec | None
    codes: dict[str, PublishedCode] = field(default_factory=dict)
    measures: tuple[MeasureSpec, ...] = ()

    @property
    def label(self) -> str:
        return self.path.name


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in SHIPPED.glob("*.toml"))


def mapping_path(name: str) -> Path:
    """A shipped mapping by name ("ehcp_timeliness"), or a mapping file by its path."""
    candidate = Path(name)
    if candidate.suffix.lower() == ".toml" or candidate.is_file() or "/" in name:
        if not candidate.is_file():
            raise _error(name, f"no mapping file at {name}")
        return candidate
    shipped = SHIPPED / f"{name}.toml"
    if not shipped.is_file():
        known = ", ".join(shipped_mappings())
        raise _error(name, f"no shipped mapping '{name}' (shipped: {known}; or give a path)")
    return shipped


def load_mapping(name: str) -> Mapping:
    path = mapping_path(name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise _error(path.name, f"is not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise _error(path.name, "is not UTF-8 text") from None
    return _MappingReader(path, data).read()


def _error(file: str, message: str) -> PublishedStatisticsError:
    return PublishedStatisticsError([ImportProblem(file, None, None, message)])


class _MappingReader:
    def __init__(self, path: Path, data: dict[str, Any]):
        self.path = path
        self.data = data
        self.problems: list[ImportProblem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(ImportProblem(self.path.name, None, None, f"{key}: {message}"))

    def read(self) -> Mapping:
        data = self.data
        self._unknown(data, TOP_KEYS, "")
        file = self._text(data, "file", required=True)
        defaults = data.get("defaults", {})
        if not isinstance(defaults, dict):
            self.problem("defaults", "should be a table ([defaults])")
            defaults = {}
        self._unknown(defaults, DEFAULTABLE, "defaults.")
        filters = self._filters(data.get("filters", {}), "filters")
        breakdown = self._breakdown(data.get("breakdown"))
        codes = self._codes(data.get("codes", {}))
        raw_measures = data.get("measures")
        measures: list[MeasureSpec] = []
        if not isinstance(raw_measures, list) or not raw_measures:
            self.problem("measures", "there should be at least one [[measures]] table")
            raw_measures = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_measures):
            spec = self._measure(index, raw, defaults)
            if spec is None:
                continue
            if spec.code in seen:
                self.problem(f"measures[{index}].code", f"'{spec.code}' is named twice")
            seen.add(spec.code)
            measures.append(spec)
        if self.problems:
            raise PublishedStatisticsError(self.problems)
        return Mapping(
            name=self.path.stem,
            path=self.path,
            title=self._text(data, "title") or self.path.stem,
            description=self._text(data, "description"),
            file=file,
            data_source=self._text(data, "data_source"),
            source_url=self._text(data, "source_url"),
            filters=filters,
            breakdown=breakdown,
            codes=codes,
            measures=tuple(measures),
        )

    def _unknown(self, table: dict[str, Any], allowed: set[str], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    f"{prefix}{key}",
                    f"is not a mapping key (expected one of: {', '.join(sorted(allowed))})",
                )

    def _text(
        self, table: dict[str, Any], key: str, *, required: bool = False, prefix: str = ""
    ) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.problem(f"{prefix}{key}", "should be text in quotes")
            return ""
        if required and not value.strip():
            self.problem(f"{prefix}{key}", "is required")
        return value.strip()

    def _filters(self, raw: Any, key: str) -> dict[str, frozenset[str]]:
        if not isinstance(raw, dict):
            self.problem(key, "should be a table of column = value (or [values])")
            return {}
        filters = {}
        for column, wanted in raw.items():
            values = [wanted] if isinstance(wanted, str) else wanted
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
            ):
                self.problem(f"{key}.{column}", "should be a value in quotes, or a list of them")
                continue
            filters[column] = frozenset(fold(v) for v in values)
        return filters

    def _breakdown(self, raw: Any) -> BreakdownSpec | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.problem("breakdown", "should be a table ([breakdown])")
            return None
        self._unknown(raw, BREAKDOWN_KEYS, "breakdown.")
        topic = self._text(raw, "topic_column", required=True, prefix="breakdown.")
        column = self._text(raw, "column", required=True, prefix="breakdown.")
        total = raw.get("total", [])
        totals = [total] if isinstance(total, str) else total
        if not isinstance(totals, list) or not all(isinstance(t, str) for t in totals):
            self.problem("breakdown.total", "should be a value in quotes, or a list of them")
            totals = []
        return BreakdownSpec(topic, column, frozenset(fold(t) for t in totals))

    def _codes(self, raw: Any) -> dict[str, PublishedCode]:
        if not isinstance(raw, dict):
            self.problem("codes", 'should be a table of "code" = "status"')
            return {}
        codes = {}
        statuses = {s.value for s in ValueStatus} - {ValueStatus.AVAILABLE}
        for code, status in raw.items():
            if status not in statuses:
                self.problem(
                    f'codes."{code}"',
                    f"'{status}' is not a status (expected one of: {', '.join(sorted(statuses))})",
                )
                continue
            codes[normalise(code)] = PublishedCode(status, ValueStatus(status).label.lower())
        return codes

    def _columns(
        self, raw: dict[str, Any], key: str, where: str, *, required: bool
    ) -> Columns | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{where}.{key}", "is required (the column that holds the value)")
            return None
        names = [value] if isinstance(value, str) else value
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            self.problem(f"{where}.{key}", "should be a column name, or a list of them to add up")
            return None
        return Columns(tuple(n.strip() for n in names), f"{where}.{key}")

    def _choice(self, value: Any, words: dict[str, str], key: str) -> str:
        if not isinstance(value, str) or fold(value) not in words:
            options = ", ".join(sorted({str(v) for v in words.values()}))
            self.problem(key, f"'{value}' is not one of: {options}")
            return ""
        return words[fold(value)]

    def _measure(self, index: int, raw: Any, defaults: dict[str, Any]) -> MeasureSpec | None:
        where = f"measures[{index}]"
        if not isinstance(raw, dict):
            self.problem(where, "should be a table ([[measures]])")
            return None
        self._unknown(raw, MEASURE_KEYS, f"{where}.")
        merged = {**defaults, **raw}
        code = self._text(merged, "code", required=True, prefix=f"{where}.")
        if code and not CODE.match(code):
            self.problem(
                f"{where}.code",
                f"'{code}' should be lower-case letters, digits and underscores (ehcp_20wk_incl_exceptions)",
            )
        title = self._text(merged, "title", required=True, prefix=f"{where}.")
        unit = self._choice(merged.get("unit"), UNIT_WORDS, f"{where}.unit")
        polarity = self._choice(merged.get("polarity"), POLARITY_WORDS, f"{where}.polarity")
        frequency_words = {f.value: f.value for f in Frequency}
        frequency = self._choice(
            merged.get("frequency", Frequency.ANNUALLY.value), frequency_words, f"{where}.frequency"
        )
        value = self._columns(raw, "value", where, required=True)
        numerator = self._columns(raw, "numerator", where, required=False)
        denominator = self._columns(raw, "denominator", where, required=False)
        filters = self._filters(raw.get("filters", {}), f"{where}.filters")
        if value is None:
            return None
        return MeasureSpec(
            code=code,
            title=title,
            description=self._text(merged, "description", prefix=f"{where}."),
            unit=unit,
            polarity=polarity,
            frequency=frequency,
            value=value,
            numerator=numerator,
            denominator=denominator,
            numerator_definition=self._text(merged, "numerator_definition", prefix=f"{where}."),
            denominator_definition=self._text(merged, "denominator_definition", prefix=f"{where}."),
            filters=filters,
        )
