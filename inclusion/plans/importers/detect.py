"""Choose the reader for an uploaded file by its content first, its extension second.

Content wins because files are often misnamed (a Markdown export saved as .txt, an
HTML page saved as .doc). Junk, empty and unknown files get a PlanImportError that
says what the file looks like and what would work.
"""

import zipfile
from io import BytesIO
from pathlib import PurePath

from inclusion.core.partial_dates import PartialDate
from inclusion.plans.importers import narrative, tables, tabular
from inclusion.plans.importers.docx import read_docx_tables
from inclusion.plans.importers.problems import PlanImportError
from inclusion.plans.importers.types import ParsedPlan

ACCEPTED = "Markdown (.md, .txt), HTML, Word (.docx), CSV, Excel (.xlsx) or JSON"


def _extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower().lstrip(".")


def _zip_kind(content: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise PlanImportError(
            "the file looks like a zip archive but is damaged or cut off"
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise PlanImportError(f"the file is a zip archive, not a plan; upload {ACCEPTED}")


def decode_text(content: bytes) -> str:
    """Text from bytes, or a PlanImportError if the bytes are not text."""
    if b"\x00" in content[:8192]:
        raise PlanImportError(f"the file is not text (it has binary data); upload {ACCEPTED}")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets and documents saved on Windows are often cp1252.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise PlanImportError(
                f"the file is not text in UTF-8 or Windows-1252; upload {ACCEPTED}"
            ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(2, len(text[:8192]) // 100):
        raise PlanImportError(f"the file is not text (it has binary data); upload {ACCEPTED}")
    return text


def sniff(filename: str, content: bytes) -> str:
    """One of docx, xlsx, json, html, markdown, csv, text."""
    if not content or not content.strip():
        raise PlanImportError("the file is empty")
    head = content[:8]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanImportError(
            "this is an old-style Word (.doc) or Excel (.xls) file; save it as .docx or .xlsx"
        )
    if head.startswith(b"%PDF"):
        raise PlanImportError("PDF files cannot be read; save the document as Word (.docx)")
    if head.startswith(b"{\\rtf"):
        raise PlanImportError("RTF files cannot be read; save the document as Word (.docx)")
    text = decode_text(content)
    stripped = text.lstrip()
    extension = _extension(filename)
    if extension == "json" or stripped.startswith("{"):
        return "json"
    lower = stripped[:4096].lower()
    pipe_lines = sum(1 for line in text.splitlines() if line.strip().startswith("|"))
    if extension in {"html", "htm"} or lower.startswith(("<!doctype html", "<html")):
        return "html"
    if pipe_lines >= 2:
        return "markdown"
    if "<table" in text.lower():
        return "html"
    if extension in {"csv", "tsv"}:
        return "csv"
    return "text"


def parse_action_plan(
    *,
    filename: str,
    content: bytes,
    update_date: PartialDate | None = None,
    plan_title: str | None = None,
) -> ParsedPlan:
    """An action plan from any accepted format; PlanImportError names every problem."""
    parsed = _parse_action_plan(
        filename=filename, content=content, update_date=update_date, plan_title=plan_title
    )
    parsed.source_format = sniff(filename, content)
    return parsed


def _parse_action_plan(
    *,
    filename: str,
    content: bytes,
    update_date: PartialDate | None = None,
    plan_title: str | None = None,
) -> ParsedPlan:
    try:
        kind = sniff(filename, content)
        if kind == "json":
            return _json(content, plan_title)
        if kind == "docx":
            doc = read_docx_tables(content)
        elif kind == "xlsx":
            return tabular.interpret_sheet(
                tabular.read_xlsx(content), update_date=update_date, plan_title=plan_title
            )
        elif kind == "csv":
            return tabular.interpret_sheet(
                tabular.read_csv(decode_text(content)),
                update_date=update_date,
                plan_title=plan_title,
            )
        elif kind == "html":
            doc = tables.read_html(decode_text(content))
        elif kind == "markdown":
            doc = tables.read_markdown(decode_text(content))
        else:
            raise PlanImportError(
                "no table found: an action plan needs a table (Markdown pipes, HTML, Word) or "
                f"the spreadsheet template; upload {ACCEPTED}"
            )
        return tables.interpret_action_tables(doc, update_date=update_date, plan_title=plan_title)
    except PlanImportError as error:
        raise error.with_filename(PurePath(filename or "").name) from None


def parse_inclusion_plan(
    *, filename: str, content: bytes, plan_title: str | None = None
) -> ParsedPlan:
    """A narrative inclusion plan (text, Markdown, Word) or the JSON interchange format."""
    parsed = _parse_inclusion_plan(filename=filename, content=content, plan_title=plan_title)
    parsed.source_format = sniff(filename, content)
    return parsed


def _parse_inclusion_plan(*, filename: str, content: bytes, plan_title: str | None) -> ParsedPlan:
    try:
        kind = sniff(filename, content)
        if kind == "json":
            return _json(content, plan_title)
        if kind == "docx":
            lines = narrative.lines_from_docx(content)
        elif kind in {"text", "markdown"}:
            lines = narrative.lines_from_text(decode_text(content))
        elif kind == "html":
            lines = narrative.lines_from_text(_html_to_text(decode_text(content)))
        else:
            raise PlanImportError(
                f"an inclusion plan is read from text, Markdown, Word or JSON, not {kind.upper()}"
            )
        return narrative.interpret_narrative(lines, plan_title=plan_title)
    except PlanImportError as error:
        raise error.with_filename(PurePath(filename or "").name) from None


def _html_to_text(text: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    out: list[str] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li"]):
        content = " ".join(element.get_text(" ").split())
        if not content:
            continue
        if element.name == "li":
            depth = len(element.find_parents(["ul", "ol"])) - 1
            out.append("  " * max(depth, 0) + "- " + content)
        elif element.name.startswith("h"):
            out.append("\n" + "#" * int(element.name[1]) + " " + content + "\n")
        else:
            out.append("\n" + content + "\n")
    return "\n".join(out)


def _json(content: bytes, plan_title: str | None) -> ParsedPlan:
    from inclusion.plans.interchange import parse_plan_json

    parsed = parse_plan_json(decode_text(content))
    if plan_title:
        parsed.title = plan_title.strip()
    return parsed
