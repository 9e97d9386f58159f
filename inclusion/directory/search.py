"""The one search of the Local Offer, for the public site and the Open Referral UK API.

`search_services` filters a partnership's active services by words, taxonomy terms (a need,
a service type...), age and distance from a postcode or a point, and by when they last
changed; it returns the matching service ids in order with the distance of each, and the
total. Everything happens in one SQL query (no Python pass over the services), so a
directory of 5,000 services at 10,000 locations answers in milliseconds.

Full text, per database (docs/adr/0021-local-offer-site-search-and-postcodes.md):

- SQLite: an FTS5 table of each service's `name` and `search_text` (the words the
  directory's services keep in that column: description, organisation, terms, places),
  Porter-stemmed, ranked by BM25 with the name weighted above the rest. Triggers on the
  service table keep it current on every insert, update and delete, however the row was
  written (a service, a bulk import, raw SQL), so no caller has to remember to index.
- PostgreSQL: a GIN index on the same two columns' `tsvector` (English stemming, name
  weighted A, the rest B), ranked by `ts_rank_cd`. An expression index is always current.

`ensure_search_index` creates them; the app runs it after every `migrate` (apps.py), so a
migration that rebuilds the service table (SQLite does that to alter a column, dropping its
triggers) is followed by a fresh index.

Words are matched as prefixes ("autis" finds autism and autistic) and all of them must
match; if none does, the search is repeated needing any one word, and the result says so,
so "speech therapy for my son" still finds speech and language therapy.

Distance is the equirectangular approximation, computed in SQL from each location's latitude
and longitude: within a county its error is well under 1% of the distance, so the order is
right, and it needs no trigonometry in SQLite. A service is as near as its nearest location.
"""

import datetime as dt
import math
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Exists, OuterRef, Q

from inclusion.directory import postcodes
from inclusion.directory.models import (
    Attribute,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)

FTS_TABLE = "directory_service_fts"
FTS_KEYS = "directory_service_fts_key"
PG_INDEX = "directory_service_fulltext"
# BM25 weights of the FTS5 columns (name, search_text): a word in the name counts 5 times.
NAME_WEIGHT = 5.0
# PostgreSQL's text search configuration; the same word lists as FTS5's Porter stemmer.
PG_CONFIG = "english"
MAX_WORDS = 12

# Words that carry no meaning in a search ("services for my son"): dropped on both
# databases, so SQLite (which has no stop words) and PostgreSQL behave alike.
STOP_WORDS = frozenset(
    """a about an and any are as at be by can do for from get have help how i in is it me
    my near of on or our please service services some that the their them there this to
    want we what where who with you your""".split()
)


