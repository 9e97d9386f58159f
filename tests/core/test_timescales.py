"""The statutory timescales against worked examples, the exceptions, the properties every
deadline keeps, and `manage.py timescales`.

Each example's comment counts the days by hand: weeks are 7 calendar days each; the
working-day counts name every working day.
"""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from inclusion.core import calendar, timescales
from inclusion.core.timescales import ExceptionReason, RecordedException, Unit

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


# ---------------------------------------------------------------- EHC needs assessment


def test_a_request_received_on_a_saturday_starts_the_clock_that_saturday():
    # Saturday 4 January 2025 + 6 weeks (42 days: 27 to 31 January, 15 into February)
    # = Saturday 15 February 2025. Nothing moves it to a working day.
    deadline = timescales.decision_to_assess(request_received=D(2025, 1, 4))
    assert deadline.start == D(2025, 1, 4)
    assert deadline.due == D(2025, 2, 15)
    assert not deadline.due_is_working_day
    assert deadline.last_working_day == D(2025, 2, 14)
    assert deadline.unit is Unit.WEEKS
    assert "reg 5(1)" in deadline.source


def test_the_ehc_deadlines_from_one_request():
    received = D(2025, 1, 6)  # Monday
    # 6 weeks: Monday 17 February.
    assert timescales.decision_to_assess(request_received=received).due == D(2025, 2, 17)
    # 16 weeks = 112 days: 25 left in January, 28 February, 31 March (84), 28 April (112).
    assert timescales.not_to_issue_notice(request_received=received).due == D(2025, 4, 28)
    # 20 weeks = 140 days: ... 30 April (114), 26 May (140): the spring bank holiday.
    final = timescales.final_plan_due(request_received=received)
    assert final.due == D(2025, 5, 26)
    assert calendar.holiday_name(final.due) == "Spring Bank Holiday"
    # A week deadline on a bank holiday stays there; the last working day is the Friday.
    assert final.if_non_working_day is timescales.IfNonWorkingDay.STAYS
    assert final.last_working_day == D(2025, 5, 23)


def test_a_deadline_on_the_coronation_or_the_state_funeral_does_not_move():
    # Monday 27 March 2023 + 6 weeks = Monday 8 May 2023, the coronation.
    assert timescales.decision_to_assess(request_received=D(2023, 3, 27)).due == D(2023, 5, 8)
    # Monday 2 May 2022 + 20 weeks (140 days: 29 left in May, 30 June (59), 31 July (90),
    # 31 August (121), 19 September (140)) = the Queen's state funeral.
    final = timescales.final_plan_due(request_received=D(2022, 5, 2))
    assert final.due == D(2022, 9, 19)
    assert final.last_working_day == D(2022, 9, 16)


def test_advice_is_due_6_weeks_after_the_request_for_it_is_received():
    # Wednesday 16 July 2025 + 42 days = Wednesday 27 August 2025.
    deadline = timescales.advice_due(advice_requested=D(2025, 7, 16))
    assert deadline.due == D(2025, 8, 27)
    assert "reg 8(1)" in deadline.source


def test_fifteen_days_beginning_with_the_day_of_service_end_14_days_later():
    # Served Monday 3 March 2025 = day 1; day 15 = Monday 17 March.
    assert timescales.draft_plan_representations(draft_served=D(2025, 3, 3)).due == D(2025, 3, 17)
    assert timescales.amendment_representations(amendment_notice=D(2025, 3, 3)).due == D(
        2025, 3, 17
    )
    # A school consulted "within 15 days": 15 days after Monday 3 March = Tuesday 18th.
    consultation = timescales.school_consultation_response(consulted=D(2025, 3, 3))
    assert consultation.due == D(2025, 3, 18)
    assert consultation.authority is timescales.Authority.GUIDANCE


# ---------------------------------------------------------------- reviews


@pytest.mark.parametrize(
    ("last", "due"),
    [
        # The period of 12 months starting with 29 February 2024 ends 28 February 2025.
        (D(2024, 2, 29), D(2025, 2, 28)),
        # Starting with 1 March 2023 it ends the day before 1 March 2024: 29 February.
        (D(2023, 3, 1), D(2024, 2, 29)),
        (D(2023, 2, 28), D(2024, 2, 27)),
        (D(2024, 9, 10), D(2025, 9, 9)),
    ],
)
def test_annual_review_within_12_months_in_leap_years(last, due):
    assert timescales.annual_review_due(last_reviewed=last).due == due


