"""The statistical neighbours a partnership compares itself with, chosen by an admin.

England and the partnership's region are always compared and need no choice; the
neighbours are local authorities, in order (1 is the closest), as DfE's children's
services statistical neighbour benchmarking tool lists ten per council. The set is
saved whole: one transaction, each row created, re-ranked or removed audited.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from inclusion.accounts.models import Partnership
from inclusion.core import audit
from inclusion.core.writes import save_changes, save_new
from inclusion.measures.models import ComparatorArea, Geography


def _is_own(partnership: Partnership, geography: Geography) -> bool:
    if partnership.new_la_code and geography.code == partnership.new_la_code.upper():
        return True
    return bool(partnership.old_la_code) and geography.old_la_code == partnership.old_la_code


def comparator_areas_set(
    *,
    partnership: Partnership,
    geographies: Sequence[Geography],
    actor: Any = None,
    via: str = "",
) -> list[ComparatorArea]:
    """Make `geographies`, in this order, the partnership's statistical neighbours."""
    problems = []
    seen: set[Any] = set()
    for geography in geographies:
        if geography.level != Geography.Level.LOCAL_AUTHORITY:
            problems.append(
                f"{geography.name} ({geography.code}) is not a local authority: England and "
                "the region are always compared, so choose local authorities only"
            )
        elif _is_own(partnership, geography):
            problems.append(
                f"{geography.name} ({geography.code}) is the partnership's own local "
                "authority: it is always shown, so it is not its own neighbour"
            )
        elif geography.pk in seen:
            problems.append(f"{geography.name} ({geography.code}) is chosen twice")
        seen.add(geography.pk)
    if problems:
        raise ValidationError(problems)

    rank = {geography.pk: i for i, geography in enumerate(geographies, start=1)}
    with transaction.atomic():
        current = {
            row.geography_id: row
            for row in ComparatorArea.objects.select_for_update().filter(partnership=partnership)
        }
        for geography_id, row in current.items():
            if geography_id not in rank:
                audit.log_delete(row, actor=actor, via=via)
                row.delete()
        for geography_id, row in current.items():
            if geography_id in rank and row.rank != rank[geography_id]:
                save_changes(row, actor=actor, via=via, rank=rank[geography_id])
        for geography in geographies:
            if geography.pk not in current:
                save_new(
                    ComparatorArea(
                        partnership=partnership, geography=geography, rank=rank[geography.pk]
                    ),
                    actor=actor,
                    via=via,
                )
        return list(
            ComparatorArea.objects.filter(partnership=partnership)
            .select_related("geography")
            .order_by("rank", "geography__name")
        )
