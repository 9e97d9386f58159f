"""The GOV.UK form helpers every app's forms share (inclusion/core/forms.py)."""

import datetime as dt

from django import forms

from inclusion.core.forms import DatePartsField, GovukForm


class _Form(GovukForm):
    when = DatePartsField(label="Date of the update")
    what = forms.CharField(error_messages={"required": "Enter what happened"})
    how = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])


def test_the_error_summary_holds_each_fields_first_message_as_text_linked_to_its_input():
    form = _Form(data={"when-day": "31", "when-month": "", "when-year": "2019"})

    assert not form.is_valid()
    assert form.error_summary() == [
        {"text": "Date of the update must include a month", "href": "#when-day"},
        {"text": "Enter what happened", "href": "#what"},
        {"text": "This field is required.", "href": "#how"},
    ]
    # Plain strings, never "['...']" (a slice of an ErrorList holds ValidationErrors).
    assert all(
        isinstance(item["text"], str) and "[" not in item["text"] for item in form.error_summary()
    )


def test_a_date_input_reads_its_three_boxes_or_an_iso_date_and_refills_them():
    form = _Form(data={"when": "2019-08-31", "what": "x", "how": "a"})
    assert form.is_valid()
    assert form.cleaned_data["when"] == dt.date(2019, 8, 31)
    assert form.date_parts("when") == {"day": "31", "month": "8", "year": "2019"}

    unreal = _Form(data={"when-day": "31", "when-month": "2", "when-year": "2019"})
    assert not unreal.is_valid()
    assert unreal.errors["when"] == [
        "Date of the update must be a real date, for example 31 3 2024"
    ]


def test_choice_items_mark_the_chosen_value_only_when_asked():
    form = _Form(data={"how": "b"})
    assert form.choice_items("how") == [{"value": "a", "text": "A"}, {"value": "b", "text": "B"}]
    assert [i["checked"] for i in form.choice_items("how", mark="checked")] == [False, True]
