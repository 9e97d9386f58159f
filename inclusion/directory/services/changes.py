"""A provider's proposed edit of its own service, and the local authority's decision.

Issue #6: "providers for their own services, with provider edits approved by the local
authority". A provider proposes new values for some of the service's fields; nothing
changes on the service until an editor approves, which applies the values through
`service_update` (so the service's audit row names the approver, and the change's id
is in its note). A rejection keeps the service as it was and tells the provider why.
"""

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inclusion.core.writes import save_changes, save_new
from inclusion.directory.models import Service, ServiceChange
from inclusion.directory.selectors import user_is_service_provider
from inclusion.directory.services.records import service_update

# The fields a provider may propose new values for (the service's own text and ages;
# locations, contacts and terms are the editors').
PROPOSABLE_FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "url",
    "email",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "alert",
)


def _json(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        # Ages as numbers, not strings, so the JSON reads as the form did.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _cleaned(service: Service, values: Mapping[str, Any]) -> dict[str, Any]:
    """The proposed values as the model would store them; ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {
        name: ["Providers cannot propose a change to this field"]
        for name in sorted(set(values) - set(PROPOSABLE_FIELDS))
    }
    values = {k: v for k, v in values.items() if k in PROPOSABLE_FIELDS}
    trial = Service.objects.select_related("organization").get(pk=service.pk)
    for name, raw in values.items():
        field = Service._meta.get_field(name)
        try:
            value = field.to_python(raw)
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if value is None and not field.null:
            value = ""  # a cleared text field
        setattr(trial, name, value)
    try:
        trial.full_clean(exclude=[f.name for f in Service._meta.fields if f.name not in values])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return {name: getattr(trial, name) for name in values}


def service_change_propose(
    *,
    service: Service,
    proposed_by: Any,
    values: Mapping[str, Any],
    note: str = "",
    via: str = "",
) -> ServiceChange:
    """Record a provider's proposed edit; the service itself is unchanged until approval.

    Only the fields whose value differs are kept; an edit that changes nothing is refused."""
    if not user_is_service_provider(proposed_by, service):
        raise PermissionDenied("Only the service's own provider can propose changes to it")
    cleaned = _cleaned(service, values)
    changed = {k: v for k, v in cleaned.items() if getattr(service, k) != v}
    if not changed:
        raise ValidationError("The proposed edit changes nothing")
    with transaction.atomic():
        change = ServiceChange(
            service=service,
            proposed={k: _json(v) for k, v in changed.items()},
            original={k: _json(getattr(service, k)) for k in changed},
            proposed_by=proposed_by,
            note=note,
        )
        return save_new(change, actor=proposed_by, via=via)


def _decide(change: ServiceChange, decided_by: Any) -> ServiceChange:
    """The change, locked, if it can still be decided by `decided_by`."""
    locked = ServiceChange.objects.select_for_update().select_related("service").get(pk=change.pk)
    if locked.status != ServiceChange.Status.PENDING:
        raise ValidationError(
            f"This change was already {locked.get_status_display().lower()}; it cannot be decided again"
        )
    if getattr(decided_by, "partnership_id", None) != locked.service.partnership_id:
        raise PermissionDenied("Only the service's own partnership can decide on this change")
    return locked


def service_change_approve(
    *, change: ServiceChange, decided_by: Any, note: str = "", via: str = ""
) -> ServiceChange:
    """Apply the proposed values to the service and mark the change approved."""
    with transaction.atomic():
        locked = _decide(change, decided_by)
        # Validated again: the service may have changed since the proposal (a new maximum
        # age can now clash with a minimum age an editor changed meanwhile).
        values = _cleaned(locked.service, locked.proposed)
        service_update(
            service=locked.service,
            actor=decided_by,
            via=via,
            note=f"Approved provider change {locked.pk}",
            **values,
        )
        save_changes(
            locked,
            actor=decided_by,
            via=via,
            status=ServiceChange.Status.APPROVED,
            decided_by=decided_by,
            decided_at=timezone.now(),
            decision_note=note,
        )
        return locked


def service_change_reject(
    *, change: ServiceChange, decided_by: Any, note: str, via: str = ""
) -> ServiceChange:
    """Refuse the proposed edit; `note` tells the provider why (required)."""
    if not note.strip():
        raise ValidationError({"decision_note": "Say why the change is rejected"})
    with transaction.atomic():
        locked = _decide(change, decided_by)
        save_changes(
            locked,
            actor=decided_by,
            via=via,
            status=ServiceChange.Status.REJECTED,
            decided_by=decided_by,
            decided_at=timezone.now(),
            decision_note=note.strip(),
        )
        return locked
