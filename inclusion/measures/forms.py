"""Forms of the measure-management and upload pages: they read and check what a person
typed, nothing more. Rules (a stale edit is refused, a suppressed value has no number, a
neighbour is a local authority) stay in the services and models, and their messages are
shown against the fields they name.

Errors are worded the GOV.UK way: name the field and say what to do
(https://design-system.service.gov.uk/components/error-message/).
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from inclusion.core.forms import DatePartsField
from inclusion.core.forms import GovukFormMixin as _GovukFormMixin
from inclusion.measures.models import Frequency, Geography, Polarity, Unit, ValueStatus
from inclusion.measures.periods import (
    Period,
    PeriodType,
    academic_year,
    calendar_year,
    financial_year,
    month,
    quarter,
)
from inclusion.measures.selectors_manage import local_authorities_for_code
from inclusion.measures.services.imports import ALL_MAPPINGS

# The codes of published measures look like this (importers/mapping.py CODE); local ones too,
# so a code reads the same in every chart, export and `measure_values`.
CODE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
# Path segments that are not a measure's code: the first segments of other pages under
# /measures/ (urls_pages.NOT_CODES) and the fixed words after /measures/manage/.
RESERVED_CODES = {"manage", "uploads", "download", "plans", "new", "neighbours"}
# A release zip is ~4 MB and its largest CSV ~6 MB (2025); ten times that is still a
# statistics file, anything larger is not.
UPLOAD_MAX_BYTES = 64 * 1024 * 1024


class GovukFormMixin(_GovukFormMixin):
    # Radios and checkboxes here are marked from the form's own values.
    choice_mark = "checked"


def number_field(label: str, *, required: bool = False) -> forms.DecimalField:
    """A value as the database holds it: 18 digits, 6 after the point."""
    return forms.DecimalField(
        required=required,
        max_digits=18,
        decimal_places=6,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a number, like 40.3 or 1200",
            "max_digits": f"{label} must be smaller than 1,000,000,000,000",
            "max_whole_digits": f"{label} must be smaller than 1,000,000,000,000",
            "max_decimal_places": f"{label} must have 6 decimal places or fewer",
        },
    )


def plain_number(value: Decimal) -> str:
    """40.3, not 40.300000 (how the database gives it back); 1200, not 1.2E+3."""
    return format(value.normalize(), "f")


def radio_field(choices: Any, required: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": required,
            "invalid_choice": f"{required} from the list",
        },
    )


OUT_OF_DATE = "The form is out of date: open the page again and make your changes"


def version_of(row: Any) -> str:
    """What an edit form carries to say which save of the row it started from."""
    return row.updated_at.isoformat() if row is not None else ""


class VersionField(forms.CharField):
    """The `updated_at` an edit started from (hidden); empty for a new row."""

    def __init__(self, *, required: bool = True, **kwargs: Any) -> None:
        super().__init__(
            required=required,
            widget=forms.HiddenInput,
            error_messages={"required": OUT_OF_DATE},
            **kwargs,
        )

    def to_python(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(OUT_OF_DATE) from None


# ---------------------------------------------------------------- a measure's definition


class MeasureDefinitionForm(GovukFormMixin, forms.Form):
    """A partnership's own measure: every field of issue #3's definition list but the
    ones of its use (owner, baseline: MeasureUseForm) and targets (TargetForm)."""

    title = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Enter the title of the measure",
            "max_length": "Title must be 300 characters or fewer",
        },
    )
    description = forms.CharField(required=False)
    unit = radio_field(Unit.choices, "Select the unit of the measure")
    polarity = radio_field(Polarity.choices, "Select which way is better")
    numerator_definition = forms.CharField(required=False)
    denominator_definition = forms.CharField(required=False)
    frequency = radio_field(Frequency.choices, "Select how often it is measured")
    data_source = forms.CharField(required=False)
    version = VersionField()

    DEFINITION_FIELDS = (
        "title",
        "description",
        "unit",
        "polarity",
        "numerator_definition",
        "denominator_definition",
        "frequency",
        "data_source",
    )

    @classmethod
    def initial_for(cls, measure: Any) -> dict[str, Any]:
        return {
            **{name: getattr(measure, name) for name in cls.DEFINITION_FIELDS},
            "version": version_of(measure),
        }

    def definition(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.DEFINITION_FIELDS}


class MeasureUseForm(GovukFormMixin, forms.Form):
    """How the partnership uses a measure: who owns it and where it started."""

    owner = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "Owner must be 200 characters or fewer"},
    )
    baseline_value = number_field("Baseline value")
    baseline_date = DatePartsField(label="Date of the baseline", required=False)
    baseline_note = forms.CharField(required=False)
    # Required when the partnership already uses the measure (an edit of that use).
    version = VersionField(required=False)

    USE_FIELDS = ("owner", "baseline_value", "baseline_date", "baseline_note")

    @classmethod
    def initial_for(cls, use: Any) -> dict[str, Any]:
        if use is None:
            return {}
        initial = {name: getattr(use, name) for name in cls.USE_FIELDS}
        if use.baseline_value is not None:
            initial["baseline_value"] = plain_number(use.baseline_value)
        return {**initial, "version": version_of(use)}

    def use(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.USE_FIELDS}


class MeasureCreateForm(MeasureDefinitionForm, MeasureUseForm):
    """A new local measure: its code, definition, owner and baseline on one page."""

    code = forms.CharField(
        max_length=80,
        error_messages={
            "required": "Enter a code for the measure",
            "max_length": "Code must be 80 characters or fewer",
        },
    )
    version = None  # a new measure has no version yet
    field_order = ["code", *MeasureDefinitionForm.DEFINITION_FIELDS, *MeasureUseForm.USE_FIELDS]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not CODE.match(code):
            raise ValidationError(
                "Code must use only lower-case letters, numbers and underscores, and start "
                "with a letter or number, like parent_confidence_pc"
            )
        if code in RESERVED_CODES:
            raise ValidationError(f"Code cannot be '{code}': choose another")
        return code


# ---------------------------------------------------------------- targets


class TargetForm(GovukFormMixin, forms.Form):
    date = DatePartsField(label="Date of the target")
    value = number_field("Target value", required=True)
    note = forms.CharField(required=False)


# ---------------------------------------------------------------- evidence links


class EvidenceForm(GovukFormMixin, forms.Form):
    """The plan areas and actions a measure evidences (checkboxes; none is allowed)."""

    areas = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select areas of this partnership's plans only"},
    )
    actions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select actions of this partnership's plans only"},
    )

    def __init__(self, *args: Any, area_ids: list[str], action_ids: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(i, i) for i in area_ids]  # type: ignore[attr-defined]
        self.fields["actions"].choices = [(i, i) for i in action_ids]  # type: ignore[attr-defined]

    def chosen(self, name: str) -> set[str]:
        value = self[name].value() or []
        return {str(v) for v in value}


# ---------------------------------------------------------------- an entered value

PERIOD_STARTS: dict[str, tuple[str, Any]] = {
    # period type -> (where it starts, in words; whether a date is its first day)
    PeriodType.MONTH: ("on the 1st of a month", lambda d: d.day == 1),
    PeriodType.QUARTER: (
        "on 1 January, 1 April, 1 July or 1 October",
        lambda d: d.day == 1 and d.month in (1, 4, 7, 10),
    ),
    PeriodType.ACADEMIC_YEAR: ("on 1 September", lambda d: (d.day, d.month) == (1, 9)),
    PeriodType.CALENDAR_YEAR: ("on 1 January", lambda d: (d.day, d.month) == (1, 1)),
    PeriodType.FINANCIAL_YEAR: ("on 1 April", lambda d: (d.day, d.month) == (1, 4)),
}


def period_for(period_type: str, start: dt.date, label: str = "") -> Period:
    """The period of this type that starts on `start` (checked by the form first)."""
    if period_type == PeriodType.MONTH:
        return month(start.year, start.month, label)
    if period_type == PeriodType.QUARTER:
        return quarter(start.year, start.month, label)
    if period_type == PeriodType.ACADEMIC_YEAR:
        return academic_year(start.year, label)
    if period_type == PeriodType.FINANCIAL_YEAR:
        return financial_year(start.year, label)
    return calendar_year(start.year, label)


class ObservationForm(GovukFormMixin, forms.Form):
    period_type = radio_field(PeriodType.choices, "Select the kind of period")
    period_start = DatePartsField(label="First day of the period")
    period_label = forms.CharField(
        required=False,
        max_length=40,
        error_messages={"max_length": "Label must be 40 characters or fewer"},
    )
    status = radio_field(ValueStatus.choices, "Select whether there is a value")
    value = number_field("Value")
    numerator = number_field("Numerator")
    denominator = number_field("Denominator")
    note = forms.CharField(required=False)

    # The service (model) names the period's fields after the Observation.
    SERVICE_FIELDS = {
        "period_start": "period_start",
        "period_end": "period_start",
        "period_label": "period_label",
        "value": "value",
        "status": "status",
        "numerator": "numerator",
        "denominator": "denominator",
        "note": "note",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, start = data.get("period_type"), data.get("period_start")
        if kind and start:
            words, is_first_day = PERIOD_STARTS[kind]
            if not is_first_day(start):
                label = PeriodType(kind).label.lower()
                self.add_error(
                    "period_start", f"First day of the period must be a day {label}s start, {words}"
                )
            else:
                data["period"] = period_for(kind, start, data.get("period_label", "").strip())
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "period": data["period"],
            "status": data["status"],
            "value": data["value"],
            "numerator": data["numerator"],
            "denominator": data["denominator"],
            "note": data["note"],
        }


# ---------------------------------------------------------------- statistical neighbours


class NeighboursForm(GovukFormMixin, forms.Form):
    """Local authorities by code, one a line, closest first: `925` or `E10000019`."""

    codes = forms.CharField(required=False, widget=forms.Textarea)

    def clean_codes(self) -> list[Geography]:
        found: list[Geography] = []
        problems = []
        for number, line in enumerate(self.cleaned_data["codes"].splitlines(), start=1):
            code = line.split("#", 1)[0].strip().strip(",;")
            if not code:
                continue
            matches = local_authorities_for_code(code)
            if not matches:
                problems.append(
                    f"Line {number}: there is no local authority with the code '{code}' "
                    "(use a new code like E10000019 or an old one like 925)"
                )
                continue
            # An old number two councils have carried means the latest (selector order).
            found.append(matches[0])
        if problems:
            raise ValidationError(problems)
        return found

    @staticmethod
    def initial_for(geographies: list[Geography]) -> dict[str, str]:
        return {"codes": "\n".join(f"{g.code}  # {g.name}" for g in geographies)}


# ---------------------------------------------------------------- published statistics


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        error_messages={
            "required": "Select the zip or CSV file of published statistics",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read; choose it again",
        }
    )
    mapping = radio_field([], "Select the mapping that reads the file")
    refresh = forms.BooleanField(required=False)

    def __init__(self, *args: Any, mappings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mappings = mappings
        self.fields["mapping"].choices = [  # type: ignore[attr-defined]
            (ALL_MAPPINGS, "Every shipped mapping whose file is there"),
            *((m.name, m.title) for m in mappings),
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {UPLOAD_MAX_BYTES // (1024 * 1024)}MB"
            )
        name = upload.name.lower()
        if not name.endswith((".zip", ".csv")):
            raise ValidationError("The selected file must be a zip or a CSV file")
        return upload

    def mapping_items(self) -> list[dict[str, Any]]:
        """Radios with each mapping's file and measures as a hint."""
        chosen = self.value("mapping")
        by_name = {m.name: m for m in self.mappings}
        items = []
        for value, label in self.fields["mapping"].choices:  # type: ignore[attr-defined]
            mapping = by_name.get(value)
            hint = (
                f"Reads {mapping.file}: {', '.join(mapping.measures)}"
                if mapping
                else "For a whole release zip: each mapping reads its own file"
            )
            items.append(
                {"value": value, "text": label, "hint": {"text": hint}, "checked": value == chosen}
            )
        return items