class SearchError(ValueError):
    """A filter that cannot be used (a bad postcode, an age below zero). For people."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SearchResult:
    ids: list[uuid.UUID]  # in order: nearest first when a place was given, else best match
    distances: dict[uuid.UUID, float]  # metres from the place; only services with a location
    total: int  # matches in all (ids may be one page of them)
    place: postcodes.Place | None = None  # the postcode or point searched from
    matched_all_words: bool = True  # False: no service had every word, these have some
    words: list[str] = field(default_factory=list)  # the words searched for, stop words gone

    def distance(self, service_id: uuid.UUID) -> float | None:
        return self.distances.get(service_id)


# --------------------------------------------------------------------- the index


def ensure_search_index(connection: BaseDatabaseWrapper | None = None) -> None:
    """Create the full-text index (and on SQLite its triggers) if missing; idempotent.

    On SQLite a missing trigger means the service table was rebuilt (or the index is new),
    so the index is refilled from the table.
    """
    connection = connection or default_connection
    table = Service._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {table} USING GIN ({_pg_vector('')})"
            )
        return
    if connection.vendor != "sqlite":
        return  # another database: search falls back to LIKE (see _text_filter)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{FTS_TABLE}_%"],
        )
        complete = cursor.fetchone()[0] == 3
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {FTS_KEYS} ("
            "key INTEGER PRIMARY KEY, service_id char(32) NOT NULL UNIQUE)"
        )
        # Our own integer keys (an INTEGER PRIMARY KEY survives VACUUM; the service
        # table's implicit rowid may not), so the FTS row of a service is found by key.
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "name, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        insert = (
            f"INSERT OR IGNORE INTO {FTS_KEYS}(service_id) VALUES (new.id); "
            f"INSERT INTO {FTS_TABLE}(rowid, name, body) "
            f"SELECT key, new.name, new.search_text FROM {FTS_KEYS} WHERE service_id = new.id;"
        )
        remove = (
            f"DELETE FROM {FTS_TABLE} WHERE rowid = "
            f"(SELECT key FROM {FTS_KEYS} WHERE service_id = old.id);"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {table} "
            f"BEGIN {insert} END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update "
            f"AFTER UPDATE OF name, search_text ON {table} BEGIN {remove} {insert} END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {table} "
            f"BEGIN {remove} DELETE FROM {FTS_KEYS} WHERE service_id = old.id; END"
        )
    if not complete:
        rebuild_search_index(connection)


def rebuild_search_index(connection: BaseDatabaseWrapper | None = None) -> int:
    """Refill the SQLite index from the service table; returns the services indexed.

    Not needed in normal use (the triggers keep it current); for after a restore or a
    VACUUM-free repair. PostgreSQL's index needs no rebuild.
    """
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return Service.objects.using(connection.alias).count()
    table = Service._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(f"DELETE FROM {FTS_KEYS}")
        cursor.execute(f"INSERT INTO {FTS_KEYS}(service_id) SELECT id FROM {table}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, name, body) "
            f"SELECT k.key, s.name, s.search_text FROM {table} s "
            f"JOIN {FTS_KEYS} k ON k.service_id = s.id"
        )
        cursor.execute(f"SELECT count(*) FROM {FTS_KEYS}")
        return int(cursor.fetchone()[0])


def _pg_vector(alias: str) -> str:
    prefix = f"{alias}." if alias else ""
    # Must match the index expression exactly for PostgreSQL to use the index.
    return (
        f"(setweight(to_tsvector('{PG_CONFIG}'::regconfig, coalesce({prefix}name, '')), 'A') || "
        f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, coalesce({prefix}search_text, '')), 'B'))"
    )


# --------------------------------------------------------------------- filter choices


def filter_terms(partnership: Any, kinds: Iterable[str]) -> list[TaxonomyTerm]:
    """The terms of these kinds of vocabulary that tag at least one published service of the
    partnership, by name: the needs and types a family can search by (none that finds
    nothing). One query; an index seek per term, not a join of every tagged service."""
    used = Attribute.objects.filter(
        taxonomy_term=OuterRef("pk"),
        service__partnership=partnership,
        service__status=Service.Status.ACTIVE,
    )
    return list(
        TaxonomyTerm.objects.filter(
            Q(taxonomy__partnership=partnership) | Q(taxonomy__partnership__isnull=True),
            taxonomy__kind__in=list(kinds),
        )
        .filter(Exists(used))
        .select_related("taxonomy")
        .order_by("name", "id")
    )


# --------------------------------------------------------------------- words


def search_words(text: str) -> list[str]:
    """The words of a search, lower case, without stop words and punctuation."""
    words: list[str] = []
    for word in re.findall(r"[^\W_]+", (text or "").lower()):
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _fts5_query(words: Sequence[str], *, every: bool) -> str:
    # Each word quoted (so nothing in it is FTS5 syntax) and, from three letters, a prefix.
    terms = [f'"{word}"*' if len(word) >= 3 else f'"{word}"' for word in words]
    return (" AND " if every else " OR ").join(terms)


def _pg_query(words: Sequence[str], *, every: bool) -> str:
    terms = [f"{word}:*" if len(word) >= 3 else word for word in words]
    return (" & " if every else " | ").join(terms)


# --------------------------------------------------------------------- the search


def _db(value: Any, model_field: Any, connection: BaseDatabaseWrapper) -> Any:
    """A Python value as the database stores it in that field's column (UUIDs differ)."""
    return model_field.get_db_prep_value(value, connection)


