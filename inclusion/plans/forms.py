"""Forms of the plan pages: they read and check what a person typed, nothing more.

Business rules (a RAG change needs a rationale, an update cannot be in the future,
a stale edit is refused) stay in `inclusion.plans.services`; a form only turns text
into values and words its errors the GOV.UK way: name the field and say what to do
(https://design-system.service.gov.uk/components/error-message/).

Templates render the fields with the GOV.UK macros, so each form offers what those
macros need: `value(name)`, `date_parts(name)`, `error(name)` and `error_summary()`.
"""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from inclusion.core.forms import DatePartsField, GovukFormMixin
from inclusion.core.partial_dates import PartialDate, PartialDateError, parse_partial_date
from inclusion.plans.models import Rag

# "none" stands for "Not rated" in forms and query strings: an empty radio value
# cannot be told apart from "nothing selected".
NOT_RATED = "none"
RAG_CHOICES = [(r.value or NOT_RATED, r.label) for r in Rag]


def rag_from_form(value: str) -> str:
    return "" if value == NOT_RATED else value


def rag_to_form(value: str) -> str:
    return value or NOT_RATED


def _not_in_future(value: dt.date | None, label: str, today: dt.date) -> None:
    if value and value > today:
        raise ValidationError(f"{label} must be today or in the past")


# ---------------------------------------------------------------- progress update


class ProgressUpdateForm(GovukFormMixin, forms.Form):
    date = DatePartsField(
        label="Date of the update", required_message="Enter the date of the update"
    )
    text = forms.CharField(
        error_messages={"required": "Enter the progress made since the last update"}
    )
    rag = forms.ChoiceField(
        choices=RAG_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a RAG rating",
            "invalid_choice": "Select a RAG rating from the list",
        },
    )
    rag_rationale = forms.CharField(required=False)

    # The service names its fields after the model; the page uses the same names.
    SERVICE_FIELDS = {
        "date": "date",
        "text": "text",
        "rag": "rag",
        "rag_rationale": "rag_rationale",
    }

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    # Not in the future: progress_update_add's rule, shown against this field.

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "date": PartialDate.day(data["date"]),
            "text": data["text"],
            "rag": rag_from_form(data["rag"]),
            "rationale": data["rag_rationale"],
        }


# ---------------------------------------------------------------- edit an action


class ActionEditForm(GovukFormMixin, forms.Form):
    how = forms.CharField(error_messages={"required": "Enter what will be done"})
    partners = forms.CharField(required=False)
    board = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select a board from the list, or No board"},
    )
    leads = forms.CharField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    SERVICE_FIELDS = {"how": "how", "partners": "partners", "board": "board", "leads": "leads"}

    def __init__(self, *args: Any, boards: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [("", "No board"), *boards]

    def clean_leads(self) -> list[str]:
        lines = self.cleaned_data.get("leads", "").splitlines()
        return [" ".join(line.split()) for line in lines if line.strip()]

    @staticmethod
    def initial_for(action: Any) -> dict[str, Any]:
        return {
            "how": action.how,
            "partners": action.partners,
            "board": str(action.board_id) if action.board_id else "",
            "leads": "\n".join(lead.name for lead in action.leads.all()),
            "version": action.version,
        }


# ---------------------------------------------------------------- change a by-when


class DeadlineChangeForm(GovukFormMixin, forms.Form):
    new_date = forms.CharField(error_messages={"required": "Enter the new by-when date"})
    reason = forms.CharField(error_messages={"required": "Enter why the by-when changes"})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    SERVICE_FIELDS = {"new_date": "new_date", "reason": "reason"}

    def clean_new_date(self) -> PartialDate:
        text = self.cleaned_data["new_date"]
        try:
            return parse_partial_date(text)
        except PartialDateError as error:
            raise ValidationError(f"Enter the new by-when as a day or a month: {error}") from None


# ---------------------------------------------------------------- import


class ImportUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        error_messages={
            "required": "Select the file of the plan to import",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read; choose it again",
        }
    )
    plan_title = forms.CharField(
        required=False,
        max_length=300,
        error_messages={"max_length": "Plan name must be 300 characters or fewer"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The selected file must be smaller than {limit // (1024 * 1024)}MB"
            )
        return upload


# ---------------------------------------------------------------- dates in GET forms


class AsOfForm(GovukFormMixin, forms.Form):
    """ "View as it stood on a date" on the action page."""

    as_of = DatePartsField(
        label="Date to view the action on", required_message="Enter the date to view the action on"
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_as_of(self) -> dt.date:
        value = self.cleaned_data["as_of"]
        _not_in_future(value, "Date to view the action on", self.today)
        return value


class ChangesSinceForm(GovukFormMixin, forms.Form):
    """The start of "what changed since" on the plan overview."""

    since = DatePartsField(label="Changes since", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_since(self) -> dt.date | None:
        value = self.cleaned_data["since"]
        _not_in_future(value, "Changes since", self.today)
        return value


class ReportDateForm(GovukFormMixin, forms.Form):
    """The date of the last board report: "what changed since" starts there."""

    report_date = DatePartsField(label="Date of the board report")

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    # Not in the future: Plan.clean's rule (the API sets the same date), shown here.


REPORT_FORMATS = [
    ("docx", "Word document (.docx)"),
    ("pdf", "PDF (.pdf)"),
    ("xlsx", "Excel spreadsheet (.xlsx)"),
    ("html", "Web page (.html)"),
    ("md", "Markdown (.md)"),
    ("json", "JSON data (.json)"),
]


class ReportForm(GovukFormMixin, forms.Form):
    """The board report download: a format, the date it reports on, and changes since."""

    format = forms.ChoiceField(
        choices=REPORT_FORMATS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the format of the report",
            "invalid_choice": "Select a format of the report from the list",
        },
    )
    as_of = DatePartsField(label="Report date", required=False)
    since = DatePartsField(label="Changes since", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_as_of(self) -> dt.date:
        value = self.cleaned_data["as_of"] or self.today
        _not_in_future(value, "Report date", self.today)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        as_of, since = data.get("as_of"), data.get("since")
        if as_of and since and since > as_of:
            self.add_error("since", "Changes since must be on or before the report date")
        return data