def test_review_report_decision_and_amended_plan():
    meeting = D(2024, 12, 18)  # Wednesday
    # 2 weeks: Wednesday 1 January 2025 (New Year's Day: it stays).
    report = timescales.review_report_due(review_meeting=meeting)
    assert report.due == D(2025, 1, 1)
    assert not report.due_is_working_day
    # 4 weeks: Wednesday 15 January 2025.
    assert timescales.review_decision_due(review_meeting=meeting).due == D(2025, 1, 15)
    # Notice of amendments Wednesday 15 January + 8 weeks (56 days) = Wednesday 12 March.
    assert timescales.amended_plan_due(amendment_notice=D(2025, 1, 15)).due == D(2025, 3, 12)


def test_phase_transfer_must_be_done_before_15_february_or_31_march():
    # "Before 15 February": 14 February is the last day in time (reg 18(1)).
    assert timescales.phase_transfer_review_deadline(transfer_year=2025) == D(2025, 2, 14)
    assert timescales.phase_transfer_review_deadline(transfer_year=2025, to_post16=True) == D(
        2025, 3, 30
    )
    # From a day, the next one: on 14 February 2025 it is that day; the day after, 2026.
    assert timescales.phase_transfer_due(on_or_after=D(2025, 2, 14)).due == D(2025, 2, 14)
    later = timescales.phase_transfer_due(on_or_after=D(2025, 2, 15))
    assert later.due == D(2026, 2, 14)
    assert "September 2026" in later.title
    # 30 March 2025 is a Sunday; a fixed date stays.
    post16 = timescales.phase_transfer_due(on_or_after=D(2025, 1, 1), to_post16=True)
    assert post16.due == D(2025, 3, 30)
    assert "reg 18(1)(a)" in post16.source


@pytest.mark.parametrize(
    ("move", "review_by"),
    [
        (D(2025, 9, 1), D(2025, 4, 1)),
        # 5 months before 31 July: February has no 31st, so its last day (the earlier).
        (D(2025, 7, 31), D(2025, 2, 28)),
        (D(2024, 7, 31), D(2024, 2, 29)),
    ],
)
def test_a_move_between_post16_institutions_needs_the_review_5_months_before(move, review_by):
    assert timescales.post16_transfer_review_deadline(transfer_on=move) == review_by


# ---------------------------------------------------------------- initial health assessment


@pytest.mark.parametrize(
    ("looked_after", "due"),
    [
        # Monday 12 September 2022. Tue 13 (1) Wed 14 (2) Thu 15 (3) Fri 16 (4);
        # Mon 19 the state funeral; Tue 20 (5) ... Fri 23 (8); Mon 26 to Fri 30 (9-13);
        # Mon 3 to Fri 7 October (14-18); Mon 10 (19) Tue 11 (20).
        (D(2022, 9, 12), D(2022, 10, 11)),
        # Friday 16 December 2022. Mon 19 to Fri 23 (1-5); Mon 26 and Tue 27 bank
        # holidays; Wed 28 (6) Thu 29 (7) Fri 30 (8); Mon 2 January a bank holiday;
        # Tue 3 to Fri 6 (9-12); Mon 9 to Fri 13 (13-17); Mon 16 (18) Tue 17 (19) Wed 18 (20).
        (D(2022, 12, 16), D(2023, 1, 18)),
        # Saturday 4 January 2025: Mon 6 to Fri 10 (1-5) ... Mon 27 to Fri 31 (16-20).
        (D(2025, 1, 4), D(2025, 1, 31)),
        # Monday 5 May 2025 (a bank holiday). Tue 6 to Fri 9 (1-4); Mon 12 to Fri 23
        # (5-14); Mon 26 a bank holiday; Tue 27 to Fri 30 (15-18); Mon 2 (19) Tue 3 June (20).
        (D(2025, 5, 5), D(2025, 6, 3)),
    ],
)
def test_iha_is_due_20_working_days_after_becoming_looked_after(looked_after, due):
    deadline = timescales.iha_due(became_looked_after=looked_after)
    assert deadline.due == due
    assert deadline.unit is Unit.WORKING_DAYS
    assert "reg 33(1)" in deadline.source