def _term_ids_with_descendants(term_id: Any) -> list[Any]:
    """A term and every term below it: asking for a broad need finds the narrower ones."""
    found = [term_id]
    frontier = [term_id]
    while frontier:
        children = list(
            TaxonomyTerm.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        children = [child for child in children if child not in found]
        found.extend(children)
        frontier = children
    return found


def _age(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise SearchError(f"{name} must be a number of years, like 5", field=name) from None
    if not number.is_finite() or number < 0 or number > 150:
        raise SearchError(f"{name} must be between 0 and 150", field=name)
    return number


def _place(postcode: str, latitude: Any, longitude: Any) -> postcodes.Place | None:
    if postcode and postcode.strip():
        try:
            return postcodes.postcode_place(postcode)
        except postcodes.PostcodeError as error:
            raise SearchError(str(error), field="postcode") from None
    if latitude is not None or longitude is not None:
        try:
            lat, lon = postcodes.check_coordinates(latitude, longitude)
        except postcodes.PostcodeError as error:
            raise SearchError(str(error), field="latitude") from None
        return postcodes.Place(f"{lat:.5f}, {lon:.5f}", lat, lon, "point")
    return None


def search_services(
    *,
    partnership: Any,
    text: str = "",
    taxonomy_term_ids: Iterable[Any] = (),
    taxonomy_id: Any = None,
    minimum_age: Any = None,
    maximum_age: Any = None,
    postcode: str = "",
    latitude: Any = None,
    longitude: Any = None,
    proximity: float | None = None,
    modified_after: dt.datetime | dt.date | None = None,
    age_mode: str = "overlap",
    offset: int = 0,
    limit: int | None = None,
    connection: BaseDatabaseWrapper | None = None,
) -> SearchResult:
    """The partnership's active services matching every filter given.

    - `text`: words, matched in the name (weighted) and the search text, as prefixes.
    - `taxonomy_term_ids`: services tagged with each of these terms (or a term below it).
    - `taxonomy_id`: services tagged with any term of this taxonomy.
    - `minimum_age`/`maximum_age` (years): with `age_mode="overlap"` (the public site) a
      service whose age range overlaps the range asked for (a missing bound is open), so
      `minimum_age=maximum_age=7` finds the services for a 7-year-old; with
      `age_mode="within"` (Open Referral UK's wording: "a minimum age of at least",
      "a maximum age equal to or below") a service whose own range lies inside it.
    - `postcode`, or `latitude` and `longitude`: orders by distance (nearest location);
      with `proximity` (metres) only services with a location that near.
    - `modified_after`: services whose `last_modified` is on or after it.
    - `offset`/`limit`: one page of the ids (the total counts them all).

    Raises SearchError for a filter that cannot be used, naming it (`error.field`).
    """
    connection = connection or default_connection
    if age_mode not in {"overlap", "within"}:
        raise ValueError(f"age_mode must be 'overlap' or 'within', not {age_mode!r}")
    min_age = _age(minimum_age, "minimum_age")
    max_age = _age(maximum_age, "maximum_age")
    if min_age is not None and max_age is not None and min_age > max_age:
        raise SearchError(
            "The minimum age must be the same as or less than the maximum age", field="maximum_age"
        )
    if proximity is not None:
        try:
            proximity = float(proximity)
        except (TypeError, ValueError):
            raise SearchError("proximity must be a number of metres", field="proximity") from None
        if not math.isfinite(proximity) or proximity <= 0:
            raise SearchError("proximity must be more than 0 metres", field="proximity")
    place = _place(postcode, latitude, longitude)
    if proximity is not None and place is None:
        raise SearchError("Give a postcode to search within a distance", field="postcode")
    words = search_words(text)

    query = _Query(connection, partnership=partnership)
    query.add_filters(
        taxonomy_term_ids=[t for t in taxonomy_term_ids if t not in (None, "")],
        taxonomy_id=taxonomy_id,
        min_age=min_age,
        max_age=max_age,
        age_mode=age_mode,
        modified_after=modified_after,
    )
    if place is not None:
        query.add_distance(place, proximity)
    matched_all = True
    if words:
        result = query.run(words=words, every=True, offset=offset, limit=limit)
        if result[1] == 0 and len(words) > 1:
            matched_all = False
            result = query.run(words=words, every=False, offset=offset, limit=limit)
    else:
        result = query.run(words=[], every=True, offset=offset, limit=limit)
    ids, total, distances = result
    return SearchResult(
        ids=ids,
        distances=distances,
        total=total,
        place=place,
        matched_all_words=matched_all,
        words=words,
    )


class _Query:
    """One SQL query, built from parts: filters in WHERE, text and distance as joins."""

    def __init__(self, connection: BaseDatabaseWrapper, *, partnership: Any) -> None:
        self.connection = connection
        self.quote = connection.ops.quote_name
        self.service = Service._meta.db_table
        partnership_id = getattr(partnership, "pk", partnership)
        self.where = ["s.partnership_id = %s", "s.status = %s"]
        self.params: list[Any] = [
            _db(partnership_id, Service._meta.get_field("id"), connection),
            Service.Status.ACTIVE,
        ]
        self.partnership_id = partnership_id
        self.distance_join = ""
        self.distance_params: list[Any] = []
        self.distance_select = ""
        self.distance_select_params: list[Any] = []

    def _field(self, model: Any, name: str) -> Any:
        return model._meta.get_field(name)

    def add_filters(
        self,
        *,
        taxonomy_term_ids: list[Any],
        taxonomy_id: Any,
        min_age: Decimal | None,
        max_age: Decimal | None,
        age_mode: str,
        modified_after: dt.datetime | dt.date | None,
    ) -> None:
        attribute = Attribute._meta.db_table
        term_table = TaxonomyTerm._meta.db_table
        id_field = self._field(Service, "id")
        for term_id in taxonomy_term_ids:
            try:
                term_id = uuid.UUID(str(term_id))
            except ValueError:
                raise SearchError(
                    f"taxonomy_term_id {term_id!r} is not an id", field="taxonomy_term_id"
                ) from None
            ids = _term_ids_with_descendants(term_id)
            marks = ", ".join(["%s"] * len(ids))
            self.where.append(
                f"EXISTS (SELECT 1 FROM {attribute} a WHERE a.service_id = s.id "
                f"AND a.taxonomy_term_id IN ({marks}))"
            )
            self.params.extend(_db(i, id_field, self.connection) for i in ids)
        if taxonomy_id not in (None, ""):
            try:
                taxonomy_id = uuid.UUID(str(taxonomy_id))
            except ValueError:
                raise SearchError(
                    f"taxonomy_id {taxonomy_id!r} is not an id", field="taxonomy_id"
                ) from None
            self.where.append(
                f"EXISTS (SELECT 1 FROM {attribute} a JOIN {term_table} t "
                "ON t.id = a.taxonomy_term_id WHERE a.service_id = s.id AND t.taxonomy_id = %s)"
            )
            self.params.append(_db(taxonomy_id, id_field, self.connection))
        age_field = self._field(Service, "minimum_age")

        def age(value: Decimal) -> Any:
            return age_field.get_db_prep_value(value, self.connection)

        if age_mode == "overlap":
            # The service's range [min, max] meets the range asked for; an empty bound is open.
            if max_age is not None:
                self.where.append("(s.minimum_age IS NULL OR s.minimum_age <= %s)")
                self.params.append(age(max_age))
            if min_age is not None:
                self.where.append("(s.maximum_age IS NULL OR s.maximum_age >= %s)")
                self.params.append(age(min_age))
        else:
            if min_age is not None:
                self.where.append("s.minimum_age >= %s")
                self.params.append(age(min_age))
            if max_age is not None:
                self.where.append("s.maximum_age <= %s")
                self.params.append(age(max_age))
        if modified_after is not None:
            if not isinstance(modified_after, dt.datetime):
                modified_after = dt.datetime.combine(modified_after, dt.time.min)
            if modified_after.tzinfo is None:
                modified_after = modified_after.replace(tzinfo=dt.UTC)
            self.where.append("s.last_modified >= %s")
            self.params.append(
                self._field(Service, "last_modified").get_db_prep_value(
                    modified_after, self.connection
                )
            )

    def add_distance(self, place: postcodes.Place, proximity: float | None) -> None:
        """Each service's nearest location, as a squared distance in degrees of latitude.

        Without `proximity`, a correlated subquery per matching service (an index seek on
        service_at_location's (service, location) key): only the services the other filters
        keep are measured. With it, a join of the locations inside a bounding box first, so
        the (partnership, latitude, longitude) index narrows them before any arithmetic."""
        sal = ServiceAtLocation._meta.db_table
        location = Location._meta.db_table
        # A degree of longitude is cos(latitude) degrees of latitude long.
        scale = math.cos(math.radians(place.latitude))
        d2 = (
            "MIN((l.latitude - %s) * (l.latitude - %s) + "
            "(l.longitude - %s) * (l.longitude - %s) * %s)"
        )
        d2_params: list[Any] = [
            place.latitude,
            place.latitude,
            place.longitude,
            place.longitude,
            scale * scale,
        ]
        if proximity is None:
            self.distance_select = (
                f"(SELECT {d2} FROM {sal} sal JOIN {location} l ON l.id = sal.location_id "
                "WHERE sal.service_id = s.id AND l.latitude IS NOT NULL "
                "AND l.longitude IS NOT NULL)"
            )
            self.distance_select_params = d2_params
            return
        dlat = proximity / postcodes.METRES_PER_DEGREE
        dlon = dlat / max(scale, 1e-6)
        self.distance_join = (
            f"JOIN (SELECT sal.service_id AS service_id, {d2} AS d2 "
            f"FROM {sal} sal JOIN {location} l ON l.id = sal.location_id "
            "WHERE l.partnership_id = %s "
            "AND l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s "
            "GROUP BY sal.service_id) g ON g.service_id = s.id"
        )
        self.distance_params = [
            *d2_params,
            _db(self.partnership_id, self._field(Location, "id"), self.connection),
            place.latitude - dlat,
            place.latitude + dlat,
            place.longitude - dlon,
            place.longitude + dlon,
        ]
        self.distance_select = "g.d2"
        self.distance_select_params = []
        self.where.append("g.d2 <= %s")
        self.params.append(dlat**2)

    def _text_parts(
        self, words: list[str], every: bool
    ) -> tuple[str, list[Any], str, list[Any], str, list[Any]]:
        """(join, its params, condition, its params, rank, its params) for the words; the
        rank sorts best first when ascending."""
        vendor = self.connection.vendor
        if vendor == "sqlite":
            join = (
                f"JOIN (SELECT k.service_id AS service_id, "
                f"bm25({FTS_TABLE}, {NAME_WEIGHT}, 1.0) AS rank FROM {FTS_TABLE} "
                f"JOIN {FTS_KEYS} k ON k.key = {FTS_TABLE}.rowid "
                f"WHERE {FTS_TABLE} MATCH %s) f ON f.service_id = s.id"
            )
            return join, [_fts5_query(words, every=every)], "", [], "f.rank", []
        if vendor == "postgresql":
            # The condition uses the index's own expression, so the GIN index finds the rows;
            # the rank is computed for those rows only.
            tsquery = f"to_tsquery('{PG_CONFIG}'::regconfig, %s)"
            text = _pg_query(words, every=every)
            return (
                "",
                [],
                f"{_pg_vector('s')} @@ {tsquery}",
                [text],
                f"-ts_rank_cd({_pg_vector('s')}, {tsquery})",
                [text],
            )
        # Any other database: a plain substring match on the name and search text, unranked.
        likes = ["(lower(s.name) LIKE %s OR lower(s.search_text) LIKE %s)" for _ in words]
        like_params = [pattern for word in words for pattern in (f"%{word}%", f"%{word}%")]
        return "", [], "(" + (" AND " if every else " OR ").join(likes) + ")", like_params, "", []

    def run(
        self, *, words: list[str], every: bool, offset: int, limit: int | None
    ) -> tuple[list[uuid.UUID], int, dict[uuid.UUID, float]]:
        # The matching services with what they are ordered by, in an inner query; order,
        # total and page in the outer one (PostgreSQL cannot order by an expression of an
        # output column's alias).
        joins: list[str] = []
        join_params: list[Any] = []
        where = list(self.where)
        where_params = list(self.params)
        rank, rank_params = "0", []
        if self.distance_join:
            joins.append(self.distance_join)
            join_params.extend(self.distance_params)
        if words:
            join, jp, condition, cp, rank_sql, rp = self._text_parts(words, every)
            if join:
                joins.append(join)
                join_params.extend(jp)
            if condition:
                where.append(condition)
                where_params.extend(cp)
            if rank_sql:
                rank, rank_params = rank_sql, rp
        distance = self.distance_select or "NULL"
        inner = (
            f"SELECT s.id AS id, s.name AS name, {distance} AS d2, {rank} AS rank "
            f"FROM {self.service} s {' '.join(joins)} "
            f"WHERE {' AND '.join(where)}"
        )
        # Services with no location (online, by phone) after those with one.
        sql = (
            f"SELECT id, d2, COUNT(*) OVER () AS total FROM ({inner}) x "
            "ORDER BY (CASE WHEN d2 IS NULL THEN 1 ELSE 0 END), d2, rank, name, id"
        )
        params = [*self.distance_select_params, *rank_params, *join_params, *where_params]
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [int(limit), int(offset)]
        elif offset:
            sql += " LIMIT -1 OFFSET %s" if self.connection.vendor == "sqlite" else " OFFSET %s"
            params += [int(offset)]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        id_field = Service._meta.get_field("id")
        ids: list[uuid.UUID] = []
        distances: dict[uuid.UUID, float] = {}
        total = 0
        for raw_id, d2, count in rows:
            service_id = id_field.to_python(raw_id)
            ids.append(service_id)
            total = int(count)
            if d2 is not None:
                distances[service_id] = math.sqrt(max(float(d2), 0.0)) * postcodes.METRES_PER_DEGREE
        if not rows and offset:
            # A page past the end: the total still counts every match.
            total = self._count(joins, join_params, where, where_params)
        return ids, total, distances

    def _count(self, joins: list[str], params: list[Any], where: list[str], wp: list[Any]) -> int:
        sql = f"SELECT count(*) FROM {self.service} s {' '.join(joins)} WHERE {' AND '.join(where)}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, *wp])
            return int(cursor.fetchone()[0])
