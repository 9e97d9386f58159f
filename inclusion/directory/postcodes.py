"""UK postcodes: checking them, finding where they are with no internet, and distances.

Where a postcode is comes, first, from the `Postcode` table, if an administrator has loaded
every postcode into it (`import_postcodes FILE --units`, from the ONS Postcode Directory):
then a postcode is placed at its own centre. Otherwise, and for any postcode not in it, from
a table shipped with the code (`inclusion/directory/data/postcode_centroids.csv`, see the
NOTICE beside it): the centre of every live postcode *sector* ("LN1 1") and *district*
("LN1") in Great Britain, the mean of the ONS Postcode Directory's coordinates of the live
postcodes in it. A full postcode is placed at its sector's centre, an outward code alone
("LN1") at its district's. Sectors hold about 3,000 addresses, so the centre is usually
within a mile or two of the address: close enough to put services in order of distance,
and 350 KB instead of the 1.7 million rows of the full directory, so distance works on a
fresh install with no internet (docs/adr/0021-local-offer-site-search-and-postcodes.md).

`import_postcodes` also rebuilds the sector table from a newer ONSPD (or National
Statistics Postcode Lookup) CSV; `POSTCODE_CENTROIDS_FILE` in the settings points at a table
other than the shipped one.

Northern Ireland (BT) postcodes are left out: their coordinates are not under the Open
Government Licence (ONSPD user guide), so a BT postcode is answered "not found".
"""

import csv
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction

from inclusion.core import audit
from inclusion.core.models import AuditLog
from inclusion.directory.models import Postcode

SHIPPED_CENTROIDS = Path(__file__).resolve().parent / "data" / "postcode_centroids.csv"

# The mean radius of the Earth (IUGG), in metres.
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_MILE = 1_609.344
# Metres in one degree of latitude (and of longitude at the equator) on that sphere.
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180