def test_a_one_off_day_added_by_an_admin_moves_a_working_day_deadline(users):
    from inclusion.core.non_working_days import non_working_day_add

    # Looked after Friday 4 July 2031: working day 20 is Friday 1 August 2031.
    assert timescales.iha_due(became_looked_after=D(2031, 7, 4)).due == D(2031, 8, 1)
    non_working_day_add(date=D(2031, 7, 8), name="Royal occasion", actor=users["admin"])
    # One working day fewer in the count: Monday 4 August.
    assert timescales.iha_due(became_looked_after=D(2031, 7, 4)).due == D(2031, 8, 4)
    # A week deadline does not move.
    assert timescales.decision_to_assess(request_received=D(2031, 7, 4)).due == D(2031, 8, 15)


# ---------------------------------------------------------------- exceptions

SUMMER = {"starts_on": D(2025, 7, 23), "ends_on": D(2025, 9, 3)}  # closed 6 weeks
RECEIVED = D(2025, 6, 2)  # Monday; 20 weeks = Monday 20 October 2025


def closure(asked: dt.date, **dates: dt.date) -> RecordedException:
    return RecordedException(
        reason=ExceptionReason.INSTITUTION_CLOSED,
        advice_requested_on=asked,
        **{**SUMMER, **dates},
    )


def test_advice_asked_of_a_school_a_week_before_its_summer_closure_excepts_the_20_weeks():
    deadline = timescales.final_plan_due(
        request_received=RECEIVED, exceptions=[closure(D(2025, 7, 16))]
    )
    assert deadline.excepted
    # The exception disapplies the limit; it does not move the due date.
    assert deadline.due == D(2025, 10, 20)
    # The last day it applies: one week before the school reopens.
    assert timescales.final_plan_due(
        request_received=RECEIVED, exceptions=[closure(D(2025, 8, 27))]
    ).excepted


@pytest.mark.parametrize(
    ("exception", "field", "message"),
    [
        # Eight days before the closure: too early.
        (
            closure(D(2025, 7, 15)),
            "advice_requested_on",
            "from one week before the closure (16/07/2025)",
        ),
        # Six days before it reopens: too late.
        (
            closure(D(2025, 8, 28)),
            "advice_requested_on",
            "until one week before it reopens (27/08/2025)",
        ),
        # A closure of 3 weeks is not one of at least 4.
        (
            closure(D(2025, 7, 16), ends_on=D(2025, 8, 13)),
            "ends_on",
            "closed for a continuous period of at least 4 weeks",
        ),
        (
            RecordedException(reason=ExceptionReason.INSTITUTION_CLOSED),
            "advice_requested_on",
            "Enter the date advice was asked",
        ),
    ],
)
def test_a_closure_that_does_not_meet_reg_10_4_is_refused_naming_the_field(
    exception, field, message
):
    with pytest.raises(ValidationError) as raised:
        timescales.final_plan_due(request_received=RECEIVED, exceptions=[exception])
    assert message in " ".join(raised.value.message_dict[field])


def test_exceptional_personal_circumstances_need_saying_what_they_are():
    with pytest.raises(ValidationError) as raised:
        timescales.final_plan_due(
            request_received=RECEIVED,
            exceptions=[
                RecordedException(
                    reason=ExceptionReason.PERSONAL_CIRCUMSTANCES, starts_on=D(2025, 11, 1)
                )
            ],
        )
    errors = raised.value.message_dict
    assert errors["detail"] == ["Describe the exceptional personal circumstances"]
    assert "before the due date, 20/10/2025" in errors["starts_on"][0]

    deadline = timescales.final_plan_due(
        request_received=RECEIVED,
        exceptions=[
            RecordedException(
                reason=ExceptionReason.PERSONAL_CIRCUMSTANCES,
                starts_on=D(2025, 8, 1),
                detail="Parent in hospital",
            )
        ],
    )
    assert deadline.excepted


