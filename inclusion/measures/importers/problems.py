"""Problems found while reading published statistics, each named by file, row and column."""

from dataclasses import asdict, dataclass
from typing import Any

# Enough to see the pattern of a bad file without printing every one of 12,000 rows.
MAX_LISTED = 50


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong. `file` is the CSV (or the mapping file); `row` counts the header as 1."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class PublishedStatisticsError(Exception):
    """Nothing was imported; `.problems` lists what was wrong (the first MAX_LISTED of
    `.total` problems)."""

    def __init__(self, problems: list[ImportProblem], *, total: int | None = None):
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)
        super().__init__(str(self))

    def lines(self) -> list[str]:
        lines = [str(problem) for problem in self.problems]
        if self.total > len(self.problems):
            lines.append(f"... and {self.total - len(self.problems):,} more problems like these")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ProblemCollector:
    """Counts every problem but keeps the first MAX_LISTED, so all can be reported at once."""

    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []
        self.total = 0

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(ImportProblem(file, row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if self.total:
            raise PublishedStatisticsError(self.problems, total=self.total)
