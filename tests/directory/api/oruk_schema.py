"""The official Open Referral UK 3.0 schemas, read from `../shared/data/oruk-uk-profile-3.0/`
with no network: every `$ref` to the profile's published address is answered from the local
copy (`referencing`), and formats (uuid, uri, email, date-time) are checked.

`response_validator(path)` is the validator of a 200 answer of one of the spec's paths, as
the (patched) OpenAPI document declares it; `inlined_openapi()` is the same document with
every remote `$ref` replaced by the local schema, for schemathesis.
"""

import copy
import functools
import json
from pathlib import Path
from typing import Any

import referencing
import referencing.jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from inclusion.directory.oruk.spec import SCHEMA_BASE, patch_openapi
from tests.conftest import SHARED

PROFILE = SHARED / "data" / "oruk-uk-profile-3.0"
SCHEMAS = PROFILE / "schema"
OPENAPI_URI = "urn:oruk:openapi"
# The formats the profile's schemas use; each must really be checked (jsonschema skips a
# format whose checker library is missing, which would make these tests pass vacuously).
FORMATS = ("uuid", "uri", "email", "date-time")


def _local(uri: str) -> Path:
    if not uri.startswith(SCHEMA_BASE):
        raise LookupError(f"not a schema of the profile (no network in tests): {uri}")
    return SCHEMAS / uri.removeprefix(SCHEMA_BASE)


def _retrieve(uri: str) -> referencing.Resource:
    contents = json.loads(_local(uri).read_text(encoding="utf-8"))
    return referencing.Resource.from_contents(
        contents, default_specification=referencing.jsonschema.DRAFT202012
    )


@functools.cache
def published_openapi() -> dict[str, Any]:
    """The official document, from the shared copy (the app's vendored copy must equal it)."""
    return json.loads((SCHEMAS / "openapi.json").read_text(encoding="utf-8"))


@functools.cache
def openapi() -> dict[str, Any]:
    return patch_openapi(published_openapi())


@functools.cache
def _registry() -> referencing.Registry:
    resource = referencing.Resource.from_contents(
        openapi(), default_specification=referencing.jsonschema.DRAFT202012
    )
    return referencing.Registry(retrieve=_retrieve).with_resource(OPENAPI_URI, resource)


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    missing = [name for name in FORMATS if name not in checker.checkers]
    assert not missing, f"jsonschema cannot check {missing}: install requirements-dev.txt"
    return checker


def _pointer(path: str) -> str:
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/get/responses/200/content/application~1json/schema"


@functools.cache
def response_validator(path: str) -> Draft202012Validator:
    """Validates a 200 answer of `path` ("/services/{id}") against the official schemas."""
    schema = {"$ref": f"{OPENAPI_URI}#{_pointer(path)}"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=format_checker())


@functools.cache
def schema_validator(relative: str) -> Draft202012Validator:
    """Validates against one schema file of the profile ("compiled/service.json")."""
    schema = {"$ref": SCHEMA_BASE + relative}
    return Draft202012Validator(schema, registry=_registry(), format_checker=format_checker())


def errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    ]


def _inline(node: Any, base: str) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            uri = ref if ref.startswith("http") else base.rsplit("/", 1)[0] + "/" + ref
            target = json.loads(_local(uri).read_text(encoding="utf-8"))
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return _inline({**target, **rest}, uri)
        return {k: _inline(v, base) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, base) for v in node]
    return node


@functools.cache
def _inlined() -> dict[str, Any]:
    return _inline(openapi(), SCHEMA_BASE)


def inlined_openapi() -> dict[str, Any]:
    """The patched document with each remote schema copied in place of its `$ref`: a test
    harness step only (no network), which changes no schema."""
    return copy.deepcopy(_inlined())
