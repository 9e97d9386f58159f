"""A finished export: its bytes, its media type and the name to save it under."""

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
MARKDOWN = "text/markdown; charset=utf-8"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    content_type: str
    filename: str

    @property
    def size(self) -> int:
        return len(self.content)

    def content_disposition(self, *, inline: bool = False) -> str:
        """The header value for a download, safe for any filename (RFC 6266 with RFC 5987 UTF-8)."""
        kind = "inline" if inline else "attachment"
        ascii_name = self.filename.encode("ascii", "replace").decode().replace('"', "")
        ascii_name = ascii_name.replace("?", "_")
        return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename)}"

    def http_response(self, *, inline: bool = False) -> HttpResponse:
        """A Django response that downloads the file (or shows it, for HTML and PDF)."""
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = self.content_disposition(inline=inline)
        response["Content-Length"] = str(self.size)
        return response
