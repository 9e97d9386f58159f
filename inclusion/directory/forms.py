"""Forms of the Local Offer's pages: they read and check what a person typed, nothing more.

Rules stay in the services (a provider's change, feedback) and the search; a form turns text
into values and words its errors the GOV.UK way: say what is wrong and how to fix it
(https://design-system.service.gov.uk/components/error-message/).
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from inclusion.core.forms import GovukFormMixin as _GovukFormMixin
from inclusion.directory import postcodes
from inclusion.directory.models import Feedback, Service
from inclusion.directory.postcodes import METRES_PER_MILE
from inclusion.directory.services.changes import PROPOSABLE_FIELDS

# "Any distance" and the distances a family can choose, in miles.
DISTANCE_CHOICES = [("", "Any distance"), ("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles")] + [
    (str(m), f"{m} miles") for m in (10, 20, 30)
]
MAX_AGE = 25  # The Local Offer covers children and young people aged 0 to 25 (CFA 2014 s.30).


class GovukFormMixin(_GovukFormMixin):
    # The search's selects are marked from the form's own values.
    choice_mark = "selected"


# ---------------------------------------------------------------- search and booklet


class SearchForm(GovukFormMixin, forms.Form):
    """What a family searches by. Every field is optional: no filter shows every service."""

    q = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        error_messages={"max_length": "Words must be 200 characters or fewer"},
    )
    need = forms.ChoiceField(required=False)
    category = forms.ChoiceField(required=False)
    age = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        error_messages={
            "invalid": "Age must be a whole number of years, like 7",
            "min_value": f"Age must be between 0 and {MAX_AGE}",
            "max_value": f"Age must be between 0 and {MAX_AGE}",
        },
    )
    postcode = forms.CharField(
        required=False,
        max_length=10,
        strip=True,
        error_messages={"max_length": f"Enter a real postcode, like {postcodes.EXAMPLE}"},
    )
    distance = forms.ChoiceField(required=False, choices=DISTANCE_CHOICES)

    def __init__(
        self,
        *args: Any,
        needs: list[tuple[str, str]] = (),  # type: ignore[assignment]
        categories: list[tuple[str, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", "Any need"), *needs]
        self.fields["category"].choices = [("", "Any type of service"), *categories]
        self.fields["need"].error_messages["invalid_choice"] = "Select a need from the list"
        self.fields["category"].error_messages["invalid_choice"] = (
            "Select a type of service from the list"
        )
        self.fields["distance"].error_messages["invalid_choice"] = "Select a distance from the list"

    def clean_postcode(self) -> str:
        text = self.cleaned_data.get("postcode", "")
        if not text:
            return ""
        try:
            return postcodes.normalise_postcode(text)
        except postcodes.PostcodeError as error:
            raise ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("distance") and not data.get("postcode"):
            self.add_error("postcode", "Enter a postcode to search within a distance")
        return data

    def search_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `search.search_services` (a valid form only)."""
        data = self.cleaned_data
        age = data.get("age")
        terms = [t for t in (data.get("need"), data.get("category")) if t]
        return {
            "text": data.get("q") or "",
            "taxonomy_term_ids": terms,
            "minimum_age": Decimal(age) if age is not None else None,
            "maximum_age": Decimal(age) if age is not None else None,
            "postcode": data.get("postcode") or "",
            "proximity": int(data["distance"]) * METRES_PER_MILE if data.get("distance") else None,
        }

    def is_empty(self) -> bool:
        return not any(self.data.get(name) for name in self.fields)


class BookletForm(SearchForm):
    format = forms.ChoiceField(
        choices=[("pdf", "PDF (to print or read on screen)"), ("docx", "Word document")],
        error_messages={
            "required": "Select a format",
            "invalid_choice": "Select PDF or Word",
        },
    )


# ---------------------------------------------------------------- feedback


class FeedbackForm(GovukFormMixin, forms.Form):
    useful = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={
            "required": "Select yes if this page was useful",
            "invalid_choice": "Select yes or no",
        },
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "Your comment must be 2,000 characters or fewer"},
    )
    page = forms.CharField(max_length=500, required=False)
    service = forms.UUIDField(required=False)

    def clean_page(self) -> str:
        page = self.cleaned_data.get("page") or ""
        # Only a path of this site: the thank-you page links back to it.
        if not page.startswith("/") or page.startswith("//"):
            return ""
        return page


class FeedbackHandleForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Feedback.Status.ACTIONED, "Actioned: we changed something because of it"),
            (Feedback.Status.DISMISSED, "Dismissed: no change needed"),
            (Feedback.Status.NEW, "New: not dealt with yet"),
        ],
        error_messages={
            "required": "Select what happened to this feedback",
            "invalid_choice": "Select what happened to this feedback",
        },
    )
    editor_note = forms.CharField(required=False, max_length=2000)


# ---------------------------------------------------------------- editing a service


class ServiceEditForm(GovukFormMixin, forms.Form):
    """The fields a provider may propose (services.PROPOSABLE_FIELDS); editors also status."""

    name = forms.CharField(max_length=300, error_messages={"required": "Enter the service's name"})
    description = forms.CharField(
        error_messages={"required": "Enter what the service does and who it is for"}
    )
    url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address in the right format, like https://www.example.org"
        },
    )
    email = forms.EmailField(
        required=False,
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.org"
        },
    )
    fees = forms.CharField(required=False, max_length=2000)
    accreditations = forms.CharField(required=False, max_length=2000)
    minimum_age = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=150,
        decimal_places=2,
        error_messages={
            "invalid": "Minimum age must be a number of years, like 5",
            "min_value": "Minimum age must be 0 or more",
            "max_value": "Minimum age must be 150 or less",
        },
    )
    maximum_age = forms.DecimalField(
        required=False,
        min_value=0,
        max_value=150,
        decimal_places=2,
        error_messages={
            "invalid": "Maximum age must be a number of years, like 19",
            "min_value": "Maximum age must be 0 or more",
            "max_value": "Maximum age must be 150 or less",
        },
    )
    alert = forms.CharField(required=False, max_length=2000)
    status = forms.ChoiceField(choices=Service.Status.choices, required=False)
    note = forms.CharField(required=False, max_length=2000)

    # What a provider may propose is the service's rule (one place): the form asks it.
    PROPOSABLE = PROPOSABLE_FIELDS

    def __init__(self, *args: Any, editor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editor = editor
        if not editor:
            del self.fields["status"]
        else:
            self.fields["status"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age", "Maximum age must be the same as or more than the minimum age"
            )
        return data

    @classmethod
    def initial_for(cls, service: Service) -> dict[str, Any]:
        return {name: getattr(service, name) for name in (*cls.PROPOSABLE, "status")}

    def changed_values(self, service: Service) -> dict[str, Any]:
        """The fields whose value differs from the service's."""
        values = {}
        names = [*self.PROPOSABLE, *(["status"] if self.editor else [])]
        for name in names:
            value = self.cleaned_data.get(name)
            if value is None and name not in {"minimum_age", "maximum_age"}:
                value = ""
            if value != getattr(service, name):
                values[name] = value
        return values


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve and publish the change"), ("reject", "Reject the change")],
        error_messages={
            "required": "Select approve or reject",
            "invalid_choice": "Select approve or reject",
        },
    )
    note = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the change is rejected, so the provider can fix it")
        return data