# The shapes of a UK postcode (BS 7666 as used by the ONS Postcode Directory): the outward
# code is an area of one or two letters and a district, the inward code a sector digit
# and two unit letters. Letters that are never used in each position are left out, so
# "LN1 1YL" passes and "LN1 1CI" does not (C, I, K, M, O and V never end a postcode).
_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9]{1,2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_RE = re.compile(rf"^(?P<outward>{_OUTWARD})\s*(?P<inward>{_INWARD})$")
OUTWARD_RE = re.compile(rf"^(?P<outward>{_OUTWARD})$")

EXAMPLE = "LN1 1YL"


class PostcodeError(ValueError):
    """A postcode that is not one, or that the table does not know. The message is for people."""


@dataclass(frozen=True)
class Place:
    """Where a postcode is, as precisely as the table allows."""

    postcode: str  # as people write it: "LN1 1YL", or "LN1" for an outward code
    latitude: float
    longitude: float
    precision: str  # "postcode", "sector", "district" (or "point" for coordinates given)


def normalise_postcode(text: str) -> str:
    """`"ln11yl"` or `" LN1  1yl "` -> `"LN1 1YL"`; an outward code alone -> `"LN1"`.

    Raises PostcodeError, worded as GOV.UK words a postcode error, for anything else.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    if not compact:
        raise PostcodeError(f"Enter a postcode, like {EXAMPLE}")
    match = POSTCODE_RE.match(compact)
    if match:
        return f"{match['outward']} {match['inward']}"
    if OUTWARD_RE.match(compact):
        return compact
    raise PostcodeError(f"Enter a real postcode, like {EXAMPLE}")


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except PostcodeError:
        return False
    return True


def centroids_file() -> Path:
    return Path(getattr(settings, "POSTCODE_CENTROIDS_FILE", "") or SHIPPED_CENTROIDS)


@functools.cache
def _load(path: Path) -> dict[str, tuple[float, float]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def centroids() -> dict[str, tuple[float, float]]:
    """Code ("LN1 1" or "LN1") -> (latitude, longitude); read once per process."""
    return _load(centroids_file())


def postcode_place(text: str, *, units: bool = True) -> Place:
    """Where the postcode is; PostcodeError if it is not a postcode or is not in the table.

    `units=False` skips the `Postcode` table and uses only the shipped sector centres (the
    demo data does, so its coordinates are the same on every install)."""
    postcode = normalise_postcode(text)
    outward, _, inward = postcode.partition(" ")
    if inward and units:
        unit = Postcode.objects.filter(postcode=f"{outward}{inward}").first()
        if unit is not None:
            return Place(postcode, unit.latitude, unit.longitude, "postcode")
    table = centroids()
    if inward:
        sector = f"{outward} {inward[0]}"
        if sector in table:
            latitude, longitude = table[sector]
            return Place(postcode, latitude, longitude, "sector")
    # A postcode of a sector newer than the table still has a known district.
    if outward in table:
        latitude, longitude = table[outward]
        return Place(postcode, latitude, longitude, "district")
    raise PostcodeError(
        f"We could not find the postcode {postcode}. Check it, or search without a postcode"
    )


def check_coordinates(latitude: Any, longitude: Any) -> tuple[float, float]:
    """Latitude and longitude as numbers in range; PostcodeError naming the bad one."""
    values = []
    for name, value, limit in (("Latitude", latitude, 90), ("Longitude", longitude, 180)):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise PostcodeError(f"{name} must be a number, like 53.2307") from None
        if not math.isfinite(number) or not -limit <= number <= limit:
            raise PostcodeError(f"{name} must be between -{limit} and {limit}")
        values.append(number)
    return values[0], values[1]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, on a sphere of the Earth's mean radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def miles(metres: float) -> float:
    return metres / METRES_PER_MILE


def format_distance(metres: float | None) -> str:
    """`less than 1 mile`, `1 mile`, `12 miles`: what a family reads beside a service.

    Whole miles: a postcode is placed at its sector's centre, so a tenth of a mile would
    claim a precision the place searched from does not have."""
    if metres is None:
        return ""
    value = miles(metres)
    if value < 0.5:
        return "less than 1 mile"
    whole = max(1, round(value))
    return "1 mile" if whole == 1 else f"{whole} miles"


# ------------------------------------------------------------ building the table


# ONSPD/NSPL country codes kept: England, Wales, Scotland. Northern Ireland (N92000002) is
# left out for its licence; the Channel Islands and Isle of Man are not in the UK.
GB_COUNTRIES = {"E92000001", "W92000004", "S92000003"}
# ONSPD marks a postcode with no grid reference with latitude 99.999999.
NO_LOCATION_LATITUDE = 99.0


def centroid_table(
    rows: Iterable[dict[str, str]], *, source: str = "the file"
) -> dict[str, tuple[float, float, int]]:
    """Sector and district centres from ONS Postcode Directory (or NSPL) rows.

    Keeps live postcodes (no `doterm`) in Great Britain with a grid reference; each code
    maps to (mean latitude, mean longitude, number of postcodes). A row that cannot be read
    raises PostcodeError naming the source and the row, and nothing is returned.
    """
    sums: dict[str, list[float]] = {}
    for postcode, latitude, longitude in live_gb_postcodes(rows, source=source):
        outward, _, inward = postcode.partition(" ")
        for code in (outward, f"{outward} {inward[:1]}"):
            entry = sums.setdefault(code, [0.0, 0.0, 0])
            entry[0] += latitude
            entry[1] += longitude
            entry[2] += 1
    if not sums:
        raise PostcodeError(f"{source} has no live postcode in Great Britain with a location")
    return {
        code: (lat / count, lon / count, int(count)) for code, (lat, lon, count) in sums.items()
    }


def write_centroid_table(table: dict[str, tuple[float, float, int]], handle: TextIO) -> None:
    """The table as the shipped CSV: code, latitude, longitude (4 decimals, about 10 m), count."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["code", "latitude", "longitude", "postcodes"])
    for code in sorted(table):
        latitude, longitude, count = table[code]
        writer.writerow([code, f"{latitude:.4f}", f"{longitude:.4f}", count])


def live_gb_postcodes(
    rows: Iterable[dict[str, str]], *, source: str = "the file"
) -> Iterable[tuple[str, float, float]]:
    """(postcode, latitude, longitude) of each live postcode in Great Britain with a location,
    from ONSPD or NSPL rows; PostcodeError naming the source and row for a row that cannot
    be read. The same rows `centroid_table` averages."""
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        missing = [column for column in ("pcds", "lat", "long") if column not in row]
        if missing:
            raise PostcodeError(
                f"{source} has no column {', '.join(missing)}: is it the ONS Postcode "
                "Directory or the National Statistics Postcode Lookup CSV?"
            )
        if (row.get("doterm") or "").strip():
            continue
        country = (row.get("ctry") or "").strip()
        if country and country not in GB_COUNTRIES:
            continue
        try:
            postcode = normalise_postcode(row["pcds"])
        except PostcodeError:
            raise PostcodeError(
                f"{source}, row {number}, column pcds: {row['pcds']!r} is not a postcode"
            ) from None
        if postcode.startswith("BT") or " " not in postcode:
            continue
        try:
            latitude, longitude = float(row["lat"]), float(row["long"])
        except ValueError:
            raise PostcodeError(
                f"{source}, row {number}, column lat or long: not a number"
            ) from None
        if latitude > NO_LOCATION_LATITUDE:
            continue
        yield postcode, latitude, longitude


def postcodes_replace(
    rows: Iterable[tuple[str, float, float]], *, actor: Any = None, via: str = "", batch: int = 5000
) -> int:
    """Replace the `Postcode` table with these postcodes, in one transaction: a bad row
    anywhere leaves the old table as it was. Audited as one import (the table is open
    reference data, not the partnership's: a row per postcode would add nothing)."""
    count = 0
    with transaction.atomic():
        Postcode.objects.all().delete()
        chunk: list[Postcode] = []
        for postcode, latitude, longitude in rows:
            chunk.append(
                Postcode(postcode=postcode.replace(" ", ""), latitude=latitude, longitude=longitude)
            )
            if len(chunk) >= batch:
                Postcode.objects.bulk_create(chunk)
                count += len(chunk)
                chunk = []
        Postcode.objects.bulk_create(chunk)
        count += len(chunk)
        audit.log_event(
            AuditLog.Operation.IMPORT,
            actor=actor,
            via=via,
            object_type="directory.postcode",
            object_repr=f"{count:,} postcodes",
            note="Postcode table replaced from the ONS Postcode Directory",
        )
    return count
