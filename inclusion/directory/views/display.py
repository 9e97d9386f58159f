"""How a service reads to a family: plain words for ages, costs, opening times, places and
contacts, shared by the service page, the results list, the editors' pages and the booklet.

Display logic only (STYLE.md: presenters, not templates); the rules (what "not assured for
12 months" means) stay in the selectors.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from inclusion.core.presenters import format_date, paragraphs
from inclusion.directory import selectors
from inclusion.directory.models import Service, Taxonomy

DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
DAY_ORDER = list(DAYS)


def _years(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    if value < 2:
        months = int((value * 12).to_integral_value())
        return f"{months} months"
    return f"{value.normalize()}"


def ages_text(minimum: Decimal | None, maximum: Decimal | None) -> str:
    """`Ages 0 to 19`, `From age 16`, `Up to age 5`, `All ages`."""
    low, high = _years(minimum), _years(maximum)
    if minimum is None and maximum is None:
        return "All ages"
    if minimum is None or minimum == 0:
        if maximum is None:
            return "All ages"
        return f"Ages 0 to {high}"
    if maximum is None:
        return f"From age {low}"
    return f"Ages {low} to {high}"


def _time(value: dt.time | None) -> str:
    """`9am`, `5:30pm` (GOV.UK style)."""
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value:%M}{suffix}"


def days_text(byday: str) -> str:
    """`MO,TU,WE,TH,FR` -> `Monday to Friday`; `MO,WE` -> `Mondays and Wednesdays`."""
    codes = [code.strip().upper()[-2:] for code in byday.split(",") if code.strip()]
    codes = [code for code in DAY_ORDER if code in codes]
    if not codes:
        return ""
    positions = [DAY_ORDER.index(code) for code in codes]
    if len(codes) >= 3 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{DAYS[codes[0]]} to {DAYS[codes[-1]]}"
    names = [f"{DAYS[code]}s" for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def schedule_text(schedule: Any) -> str:
    """One line of opening times, from the recurrence or the description."""
    parts = []
    if schedule.freq == "MONTHLY" and schedule.bymonthday:
        parts.append(f"Monthly, on day {schedule.bymonthday.replace(',', ', ')}")
    elif schedule.byday:
        parts.append(days_text(schedule.byday))
    if schedule.opens_at and schedule.closes_at:
        parts.append(f"{_time(schedule.opens_at)} to {_time(schedule.closes_at)}")
    line = ", ".join(p for p in parts if p)
    if schedule.description:
        line = f"{line}. {schedule.description}" if line else schedule.description
    return line


def cost_lines(service: Service) -> list[str]:
    lines = []
    for option in service.cost_options.all():
        if option.amount is None:
            text = option.amount_description or option.option
        elif option.amount == 0:
            text = "Free"
            if option.option:
                text += f" ({option.option})"
        else:
            text = f"£{option.amount:,.2f}".replace(".00", "")
            if option.amount_description:
                text += f" {option.amount_description}"
            if option.option:
                text += f" ({option.option})"
        if text:
            lines.append(text)
    if not lines and service.fees:
        lines.append(service.fees)
    return lines


@dataclass
class PlaceView:
    name: str
    address_lines: list[str]
    postcode: str
    accessibility: list[str]
    opening: list[str]
    distance: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class ServiceView:
    """Everything the service page shows, in words."""

    service: Service
    description: list[str]
    ages: str
    needs: list[str]
    categories: list[str]
    other_terms: list[str]
    costs: list[str]
    places: list[PlaceView]
    areas: list[str]
    opening: list[str]
    phones: list[str]
    emails: list[str]
    website: str
    contacts: list[str]
    languages: list[str]
    checked: str
    check_overdue: bool
    distance: str = ""
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _summary(text: str, limit: int = 220) -> str:
    first = " ".join((paragraphs(text) or [""])[0].split())
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


@dataclass(frozen=True)
class CardPlace:
    name: str


@dataclass(frozen=True)
class ServiceCard:
    """What a search result shows of a service (the `service_card` macro): less than the
    service page, so the results read only what they show."""

    service: Service
    summary: str
    ages: str
    costs: list[str]
    places: list[CardPlace]
    distance: str = ""


def service_card_view(service: Service, *, distance: str = "") -> ServiceCard:
    """The service as a search result. `service` comes from `selectors.with_card_record`."""
    return ServiceCard(
        service=service,
        summary=_summary(service.description),
        ages=ages_text(service.minimum_age, service.maximum_age),
        costs=cost_lines(service),
        places=[CardPlace(sal.location.name) for sal in service.service_at_locations.all()],
        distance=distance,
    )


def service_view(service: Service, *, today: dt.date, distance: str = "") -> ServiceView:
    """The service in words. `service` comes from `selectors.with_full_record`."""
    needs, categories, others = [], [], []
    for attribute in service.attributes.all():
        term = attribute.taxonomy_term
        kind = term.taxonomy.kind
        if kind == Taxonomy.Kind.NEED:
            needs.append(term.name)
        elif kind in (Taxonomy.Kind.SEND_CATEGORY, Taxonomy.Kind.SERVICE_TYPE):
            categories.append(term.name)
        else:
            others.append(term.name)
    places = []
    opening = [schedule_text(s) for s in getattr(service, "own_schedules", [])]
    for sal in service.service_at_locations.all():
        location = sal.location
        addresses = list(location.addresses.all())
        lines: list[str] = []
        postcode = ""
        for address in addresses[:1]:
            lines = [p for p in (address.address_1, address.city) if p]
            postcode = address.postal_code
        places.append(
            PlaceView(
                name=location.name,
                address_lines=lines,
                postcode=postcode,
                accessibility=[
                    a.description or a.accessibility
                    for a in location.accessibility.all()
                    if a.description or a.accessibility
                ],
                opening=[schedule_text(s) for s in sal.schedules.all()],
                latitude=location.latitude,
                longitude=location.longitude,
            )
        )
    phones = [
        f"{phone.number}{f' ({phone.description})' if phone.description else ''}"
        for phone in service.phones.all()
    ]
    contacts = []
    emails = [service.email] if service.email else []
    for contact in service.contacts.all():
        label = ", ".join(p for p in (contact.name, contact.title) if p)
        if label:
            contacts.append(label)
        if contact.email and contact.email not in emails:
            emails.append(contact.email)
        for phone in contact.phones.all():
            text = f"{phone.number} ({label or 'contact'})"
            if text not in phones:
                phones.append(text)
    languages = []
    for language in service.languages.all():
        text = language.name or language.code
        if language.note:
            text += f" ({language.note})"
        if text:
            languages.append(text)
    return ServiceView(
        service=service,
        description=paragraphs(service.description),
        ages=ages_text(service.minimum_age, service.maximum_age),
        needs=needs,
        categories=categories,
        other_terms=others,
        costs=cost_lines(service),
        places=places,
        areas=[a.name or a.service_area for a in service.service_areas.all()],
        opening=[line for line in opening if line],
        phones=phones,
        emails=emails,
        website=service.url,
        contacts=contacts,
        languages=languages,
        checked=format_date(service.assured_date, "not recorded"),
        check_overdue=selectors.is_assurance_overdue(service, today),
        distance=distance,
        summary=_summary(service.description),
    )