@pytest.mark.parametrize(
    ("left", "back", "excepted"),
    [
        (D(2025, 8, 1), D(2025, 8, 29), True),  # 28 days away: 4 weeks
        (D(2025, 8, 1), D(2025, 8, 28), False),  # 27 days
        (D(2025, 10, 1), None, False),  # still away, but only 20 days before the due date
        (D(2025, 9, 20), None, True),  # still away, 31 days before the due date
        (D(2025, 5, 10), D(2025, 6, 20), False),  # 18 of the days away fall after the start
    ],
)
def test_away_from_the_area_must_be_4_continuous_weeks_within_the_period(left, back, excepted):
    exception = RecordedException(
        reason=ExceptionReason.AWAY_FROM_AREA, starts_on=left, ends_on=back
    )
    if excepted:
        assert timescales.final_plan_due(request_received=RECEIVED, exceptions=[exception]).excepted
    else:
        with pytest.raises(ValidationError, match="at least 4 weeks"):
            timescales.final_plan_due(request_received=RECEIVED, exceptions=[exception])


def test_a_missed_appointment_excepts_advice_but_not_the_final_plan():
    missed = RecordedException(reason=ExceptionReason.MISSED_APPOINTMENT, starts_on=D(2025, 6, 10))
    assert timescales.advice_due(advice_requested=RECEIVED, exceptions=[missed]).excepted

    with pytest.raises(ValidationError) as raised:
        timescales.final_plan_due(request_received=RECEIVED, exceptions=[missed])
    message = raised.value.message_dict["reason"][0]
    assert "is not an exception to the time limit for final ehc plan" in message
    assert "reg 13(3)" in message

    too_late = RecordedException(
        reason=ExceptionReason.MISSED_APPOINTMENT, starts_on=D(2025, 7, 20)
    )
    with pytest.raises(ValidationError, match="within the 6 weeks"):
        timescales.advice_due(advice_requested=RECEIVED, exceptions=[too_late])


def test_a_school_closure_is_no_exception_to_the_advice_time_limit():
    with pytest.raises(ValidationError, match="is not an exception"):
        timescales.advice_due(advice_requested=RECEIVED, exceptions=[closure(D(2025, 7, 16))])


def test_the_6_and_16_week_limits_have_the_same_three_exceptions_as_the_20_weeks():
    for function in (timescales.decision_to_assess, timescales.not_to_issue_notice):
        deadline = function(request_received=RECEIVED)
        assert set(deadline.exceptions_allowed) == {
            ExceptionReason.INSTITUTION_CLOSED,
            ExceptionReason.PERSONAL_CIRCUMSTANCES,
            ExceptionReason.AWAY_FROM_AREA,
        }


def test_two_exceptions_name_which_one_is_wrong():
    good = RecordedException(
        reason=ExceptionReason.PERSONAL_CIRCUMSTANCES, starts_on=D(2025, 8, 1), detail="Ill"
    )
    bad = RecordedException(reason=ExceptionReason.AWAY_FROM_AREA)
    with pytest.raises(ValidationError) as raised:
        timescales.final_plan_due(request_received=RECEIVED, exceptions=[good, bad])
    assert list(raised.value.message_dict) == ["exceptions[1].starts_on"]


# ---------------------------------------------------------------- standards for pathways


def test_due_after_counts_each_unit_the_calendars_way():
    start = D(2025, 5, 2)  # Friday before the early May bank holiday
    assert timescales.due_after(start, amount=5, unit=Unit.WORKING_DAYS) == D(2025, 5, 12)
    assert timescales.due_after(start, amount=2, unit=Unit.WEEKS) == D(2025, 5, 16)
    assert timescales.due_after(start, amount=1, unit=Unit.MONTHS) == D(2025, 6, 2)
    # 1 calendar day: Saturday 3 May; with the standard "moves to the next working day",
    # Tuesday 6 May (Monday 5th is a bank holiday).
    assert timescales.due_after(start, amount=1, unit=Unit.CALENDAR_DAYS) == D(2025, 5, 3)
    moved = timescales.due_after(
        start,
        amount=1,
        unit=Unit.CALENDAR_DAYS,
        if_non_working_day=timescales.IfNonWorkingDay.MOVES_TO_NEXT_WORKING_DAY,
    )
    assert moved == D(2025, 5, 6)


