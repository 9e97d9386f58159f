"""The Open Referral UK profile's OpenAPI document, with its known defects fixed.

The published document (`openapi/openapi.json`, copied unchanged; see the NOTICE there and
`../shared/data/oruk-uk-profile-3.0/NOTICE.md`) has defects that stop tools reading it; the
API serves this patched copy at `/api/oruk/openapi.json`, and the conformance tests run
schemathesis against it. Each patch is listed in openapi/NOTICE.md.
"""

import copy
import functools
import json
from pathlib import Path
from typing import Any

PUBLISHED = Path(__file__).resolve().parent / "openapi" / "openapi.json"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


@functools.cache
def published_openapi() -> dict[str, Any]:
    return json.loads(PUBLISHED.read_text(encoding="utf-8"))


def patch_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the published document with the listed defects fixed (and nothing else)."""
    spec = copy.deepcopy(document)
    parameters = spec["components"]["parameters"]
    for name in ("start_time", "end_time"):
        if parameters[name]["schema"].get("type") == "time":
            parameters[name]["schema"] = {"type": "string", "format": "time"}
    if parameters["modified_after"]["schema"].get("format") == "datetime":
        parameters["modified_after"]["schema"]["format"] = "date-time"
    if "jsonSchemaDialect" in spec:
        spec["openapi"] = "3.1.0"
    place = spec["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]
    place["application/json"]["schema"]["$ref"] = SCHEMA_BASE + "compiled/service_at_location.json"
    terms, term = (
        spec["paths"]["/taxonomy_terms"]["get"],
        spec["paths"]["/taxonomy_terms/{id}"]["get"],
    )
    if terms["operationId"] == "getTaxonomyTermById":
        terms["operationId"], term["operationId"] = term["operationId"], terms["operationId"]
    return spec


def patched_openapi(*, server_url: str | None = None) -> dict[str, Any]:
    spec = patch_openapi(published_openapi())
    if server_url:
        spec["servers"] = [{"url": server_url.rstrip("/"), "description": "This Local Offer"}]
    return spec
