"""The symbols published statistics write instead of a number, and what each means.

Sources:
- the EHC plans release's own data guidance (`data-guidance/data-guidance.txt` in the
  zip): "z - Not applicable", "x - unavailable";
- DfE's open data standard as its screener checks it (dfe-analytical-services/
  dfe-published-data-qa, `global.R`): the GSS symbols `x` not available, `z` not
  applicable, `c` confidential, `low` rounds to zero, and the legacy `~` and `:`;
- the Government Statistical Service's symbols for tables: `u` low reliability, and
  `..` for not available in older tables.

A code is never read as a number: the observation keeps the code as written and its
status, and has no value. A mapping can add codes a file uses (`[codes]`, see
docs/measures/mapping-format.md).
"""

from dataclasses import dataclass

from inclusion.measures.models import ValueStatus


@dataclass(frozen=True)
class PublishedCode:
    status: str
    meaning: str


PUBLISHED_CODES: dict[str, PublishedCode] = {
    "x": PublishedCode(ValueStatus.NOT_AVAILABLE, "not available"),
    "z": PublishedCode(ValueStatus.NOT_APPLICABLE, "not applicable"),
    "c": PublishedCode(ValueStatus.CONFIDENTIAL, "confidential: suppressed to protect people"),
    "low": PublishedCode(ValueStatus.LOW, "rounds to zero, but is not zero"),
    "u": PublishedCode(ValueStatus.LOW_RELIABILITY, "low reliability"),
    "~": PublishedCode(ValueStatus.LOW, "rounds to zero, but is not zero (legacy symbol)"),
    ":": PublishedCode(ValueStatus.NOT_AVAILABLE, "not available (legacy symbol)"),
    "..": PublishedCode(ValueStatus.NOT_AVAILABLE, "not available"),
}

STATUS_MEANINGS = {status.value: status.label for status in ValueStatus}


def normalise(code: str) -> str:
    """How a cell is looked up: trimmed, lower case, spreadsheet brackets dropped ("[x]")."""
    text = code.strip().lower()
    if len(text) > 2 and text.startswith("[") and text.endswith("]"):
        text = text[1:-1].strip()
    return text


def code_meaning(code: str, extra: dict[str, PublishedCode] | None = None) -> str:
    """ "not available" for "x"; the status's label for a code only a mapping knew."""
    key = normalise(code)
    known = (extra or {}).get(key) or PUBLISHED_CODES.get(key)
    return known.meaning if known else ""