def test_due_after_takes_the_plain_strings_a_pathways_model_field_holds():
    assert timescales.due_after(D(2025, 5, 2), amount=5, unit="working_days") == D(2025, 5, 12)
    assert timescales.due_after(
        D(2025, 5, 2),
        amount=1,
        unit="calendar_days",
        if_non_working_day="moves_to_next_working_day",
    ) == D(2025, 5, 6)
    with pytest.raises(ValueError, match="'fortnights' is not a valid Unit"):
        timescales.due_after(D(2025, 5, 2), amount=1, unit="fortnights")


def test_due_after_in_working_hours_needs_a_time():
    at = dt.datetime(2025, 5, 2, 15, 30)
    assert timescales.due_after(at, amount=48, unit=Unit.WORKING_HOURS) == dt.datetime(
        2025, 5, 7, 15, 30
    )
    with pytest.raises(TypeError, match="from a date and time"):
        timescales.due_after(D(2025, 5, 2), amount=48, unit=Unit.WORKING_HOURS)


def test_elapsed_working_days_finds_the_day_15_escalation_point():
    start = D(2023, 5, 4)
    assert timescales.elapsed(start=start, on=D(2023, 5, 26), unit=Unit.WORKING_DAYS) == 15
    assert timescales.elapsed(start=start, on=D(2023, 5, 25), unit=Unit.WEEKS) == 3


def test_days_left_and_met_by():
    deadline = timescales.decision_to_assess(request_received=D(2025, 1, 6))  # due 17 Feb
    assert deadline.days_left(D(2025, 2, 10)) == 7
    assert deadline.days_left(D(2025, 2, 17)) == 0
    assert deadline.days_left(D(2025, 2, 18)) == -1
    assert deadline.met_by(D(2025, 2, 17))
    assert not deadline.met_by(D(2025, 2, 18))


# ---------------------------------------------------------------- properties

STARTS = st.dates(min_value=D(2014, 9, 1), max_value=D(2040, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=STARTS)
def test_no_deadline_comes_before_its_start_and_working_day_ones_fall_on_working_days(start):
    for key, deadline in timescales.all_timescales(start).items():
        assert deadline.due >= start, key
        assert deadline.start == start, key
        if deadline.unit is Unit.WORKING_DAYS:
            assert calendar.is_working_day(deadline.due), key
            assert calendar.working_days_between(start, deadline.due) == deadline.amount


@settings(max_examples=200, deadline=None)
@given(start=STARTS)
def test_week_deadlines_fall_on_the_same_weekday_as_the_start(start):
    for deadline in timescales.all_timescales(start).values():
        if deadline.unit is Unit.WEEKS:
            assert deadline.due.weekday() == start.weekday()
            assert (deadline.due - start).days == 7 * deadline.amount


# ---------------------------------------------------------------- the command


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("timescales", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_every_deadline_from_a_date_as_json():
    data = json.loads(run("--start", "2025-01-04", "--format", "json"))
    for key in (
        "decision_to_assess",
        "advice_due",
        "final_plan_due",
        "not_to_issue_notice",
        "iha_due",
    ):
        assert {"due", "unit", "rule", "source"} <= set(data[key])
    assert data["decision_to_assess"]["due"] == "2025-02-15"
    assert data["decision_to_assess"]["unit"] == "weeks"
    assert data["final_plan_due"]["due"] == "2025-05-24"
    assert data["iha_due"] == {
        **data["iha_due"],
        "due": "2025-01-31",
        "unit": "working_days",
        "amount": 20,
    }
    assert list(data) == list(timescales.TIMESCALES)


def test_the_command_reads_a_day_first_date_as_the_same_day():
    assert run("--start", "04/01/2025", "--format", "json") == run(
        "--start", "2025-01-04", "--format", "json"
    )


def test_the_command_prints_a_readable_table_marking_non_working_days():
    text = run("--start", "2025-01-06")
    assert "Statutory deadlines running from Monday 6 January 2025" in text
    line = next(row for row in text.splitlines() if row.startswith("final_plan_due "))
    assert "Mon 26 May 2025" in line
    assert "20 weeks" in line
    assert "not a working day (Spring Bank Holiday)" in line
    assert "Source: SEND Regulations 2014 (SI 2014/1530), reg 13(2)" in text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2025", "--start '31/02/2025' is not a real date"),
        ("tomorrow", "--start 'tomorrow' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ("2025-1-4", "--start '2025-1-4' is not a date"),
    ],
)
def test_the_command_names_a_bad_start_date(value, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("--start", value)
