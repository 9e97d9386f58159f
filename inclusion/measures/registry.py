"""Computed measures: other apps declare measures computed from their own records.

`measures` knows no domain app (ARCHITECTURE.md): an app registers its measures here,
usually from its `AppConfig.ready()`, and `services.compute.measures_compute` stores
what they return as observations with source "computed". Adding a measure never edits
this app.

    register_computed_measure(
        "iha_within_20_working_days",
        title="Initial health assessments within 20 working days",
        unit=Unit.PERCENTAGE,
        polarity=Polarity.HIGHER,
        compute=iha_timeliness,   # (partnership, period_start, period_end) -> [ObservationValue]
    )
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inclusion.measures.models import Frequency, Polarity, Unit, ValueStatus
from inclusion.measures.periods import Period


@dataclass(frozen=True)
class ObservationValue:
    """One value a computed measure returns.

    `geography` is a published code; empty means the partnership's own local authority.
    A value that cannot be given (too few cases to publish, say) has `value=None` and a
    status other than "available".
    """

    period: Period
    value: Decimal | int | float | None
    numerator: Decimal | int | float | None = None
    denominator: Decimal | int | float | None = None
    status: str = ValueStatus.AVAILABLE
    geography: str = ""
    breakdown_topic: str = ""
    breakdown: str = ""
    note: str = ""


# (partnership, period_start, period_end) -> the values for periods within those dates.
Compute = Callable[[Any, dt.date, dt.date], list[ObservationValue]]


@dataclass(frozen=True)
class ComputedMeasure:
    code: str
    title: str
    unit: str
    polarity: str
    compute: Compute
    description: str = ""
    frequency: str = Frequency.MONTHLY
    numerator_definition: str = ""
    denominator_definition: str = ""


class RegistryError(ValueError):
    pass


_registry: dict[str, ComputedMeasure] = {}


def register_computed_measure(
    code: str,
    title: str,
    unit: Unit | str,
    polarity: Polarity | str,
    compute: Compute,
    *,
    description: str = "",
    frequency: Frequency | str = Frequency.MONTHLY,
    numerator_definition: str = "",
    denominator_definition: str = "",
) -> ComputedMeasure:
    """Declare a measure computed from an app's records. Registering the same code again
    with another function is an error: two apps must not silently share a code."""
    if unit not in Unit.values:
        raise RegistryError(f"{code}: unit '{unit}' is not one of {', '.join(Unit.values)}")
    if polarity not in Polarity.values:
        raise RegistryError(
            f"{code}: polarity '{polarity}' is not one of {', '.join(Polarity.values)}"
        )
    if frequency not in Frequency.values:
        raise RegistryError(
            f"{code}: frequency '{frequency}' is not one of {', '.join(Frequency.values)}"
        )
    entry = ComputedMeasure(
        code=code,
        title=title,
        unit=str(unit),
        polarity=str(polarity),
        compute=compute,
        description=description,
        frequency=str(frequency),
        numerator_definition=numerator_definition,
        denominator_definition=denominator_definition,
    )
    known = _registry.get(code)
    if known is not None and known.compute is not compute:
        raise RegistryError(f"computed measure '{code}' is already registered by {known.compute!r}")
    _registry[code] = entry
    return entry


def unregister_computed_measure(code: str) -> None:
    _registry.pop(code, None)


def computed_measures() -> dict[str, ComputedMeasure]:
    return dict(_registry)
