"""The measure-management pages: a local measure's definition, how the partnership uses a
measure (owner, baseline), targets, links to plan areas and actions, and entered values.

Each page: the happy path, its errors (named in the GOV.UK error summary, nothing saved),
an audit row for every write, and who may use it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from inclusion.core.models import AuditLog
from inclusion.measures.models import (
    Geography,
    Measure,
    MeasureEvidence,
    Observation,
    PartnershipMeasure,
    Target,
)
from inclusion.measures.services.measures import partnership_measure_set, target_set
from tests.factories import ActionFactory, AreaFactory, PlanFactory

pytestmark = pytest.mark.django_db

DEFINITION = {
    "title": "Parents more confident after workshops",
    "description": "Parents who said a workshop left them more confident.",
    "unit": "percentage",
    "polarity": "higher",
    "numerator_definition": "Parents who said they felt more confident",
    "denominator_definition": "Parents who answered the survey",
    "frequency": "termly",
    "data_source": "Parent carer forum survey",
}


def create_data(**changes):
    data = {
        "code": "parent_confidence_pc",
        **DEFINITION,
        "owner": "Parent carer forum",
        "baseline_value": "62.5",
        "baseline_date-day": "31",
        "baseline_date-month": "3",
        "baseline_date-year": "2019",
        "baseline_note": "First survey",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def audit_ops(model: str) -> list[str]:
    return list(
        AuditLog.objects.filter(object_type=f"measures.{model}")
        .order_by("id")
        .values_list("operation", flat=True)
    )


def url(name, **kwargs):
    return reverse(f"measures:{name}", kwargs=kwargs or None)


@pytest.fixture
def local(partnership, users):
    """A local measure the partnership uses, created through the page."""
    from inclusion.measures.services.manage import local_measure_create

    return local_measure_create(
        partnership=partnership,
        code="parent_confidence_pc",
        actor=users["plan_editor"],
        via="test",
        **DEFINITION,
    ).measure


@pytest.fixture
def published(db):
    return Measure.objects.create(
        code="ehcp_20wk_incl_exceptions",
        kind=Measure.Kind.PUBLISHED,
        title="EHC plans issued within 20 weeks, including exceptions",
        unit="percentage",
        polarity="higher",
        mapping="ehcp_timeliness",
    )


# ---------------------------------------------------------------- create


def test_an_editor_creates_a_local_measure_with_its_owner_and_baseline(editor_client, partnership):
    response = editor_client.post(url("manage_create"), create_data())

    assert response.status_code == 302
    assert response.url == url("manage_measure", code="parent_confidence_pc")
    measure = Measure.objects.get(code="parent_confidence_pc")
    assert (measure.partnership, measure.kind) == (partnership, Measure.Kind.LOCAL)
    assert {k: getattr(measure, k) for k in DEFINITION} == DEFINITION
    use = PartnershipMeasure.objects.get(measure=measure)
    assert (use.owner, use.baseline_value, use.baseline_date, use.baseline_note) == (
        "Parent carer forum",
        Decimal("62.5"),
        dt.date(2019, 3, 31),
        "First survey",
    )
    assert audit_ops("measure") == ["create"]
    assert audit_ops("partnershipmeasure") == ["create"]
    assert AuditLog.objects.get(object_type="measures.measure").actor.username == "plan_editor"

    page = editor_client.get(response.url)
    assert page.status_code == 200
    assert "Parents more confident after workshops" in page.text
    assert "62.5% on 31 March 2019" in page.text


def test_a_measure_form_without_its_required_fields_names_each_and_saves_nothing(editor_client):
    response = editor_client.post(
        url("manage_create"), create_data(code="", title="", unit=None, polarity=None)
    )

    assert response.status_code == 400
    text = response.text
    assert "There is a problem" in text
    for message, anchor in [
        ("Enter a code for the measure", "#code"),
        ("Enter the title of the measure", "#title"),
        ("Select the unit of the measure", "#unit"),
        ("Select which way is better", "#polarity"),
    ]:
        assert f'<a href="{anchor}">{message}</a>' in text
    assert Measure.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_a_baseline_without_its_date_saves_neither_the_measure_nor_its_use(editor_client):
    """The measure is valid on its own, so only one transaction around both keeps it out."""
    data = create_data(
        **{"baseline_date-day": "", "baseline_date-month": "", "baseline_date-year": ""}
    )

    response = editor_client.post(url("manage_create"), data)

    assert response.status_code == 400
    assert (
        '<a href="#baseline_date-day">A baseline needs the date it was measured</a>'
        in response.text
    )
    assert Measure.objects.count() == 0
    assert PartnershipMeasure.objects.count() == 0
    assert AuditLog.objects.count() == 0


@pytest.mark.parametrize(
    "code, message",
    [
        ("Parent Confidence", "Code must use only lower-case letters, numbers and underscores"),
        ("manage", "Code cannot be &#39;manage&#39;"),
        ("uploads", "Code cannot be &#39;uploads&#39;"),
    ],
)
def test_a_code_that_could_not_name_a_page_is_refused(editor_client, code, message):
    response = editor_client.post(url("manage_create"), create_data(code=code))

    assert response.status_code == 400
    assert message in response.text
    assert Measure.objects.count() == 0


def test_a_code_already_taken_by_a_published_measure_is_refused(editor_client, published):
    response = editor_client.post(
        url("manage_create"), create_data(code="ehcp_20wk_incl_exceptions")
    )

    assert response.status_code == 400
    assert (
        "The code &#39;ehcp_20wk_incl_exceptions&#39; is already used by another measure"
        in response.text
    )
    assert Measure.objects.count() == 1


def test_a_baseline_that_is_not_a_number_is_named(editor_client):
    response = editor_client.post(url("manage_create"), create_data(baseline_value="about 60"))

    assert response.status_code == 400
    assert '<a href="#baseline_value">Baseline value must be a number, like 40.3 or 1200</a>' in (
        response.text
    )


# ---------------------------------------------------------------- edit, and two editors


def edit_data(measure, **changes):
    data = {**DEFINITION, "version": measure.updated_at.isoformat()}
    data.update(changes)
    return data


def test_an_editor_changes_the_definition_and_the_change_is_audited(editor_client, local):
    response = editor_client.post(
        url("manage_edit", code=local.code), edit_data(local, title="Parents more confident")
    )

    assert response.status_code == 302
    local.refresh_from_db()
    assert local.title == "Parents more confident"
    update = AuditLog.objects.get(object_type="measures.measure", operation="update")
    assert update.changes["title"] == [
        "Parents more confident after workshops",
        "Parents more confident",
    ]


def test_the_second_of_two_editors_is_told_and_keeps_what_they_typed(client, users, local):
    """Both opened the form at the same version; the first save wins, the second is not saved
    until its author chooses to replace the first."""
    started = edit_data(local)
    client.force_login(users["admin"])
    first = client.post(url("manage_edit", code=local.code), {**started, "title": "First title"})
    assert first.status_code == 302

    client.force_login(users["plan_editor"])
    second = client.post(url("manage_edit", code=local.code), {**started, "title": "Second title"})

    assert second.status_code == 409
    assert "changed this at" in second.text
    assert "Your changes have not been saved yet" in second.text
    assert 'value="Second title"' in second.text  # what they typed is still in the form
    assert "First title" in second.text  # and what is saved now is shown
    local.refresh_from_db()
    assert local.title == "First title"
    assert len(audit_ops("measure")) == 2  # create, the first update

    version = second.text.split('name="version" value="')[1].split('"')[0]
    again = client.post(
        url("manage_edit", code=local.code),
        {**started, "title": "Second title", "version": version},
    )
    assert again.status_code == 302
    local.refresh_from_db()
    assert local.title == "Second title"


def test_a_published_measures_definition_has_no_edit_page(editor_client, published):
    assert editor_client.get(url("manage_edit", code=published.code)).status_code == 404
    assert editor_client.get(url("manage_observation_add", code=published.code)).status_code == 404


def test_the_page_of_a_published_measure_says_where_it_is_defined(editor_client, published):
    response = editor_client.get(url("manage_measure", code=published.code))

    assert response.status_code == 200
    assert "the published statistics mapping ehcp_timeliness" in response.text
    assert url("manage_edit", code=published.code) not in response.text
    assert "Use this measure" in response.text


# ---------------------------------------------------------------- use: owner and baseline


def test_an_editor_starts_using_a_published_measure_then_changes_its_owner(
    editor_client, partnership, published
):
    base = {
        "owner": "SEND service manager",
        "baseline_value": "39",
        "baseline_date-day": "31",
        "baseline_date-month": "12",
        "baseline_date-year": "2019",
        "baseline_note": "Calendar year 2019, DfE",
    }
    started = editor_client.post(url("manage_use", code=published.code), base)
    assert started.status_code == 302
    use = PartnershipMeasure.objects.get(partnership=partnership, measure=published)
    assert (use.owner, use.baseline_value) == ("SEND service manager", Decimal("39"))

    form = editor_client.get(url("manage_use", code=published.code))
    assert 'value="39"' in form.text  # not 39.000000
    changed = editor_client.post(
        url("manage_use", code=published.code),
        {**base, "owner": "Head of SEND", "version": use.updated_at.isoformat()},
    )

    assert changed.status_code == 302
    use.refresh_from_db()
    assert use.owner == "Head of SEND"
    assert audit_ops("partnershipmeasure") == ["create", "update"]
    assert published.title == Measure.objects.get(pk=published.pk).title  # definition untouched


def test_a_stale_owner_change_is_refused(editor_client, partnership, published):
    use = partnership_measure_set(partnership=partnership, measure=published, owner="A")
    stale = use.updated_at.isoformat()
    partnership_measure_set(partnership=partnership, measure=published, owner="B")

    response = editor_client.post(
        url("manage_use", code=published.code), {"owner": "C", "version": stale}
    )

    assert response.status_code == 409
    use.refresh_from_db()
    assert use.owner == "B"


# ---------------------------------------------------------------- targets


def target_data(day, month, year, value, note=""):
    return {
        "date-day": str(day),
        "date-month": str(month),
        "date-year": str(year),
        "value": value,
        "note": note,
    }


def test_an_editor_adds_targets_over_time_and_removes_one(editor_client, local):
    for data in (target_data(31, 3, 2025, "70"), target_data(31, 3, 2026, "80", "Board")):
        assert (
            editor_client.post(url("manage_target_add", code=local.code), data).status_code == 302
        )
    use = PartnershipMeasure.objects.get(measure=local)
    assert [(t.date.year, t.value) for t in use.targets.order_by("date")] == [
        (2025, Decimal("70")),
        (2026, Decimal("80")),
    ]
    page = editor_client.get(url("manage_measure", code=local.code))
    assert "80%" in page.text and "31 March 2026" in page.text

    # A target for a date that has one replaces it.
    editor_client.post(url("manage_target_add", code=local.code), target_data(31, 3, 2026, "85"))
    assert use.targets.get(date=dt.date(2026, 3, 31)).value == Decimal("85")

    first = use.targets.get(date=dt.date(2025, 3, 31))
    removed = editor_client.post(url("manage_target_delete", code=local.code, target=first.pk))

    assert removed.status_code == 302
    assert list(use.targets.values_list("value", flat=True)) == [Decimal("85")]
    assert audit_ops("target") == ["create", "create", "update", "delete"]


def test_a_target_without_a_date_or_a_number_names_both(editor_client, local):
    response = editor_client.post(
        url("manage_target_add", code=local.code), target_data("", "", "", "eighty")
    )

    assert response.status_code == 400
    assert '<a href="#date-day">Enter the date of the target</a>' in response.text
    assert '<a href="#value">Target value must be a number, like 40.3 or 1200</a>' in response.text
    assert Target.objects.count() == 0


def test_targets_of_a_measure_not_in_use_send_the_editor_to_start_using_it(
    editor_client, published
):
    response = editor_client.get(url("manage_target_add", code=published.code))

    assert response.status_code == 302
    assert response.url == url("manage_use", code=published.code)


# ---------------------------------------------------------------- plan areas and actions


@pytest.fixture
def plan(partnership):
    plan = PlanFactory(partnership=partnership, title="Action plan 2019")
    area = AreaFactory(plan=plan, title="Timeliness of EHC plans")
    ActionFactory(area=area, how="Recruit two more EHC coordinators")
    ActionFactory(area=area, how="Weekly panel for draft plans")
    return plan


def test_an_editor_links_and_unlinks_plan_areas_and_actions(editor_client, local, plan):
    area = plan.areas.get()
    first, second = area.actions.order_by("position")
    page = editor_client.get(url("manage_evidence", code=local.code))
    assert page.status_code == 200
    assert "Recruit two more EHC coordinators" in page.text

    linked = editor_client.post(
        url("manage_evidence", code=local.code),
        {"areas": [str(area.pk)], "actions": [str(first.pk), str(second.pk)]},
    )
    assert linked.status_code == 302
    links = MeasureEvidence.objects.filter(partnership_measure__measure=local)
    assert {(link.area_id, link.action_id) for link in links} == {
        (area.pk, None),
        (None, first.pk),
        (None, second.pk),
    }
    manage = editor_client.get(url("manage_measure", code=local.code))
    assert "Action of Action plan 2019: Weekly panel for draft plans" in manage.text

    unlinked = editor_client.post(
        url("manage_evidence", code=local.code), {"actions": [str(second.pk)]}
    )

    assert unlinked.status_code == 302
    assert [link.action_id for link in links.all()] == [second.pk]
    assert audit_ops("measureevidence") == ["create", "create", "create", "delete", "delete"]


def test_another_partnerships_action_cannot_be_linked(
    editor_client, local, plan, other_partnership
):
    theirs = ActionFactory(area=AreaFactory(plan=PlanFactory(partnership=other_partnership)))

    response = editor_client.post(
        url("manage_evidence", code=local.code), {"actions": [str(theirs.pk)]}
    )

    assert response.status_code == 400
    assert "Select actions of this partnership&#39;s plans only" in response.text
    assert MeasureEvidence.objects.count() == 0


# ---------------------------------------------------------------- entered values


def value_data(**changes):
    data = {
        "period_type": "academic_year",
        "period_start-day": "1",
        "period_start-month": "9",
        "period_start-year": "2023",
        "period_label": "",
        "status": "available",
        "value": "80",
        "numerator": "40",
        "denominator": "50",
        "note": "Spring survey",
    }
    data.update(changes)
    return data


def test_an_editor_records_a_value_for_the_partnerships_own_authority(
    editor_client, partnership, local
):
    response = editor_client.post(url("manage_observation_add", code=local.code), value_data())

    assert response.status_code == 302
    observation = Observation.objects.get(measure=local)
    assert (observation.period_start, observation.period_end, observation.period_label) == (
        dt.date(2023, 9, 1),
        dt.date(2024, 8, 31),
        "202324",
    )
    assert (observation.value, observation.numerator, observation.denominator) == (
        Decimal("80"),
        Decimal("40"),
        Decimal("50"),
    )
    assert observation.geography.code == "E10000019"
    assert (observation.partnership, observation.source) == (partnership, "entered")
    assert audit_ops("observation") == ["create"]
    page = editor_client.get(url("manage_measure", code=local.code))
    assert "2023/24" in page.text and "Spring survey" in page.text


def test_a_suppressed_value_is_recorded_without_a_number(editor_client, local):
    response = editor_client.post(
        url("manage_observation_add", code=local.code),
        value_data(status="confidential", value="", numerator="", denominator=""),
    )

    assert response.status_code == 302
    observation = Observation.objects.get(measure=local)
    assert (observation.value, observation.status) == (None, "confidential")


@pytest.mark.parametrize(
    "changes, anchor, message",
    [
        (
            {"status": "confidential"},
            "#value",
            "A value that is &#39;Suppressed to protect confidentiality&#39; has no number",
        ),
        ({"value": ""}, "#value", "Enter the value, or say why it is not available"),
        (
            {"period_start-month": "10"},
            "#period_start-day",
            "First day of the period must be a day academic years start, on 1 September",
        ),
        ({"period_type": ""}, "#period_type", "Select the kind of period"),
        ({"denominator": "fifty"}, "#denominator", "Denominator must be a number"),
    ],
)
def test_a_value_that_does_not_add_up_is_refused_naming_the_field(
    editor_client, local, changes, anchor, message
):
    response = editor_client.post(
        url("manage_observation_add", code=local.code), value_data(**changes)
    )

    assert response.status_code == 400
    assert f'<a href="{anchor}">{message}' in response.text
    assert Observation.objects.count() == 0
    assert Geography.objects.count() == 0  # nothing saved half-way, not even the area


# ---------------------------------------------------------------- who may


MANAGE_PAGES = [
    ("manage_index", {}),
    ("manage_create", {}),
    ("manage_measure", {"code": "parent_confidence_pc"}),
    ("manage_edit", {"code": "parent_confidence_pc"}),
    ("manage_use", {"code": "parent_confidence_pc"}),
    ("manage_target_add", {"code": "parent_confidence_pc"}),
    ("manage_evidence", {"code": "parent_confidence_pc"}),
    ("manage_observation_add", {"code": "parent_confidence_pc"}),
]


@pytest.mark.parametrize("name, kwargs", MANAGE_PAGES)
def test_admins_and_editors_manage_viewers_and_action_leads_may_not(
    client, users, local, name, kwargs
):
    for role, expected in [
        ("admin", 200),
        ("plan_editor", 200),
        ("viewer", 403),
        ("action_lead", 403),
    ]:
        client.force_login(users[role])
        assert client.get(url(name, **kwargs)).status_code == expected, role
        if name not in ("manage_index", "manage_measure"):
            # An empty form: errors, except on the evidence page, where no box ticked is a choice.
            allowed = {302 if name == "manage_evidence" else 400} if expected == 200 else {403}
            assert client.post(url(name, **kwargs), {}).status_code in allowed, role


@pytest.mark.parametrize("name, kwargs", [p for p in MANAGE_PAGES if p[1]])
def test_another_partnerships_admin_finds_none_of_our_measures(
    client, outsider, local, name, kwargs
):
    client.force_login(outsider)

    assert client.get(url(name, **kwargs)).status_code == 404


def test_another_partnerships_admin_cannot_remove_our_target(client, outsider, local):
    use = PartnershipMeasure.objects.get(measure=local)
    target = target_set(partnership_measure=use, date=dt.date(2026, 3, 31), value="80")
    client.force_login(outsider)

    response = client.post(url("manage_target_delete", code=local.code, target=target.pk))

    assert response.status_code == 404
    assert Target.objects.filter(pk=target.pk).exists()


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, local):
    response = client.get(url("manage_index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
