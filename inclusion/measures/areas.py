"""Geography codes: England, regions and local authorities as published statistics name them.

Codes are the Government Statistical Service (GSS) codes DfE's open data carries:
`E92000001` England (country_code), `E12000001`-`E12000009` the nine regions
(region_code; London's files may also carry `E13000001` Inner and `E13000002` Outer
London), and local authorities by their new code (`new_la_code`, e.g. `E10000019`) and
DfE's old 3-digit number (`old_la_code`, e.g. `925`). The Geography table is filled from
the files themselves as they are imported (`GeographyBook`), so a newly created council
needs no code change.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from inclusion.accounts.models import Partnership
from inclusion.core.writes import save_new
from inclusion.measures.models import Geography

ENGLAND = "E92000001"
REGIONS = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
# Inner and Outer London are sub-regions of London (ONS), published at the regional level.
LONDON = "E12000007"
LONDON_SUB_REGIONS = {"E13000001": "Inner London", "E13000002": "Outer London"}

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
OLD_LA_CODE = re.compile(r"^\d{3}$")

# geographic_level as published -> ours (DfE open data standard's level names).
LEVELS = {
    "national": Geography.Level.NATIONAL,
    "regional": Geography.Level.REGIONAL,
    "local authority": Geography.Level.LOCAL_AUTHORITY,
}


class GeographyError(ValueError):
    """A row whose geography cannot be read; `column` names the cell at fault."""

    def __init__(self, message: str, column: str = "geographic_level"):
        super().__init__(message)
        self.column = column


def code_kind(code: str) -> str:
    """'new' for a GSS code, 'old' for a 3-digit LA number, '' for anything else."""
    code = code.strip()
    if GSS_CODE.match(code.upper()):
        return "new"
    if OLD_LA_CODE.match(code):
        return "old"
    return ""


@dataclass
class PublishedGeography:
    """One geography as a row describes it."""

    code: str
    name: str
    level: str
    old_la_code: str = ""
    parent_code: str = ""
    last_period_end: dt.date | None = None


def geography_from_row(
    *,
    level: str,
    country_code: str,
    country_name: str,
    region_code: str,
    region_name: str,
    new_la_code: str,
    old_la_code: str,
    la_name: str,
) -> PublishedGeography:
    """The geography a DfE open-data row is about, or GeographyError naming the column."""
    ours = LEVELS.get(" ".join(level.split()).lower())
    if ours is None:
        raise GeographyError(
            f"geographic_level '{level}' is not one this system holds "
            "(National, Regional, Local authority): leave those rows out with a filter "
            "on geographic_level in the mapping"
        )
    if ours == Geography.Level.NATIONAL:
        _check_code(country_code, "country_code")
        _check_name(country_name, "country_name")
        return PublishedGeography(country_code.upper(), country_name.strip(), ours)
    if ours == Geography.Level.REGIONAL:
        _check_code(region_code, "region_code")
        _check_name(region_name, "region_name")
        code = region_code.upper()
        parent = LONDON if code in LONDON_SUB_REGIONS else country_code.strip().upper()
        return PublishedGeography(code, region_name.strip(), ours, parent_code=parent)
    _check_code(new_la_code, "new_la_code", what="a local authority row needs its new LA code")
    old = old_la_code.strip()
    if old and not OLD_LA_CODE.match(old):
        raise GeographyError(f"old_la_code '{old}' is not a 3-digit LA number", "old_la_code")
    _check_name(la_name, "la_name")
    return PublishedGeography(
        new_la_code.strip().upper(),
        la_name.strip(),
        ours,
        old_la_code=old,
        parent_code=region_code.strip().upper(),
    )


def _check_code(code: str, column: str, what: str = "") -> None:
    text = code.strip()
    if not text:
        raise GeographyError(f"{column} is empty" + (f": {what}" if what else ""), column)
    if not GSS_CODE.match(text.upper()):
        raise GeographyError(
            f"{column} '{text}' is not a GSS code (a letter and 8 digits, e.g. E92000001)", column
        )


def _check_name(name: str, column: str) -> None:
    if not name.strip():
        raise GeographyError(f"{column} is empty", column)


@dataclass
class GeographyBook:
    """The geographies an import has seen, latest period first; written in bulk afterwards."""

    seen: dict[str, PublishedGeography] = field(default_factory=dict)

    def add(self, geography: PublishedGeography, period_end: dt.date) -> None:
        known = self.seen.get(geography.code)
        if known is None or (known.last_period_end or dt.date.min) <= period_end:
            geography.last_period_end = period_end
            if known is not None and not geography.old_la_code:
                geography.old_la_code = known.old_la_code
            if (
                known is not None
                and known.last_period_end == period_end
                and known.parent_code in REGIONS
                and geography.parent_code in LONDON_SUB_REGIONS
            ):
                # A London borough's region is London, whichever file says Inner/Outer first.
                geography.parent_code = known.parent_code
            self.seen[geography.code] = geography

    def save(self) -> tuple[dict[str, Geography], int, int]:
        """Create and update the Geography rows; (by code, created, changed).

        A geography already stored from a later period than this import saw keeps its
        name and parent: an older release must not undo a council's new name.
        """
        existing = {g.code: g for g in Geography.objects.filter(code__in=self.seen)}
        parent_codes = {g.parent_code for g in self.seen.values() if g.parent_code}
        outside = parent_codes - set(self.seen) - set(existing)
        by_code = {**{g.code: g for g in Geography.objects.filter(code__in=outside)}, **existing}
        new: list[Geography] = []
        for code, seen in self.seen.items():
            if code not in existing:
                row = Geography(code=code, name=seen.name, level=seen.level)
                by_code[code] = row
                new.append(row)
        changed: list[Geography] = []
        for code, seen in self.seen.items():
            row = by_code[code]
            is_new = code not in existing
            if not is_new and (row.last_period_end or dt.date.min) > (
                seen.last_period_end or dt.date.min
            ):
                continue
            parent = by_code.get(seen.parent_code) if seen.parent_code else None
            update = {
                "name": seen.name,
                "level": seen.level,
                "old_la_code": seen.old_la_code or row.old_la_code,
                "last_period_end": seen.last_period_end,
                "parent_id": parent.pk if parent else row.parent_id,
            }
            if any(getattr(row, k) != v for k, v in update.items()):
                for k, v in update.items():
                    setattr(row, k, v)
                if not is_new:
                    changed.append(row)
        # Parents before children (UUIDs are set on creation, so a child can name a parent
        # created in the same import).
        order = {level: i for i, level in enumerate(Geography.Level.values)}
        new.sort(key=lambda g: order[g.level])
        Geography.objects.bulk_create(new, batch_size=500)
        fields = ["name", "level", "old_la_code", "last_period_end", "parent"]
        Geography.objects.bulk_update(changed, fields, batch_size=500)
        return by_code, len(new), len(changed)


def geographies_for_code(code: str) -> list[Geography]:
    """Every geography a published code names: one for a GSS code; for an old LA number,
    each council that has carried it (latest first)."""
    text = code.strip()
    kind = code_kind(text)
    if kind == "new":
        return list(Geography.objects.filter(code=text.upper()))
    if kind == "old":
        return list(Geography.objects.filter(old_la_code=text).order_by("-last_period_end", "code"))
    return []


def partnership_geography(partnership: Partnership) -> Geography | None:
    """The partnership's local authority as published statistics name it: by its new code,
    else the latest council to carry its old number; None when no file has named it. A
    read: `geography_for_partnership` creates it when it is missing."""
    if partnership.new_la_code:
        found = Geography.objects.filter(code=partnership.new_la_code.upper()).first()
        if found:
            return found
    if partnership.old_la_code:
        return (
            Geography.objects.filter(old_la_code=partnership.old_la_code)
            .order_by("-last_period_end", "code")
            .first()
        )
    return None


def geography_for_partnership(
    partnership: Partnership, *, actor: Any = None, via: str = ""
) -> Geography:
    """The partnership's own local authority (`partnership_geography`); created, audited,
    from the partnership's codes when no published file has named it yet."""
    found = partnership_geography(partnership)
    if found is not None:
        return found
    if not partnership.new_la_code:
        raise GeographyError(
            f"{partnership} has no LA code: set its new LA code (e.g. E10000019) first",
            "new_la_code",
        )
    return save_new(
        Geography(
            code=partnership.new_la_code.upper(),
            old_la_code=partnership.old_la_code,
            name=partnership.name,
            level=Geography.Level.LOCAL_AUTHORITY,
        ),
        actor=actor,
        via=via,
    )
