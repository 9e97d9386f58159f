"""Problems found while reading a plan file, named by file, row and column."""

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the file.

    `row` is the line of a text file (Markdown, HTML), the row of a spreadsheet
    (CSV, XLSX: the header is row 1) or the row within `table` of a Word document.
    """

    row: int | None
    column: str | None
    message: str
    table: int | None = None

    def where(self) -> str:
        parts = []
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["table"] is None:
            del data["table"]
        return data

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file cannot be imported; `.problems` lists every problem found (not only the first)."""

    def __init__(self, problems: list[ImportProblem] | ImportProblem | str, *, filename: str = ""):
        if isinstance(problems, str):
            problems = [ImportProblem(None, None, problems)]
        elif isinstance(problems, ImportProblem):
            problems = [problems]
        self.problems: list[ImportProblem] = list(problems)
        self.filename = filename
        super().__init__(str(self))

    def with_filename(self, filename: str) -> "PlanImportError":
        if not self.filename:
            self.filename = filename
            self.args = (str(self),)
        return self

    def lines(self) -> list[str]:
        """One line per problem, each starting with the file name."""
        out = []
        for problem in self.problems:
            where = problem.where()
            prefix = ", ".join(p for p in (self.filename, where) if p)
            out.append(f"{prefix}: {problem.message}" if prefix else problem.message)
        return out

    def as_list(self) -> list[dict[str, Any]]:
        return [p.as_dict() for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ProblemCollector:
    """Gathers problems so a reader can report all of them at once."""

    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def add(
        self, row: int | None, column: str | None, message: str, *, table: int | None = None
    ) -> None:
        self.problems.append(ImportProblem(row, column, message, table))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise PlanImportError(self.problems)
