"""What every form of the service needs to be drawn with the GOV.UK macros: one copy.

Forms read and check what a person typed, nothing more; rules stay in services. Errors
are worded the GOV.UK way: name the field and say what to do
(https://design-system.service.gov.uk/components/error-message/). Templates render the
fields with the GOV.UK macros, so a form offers what those macros need: `value(name)`,
`date_parts(name)`, `choice_items(name)`, `error(name)` and `error_summary()`.
"""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

DATE_PARTS = ("day", "month", "year")
EMPTY_DATE = {"day": "", "month": "", "year": ""}


def date_parts_of(value: dt.date) -> dict[str, str]:
    return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}


class GovukFormMixin:
    """Mixed into `forms.Form` (which provides fields, errors, `self[name]`, add_error)."""

    errors: Any
    fields: dict[str, forms.Field]
    # How `choice_items` marks the chosen items: "checked" (radios, checkboxes),
    # "selected" (a select), or "" to leave it to the macro's `value` parameter.
    choice_mark = ""

    def value(self, name: str) -> Any:
        """The text to put back in an input: what was typed, else the initial value."""
        value = self[name].value()  # type: ignore[index]
        return "" if value is None else value

    def date_parts(self, name: str) -> dict[str, str]:
        """Day, month and year to refill a GOV.UK date input."""
        value = self[name].value()  # type: ignore[index]
        if isinstance(value, dt.date):
            return date_parts_of(value)
        if isinstance(value, str) and value:
            try:
                return date_parts_of(dt.date.fromisoformat(value))
            except ValueError:
                return dict(EMPTY_DATE)
        if isinstance(value, list | tuple):
            return dict(zip(DATE_PARTS, (str(v) for v in value), strict=False))
        return dict(EMPTY_DATE)

    def choice_items(self, name: str, *, mark: str | None = None) -> list[dict[str, Any]]:
        """`items` for govukRadios, govukCheckboxes or govukSelect."""
        mark = self.choice_mark if mark is None else mark
        items: list[dict[str, Any]] = [
            {"value": value, "text": label}
            for value, label in self.fields[name].choices  # type: ignore[attr-defined]
        ]
        if mark:
            chosen = self[name].value()  # type: ignore[index]
            chosen = {str(v) for v in chosen} if isinstance(chosen, list | tuple) else {str(chosen)}
            for item in items:
                item[mark] = str(item["value"]) in chosen
        return items

    def anchor(self, name: str) -> str:
        """The id the error summary links to: an input, and the first radio, use the
        field's name as id; a date input's first box is `name-day`."""
        if isinstance(self.fields.get(name), DatePartsField):
            return f"{name}-day"
        return name

    def error(self, name: str) -> dict[str, str] | None:
        """`errorMessage` for a GOV.UK macro, or None."""
        errors = self.errors.get(name)
        return {"text": errors[0]} if errors else None

    def error_summary(self) -> list[dict[str, str]]:
        """`errorList` for govukErrorSummary, in the order the fields appear on the page."""
        items = []
        for name in self.fields:
            # list() first: a slice of an ErrorList holds ValidationErrors, not messages.
            for message in list(self.errors.get(name, []))[:1]:
                items.append({"text": message, "href": f"#{self.anchor(name)}"})
        for message in self.errors.get("__all__", []):
            items.append({"text": message, "href": "#main-content"})
        return items

    def add_service_errors(
        self, error: ValidationError, field_map: dict[str, str] | None = None
    ) -> None:
        """Show a service's ValidationError against the fields it names (a service's
        field name maps to the form's through `field_map`); the rest above the form."""
        field_map = field_map or {}
        if hasattr(error, "error_dict"):
            for key, messages in error.message_dict.items():
                field = field_map.get(key, key)
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)  # type: ignore[attr-defined]
        else:
            for message in error.messages:
                self.add_error(None, message)  # type: ignore[attr-defined]


class GovukForm(GovukFormMixin, forms.Form):
    pass


class DatePartsWidget(forms.Widget):
    """Reads a GOV.UK date input (`name-day`, `name-month`, `name-year`).

    Also accepts `name=YYYY-MM-DD`, so a link such as `?as_of=2019-08-31` works.
    """

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        parts = [str(data.get(f"{name}-{part}", "")).strip() for part in DATE_PARTS]
        if any(parts):
            return parts
        whole = str(data.get(name, "")).strip()
        return whole or None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in DATE_PARTS)


class DatePartsField(forms.Field):
    """A day as a GOV.UK date input; errors start with the field's label and give an
    example date (`example`, day month year)."""

    widget = DatePartsWidget

    def __init__(
        self,
        *,
        label: str,
        required: bool = True,
        required_message: str = "",
        example: str = "31 3 2024",
        **kwargs: Any,
    ) -> None:
        super().__init__(label=label, required=required, **kwargs)
        self.example = example
        self.error_messages["required"] = required_message or f"Enter the {_lower_first(label)}"

    def to_python(self, value: Any) -> dt.date | None:
        if value in (None, "", [], ("", "", ""), ["", "", ""]):
            return None
        label = str(self.label)
        not_real = f"{label} must be a real date, for example {self.example}"
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(not_real) from None
        missing = [part for part, text in zip(DATE_PARTS, value, strict=True) if not text]
        if missing:
            raise ValidationError(f"{label} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(text) for text in value)
        except ValueError:
            raise ValidationError(not_real) from None
        if len(value[2]) != 4:
            raise ValidationError(f"Year in {_lower_first(label)} must include 4 numbers")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValidationError(not_real) from None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
