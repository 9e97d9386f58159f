"""The statutory timescales: one function each, with its source.

Pages, reminders, measures, exports and `manage.py timescales` all call these, so a
deadline is worked out in one place. Each returns a `Deadline`: the start, the due date
(the last day on which the duty is met in time), the rule in words, the source, the unit
it counts in and what happens when it falls on a non-working day.

Rules followed throughout (docs/adr/0019-calendar-and-timescales.md):

- The EHC clock starts on the day the local authority receives the request, whatever day
  that is (`ehc_clock_start`): the regulations count "within 6 weeks of receiving a
  request" and move nothing for a request that arrives at a weekend, so 6 weeks from a
  request received on a Saturday end on the Saturday 6 weeks later.
- Weeks and days are calendar weeks and days; "within N weeks of" a day ends on the same
  weekday N weeks later. "At least 15 days, beginning with the day on which the draft
  plan was served" counts the day of service as day 1, so it ends 14 days later.
- No EHC timescale moves off a weekend or bank holiday: the regulations do not say so.
  `Deadline.last_working_day` gives the working day before, for reminders.
- Working-day counts (the initial health assessment) start the day after, skip weekends
  and England and Wales bank holidays, and so always end on a working day.
- An exception (reg 5(4), 8(2), 10(4), 13(3)) does not move a due date: the regulations
  say the authority "need not comply with the time limit", not that it is extended. The
  due date stays, and the deadline carries the exception, checked and recorded, so the
  measures can count plans issued in 20 weeks with and without exceptions (SEN2 `Week20`).

The SEND Regulations are the Special Educational Needs and Disability Regulations 2014
(SI 2014/1530); the Code is the SEND Code of Practice: 0 to 25 years (January 2015).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from inclusion.core import calendar

SEND_REGS = "SEND Regulations 2014 (SI 2014/1530)"
CODE = "SEND Code of Practice 2015"
CARE_PLANNING_REGS = (
    "Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959)"
)
LAC_HEALTH_GUIDANCE = (
    "Statutory guidance 'Promoting the health and wellbeing of looked-after children' "
    "(DfE and DHSC, March 2015)"
)


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    FIXED_DATE = "fixed_date"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]


_UNIT_LABELS = {
    Unit.CALENDAR_DAYS: "calendar days",
    Unit.WEEKS: "weeks",
    Unit.MONTHS: "months",
    Unit.WORKING_DAYS: "working days",
    Unit.WORKING_HOURS: "hours on working days",
    Unit.FIXED_DATE: "fixed date",
}


class IfNonWorkingDay(StrEnum):
    """What a due date that falls on a weekend or bank holiday does."""

    STAYS = "stays"
    MOVES_TO_NEXT_WORKING_DAY = "moves_to_next_working_day"


class Authority(StrEnum):
    LAW = "law"  # an Act or regulations: "must"
    GUIDANCE = "statutory_guidance"  # "should", unless there is good reason not to


def due_after(
    start: Any,
    *,
    amount: int,
    unit: Unit,
    if_non_working_day: IfNonWorkingDay = IfNonWorkingDay.STAYS,
) -> Any:
    """`amount` units after `start`, counted the one way the calendar counts each unit.

    For standards that are not in the regulations (a pathway's "contact within 5 working
    days", a duty line's 48-hour call-back): the pathway keeps the amount and unit, this
    keeps the counting. Dates for day, week, month and working-day units; a datetime for
    working hours. A day or week count ending on a non-working day stays there unless
    the standard says it moves to the next working day. `unit` and `if_non_working_day`
    may be the plain strings a model field holds ("working_days").
    """
    unit = Unit(unit)
    if IfNonWorkingDay(if_non_working_day) is IfNonWorkingDay.MOVES_TO_NEXT_WORKING_DAY:
        due = due_after(start, amount=amount, unit=unit)
        if isinstance(due, dt.datetime):
            if calendar.is_working_day(due.date()):
                return due
            return dt.datetime.combine(
                calendar.next_working_day(due.date()), dt.time.min, due.tzinfo
            )
        return calendar.next_working_day(due, inclusive=True)
    if unit is Unit.WORKING_HOURS:
        if not isinstance(start, dt.datetime):
            raise TypeError("hours on working days run from a date and time, not a date")
        return calendar.add_working_hours(start, amount)
    if isinstance(start, dt.datetime):
        return dt.datetime.combine(
            due_after(start.date(), amount=amount, unit=unit), start.timetz()
        )
    if unit is Unit.CALENDAR_DAYS:
        return calendar.add_days(start, amount)
    if unit is Unit.WEEKS:
        return calendar.add_weeks(start, amount)
    if unit is Unit.MONTHS:
        return calendar.add_months(start, amount)
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    raise ValueError(f"{unit.label} is not counted from a start")


def elapsed(*, start: dt.date, on: dt.date, unit: Unit) -> int:
    """Whole units from `start` to `on`: weeks elapsed on a case page, working day 15 of
    an initial health assessment's count (the local escalation point)."""
    unit = Unit(unit)
    if unit is Unit.CALENDAR_DAYS:
        return (on - start).days
    if unit is Unit.WEEKS:
        return (on - start).days // 7
    if unit is Unit.WORKING_DAYS:
        return calendar.working_days_between(start, on)
    raise ValueError(f"elapsed time is not counted in {unit.label}")


# ---------------------------------------------------------------- exceptions to time limits


class ExceptionReason(models.TextChoices):
    """Why a time limit need not be met; kept with the case (a model's `choices`)."""

    INSTITUTION_CLOSED = (
        "institution_closed",
        "Advice was asked of a school, college or early years setting from a week before it "
        "closed for 4 weeks or more until a week before it reopened",
    )
    PERSONAL_CIRCUMSTANCES = (
        "personal_circumstances",
        "Exceptional personal circumstances of the child or young person, or the parent",
    )
    AWAY_FROM_AREA = (
        "away_from_area",
        "The child or young person, or the parent, was away from the area for 4 weeks or more",
    )
    MISSED_APPOINTMENT = (
        "missed_appointment",
        "The child or young person did not attend an appointment for an examination or test",
    )


# The four exceptions of reg 10(4)(a) to (d) (school or college closure, early years
# closure, personal circumstances, absence), which reg 5(4) and reg 13(3) also apply; the
# two closures are one reason here, as DOMAIN.md and SEN2 count them.
_ASSESSMENT_EXCEPTIONS = (
    ExceptionReason.INSTITUTION_CLOSED,
    ExceptionReason.PERSONAL_CIRCUMSTANCES,
    ExceptionReason.AWAY_FROM_AREA,
)
# Reg 8(2)(a) to (c): the body asked for advice need not meet its 6 weeks.
_ADVICE_EXCEPTIONS = (
    ExceptionReason.PERSONAL_CIRCUMSTANCES,
    ExceptionReason.AWAY_FROM_AREA,
    ExceptionReason.MISSED_APPOINTMENT,
)

FOUR_WEEKS = dt.timedelta(weeks=4)
ONE_WEEK = dt.timedelta(weeks=1)


@dataclass(frozen=True)
class RecordedException:
    """An exception as a caseworker records it; which dates mean what depends on the reason:

    - institution closed: `advice_requested_on`, the day advice was asked of the school,
      college or setting; `starts_on`, the first day it was closed; `ends_on`, the day it
      reopened (or will). The closure must last at least 4 weeks, and the request fall
      from a week before the closure to a week before the reopening.
    - personal circumstances: `detail`, what they are (the family is told, Code 9.43);
      `starts_on`, when they began to affect the case.
    - away from the area: `starts_on`, the day they left; `ends_on`, the day they came
      back (empty while still away). At least 4 continuous weeks away within the period.
    - missed appointment (advice only): `starts_on`, the day of the appointment.
    """

    reason: ExceptionReason
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    advice_requested_on: dt.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Deadline:
    key: str
    title: str
    start: dt.date
    due: dt.date
    amount: int | None
    unit: Unit
    rule: str
    source: str
    authority: Authority = Authority.LAW
    if_non_working_day: IfNonWorkingDay = IfNonWorkingDay.STAYS
    exceptions_allowed: tuple[ExceptionReason, ...] = ()
    exceptions: tuple[RecordedException, ...] = field(default=())

    @property
    def excepted(self) -> bool:
        """A recorded exception applies, so the time limit need not be met (SEN2 Week20)."""
        return bool(self.exceptions)

    @property
    def due_is_working_day(self) -> bool:
        return calendar.is_working_day(self.due)

    @property
    def last_working_day(self) -> dt.date:
        """The last working day on or before the due date: when the work must be done
        by if the due date is a Saturday or a bank holiday."""
        return calendar.previous_working_day(self.due, inclusive=True)

    def days_left(self, on: dt.date) -> int:
        """Calendar days from `on` to the due date: 0 on the day, negative when overdue."""
        return (self.due - on).days

    def met_by(self, done_on: dt.date) -> bool:
        return done_on <= self.due

    def with_exceptions(self, exceptions: Iterable[RecordedException]) -> "Deadline":
        """This deadline with `exceptions` checked and recorded; the due date stays."""
        recorded = tuple(exceptions)
        errors: dict[str, list[str]] = {}
        for index, exception in enumerate(recorded):
            try:
                validate_exception(exception, deadline=self)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    key = name if len(recorded) == 1 else f"exceptions[{index}].{name}"
                    errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return replace(self, exceptions=self.exceptions + recorded)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the command and exports."""
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "due_weekday": self.due.strftime("%A"),
            "due_is_working_day": self.due_is_working_day,
            "amount": self.amount,
            "unit": self.unit.value,
            "rule": self.rule,
            "source": self.source,
            "authority": self.authority.value,
            "if_non_working_day": self.if_non_working_day.value,
            "exceptions_allowed": [reason.value for reason in self.exceptions_allowed],
            "excepted": self.excepted,
        }


def validate_exception(exception: RecordedException, *, deadline: Deadline) -> None:
    """Raise a ValidationError naming each field that does not meet the rule's conditions."""
    reason = ExceptionReason(exception.reason)
    if reason not in deadline.exceptions_allowed:
        allowed = "; ".join(r.label.lower() for r in deadline.exceptions_allowed) or "none"
        raise ValidationError(
            {
                "reason": (
                    f"'{reason.label}' is not an exception to the time limit for "
                    f"{deadline.title.lower()} ({deadline.source}). Exceptions allowed: {allowed}"
                )
            }
        )
    checks = {
        ExceptionReason.INSTITUTION_CLOSED: _check_closure,
        ExceptionReason.PERSONAL_CIRCUMSTANCES: _check_circumstances,
        ExceptionReason.AWAY_FROM_AREA: _check_absence,
        ExceptionReason.MISSED_APPOINTMENT: _check_appointment,
    }
    errors: dict[str, list[str]] = {}
    for name, message in checks[reason](exception, deadline.start, deadline.due):
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


Problems = list[tuple[str, str]]


def _day(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


def _check_closure(exception: RecordedException, start: dt.date, due: dt.date) -> Problems:
    # Reg 10(4)(a) and (b): asked "during a period beginning one week before any date on
    # which that school or institution was closed for a continuous period of not less than
    # 4 weeks from that date and ending one week before the date on which it re-opens".
    asked, closed, reopens = exception.advice_requested_on, exception.starts_on, exception.ends_on
    problems: Problems = []
    if asked is None:
        problems.append(
            (
                "advice_requested_on",
                "Enter the date advice was asked of the school, college or setting",
            )
        )
    if closed is None:
        problems.append(("starts_on", "Enter the date the school, college or setting closed"))
    if reopens is None:
        problems.append(("ends_on", "Enter the date the school, college or setting reopens"))
    if asked is None or closed is None or reopens is None:
        return problems
    if reopens - closed < FOUR_WEEKS:
        problems.append(
            (
                "ends_on",
                "The school, college or setting must be closed for a continuous period of at "
                "least 4 weeks: enter a reopening date 4 weeks or more after it closed",
            )
        )
    elif not closed - ONE_WEEK <= asked <= reopens - ONE_WEEK:
        problems.append(
            (
                "advice_requested_on",
                f"Advice must be asked from one week before the closure ({_day(closed - ONE_WEEK)}) "
                f"until one week before it reopens ({_day(reopens - ONE_WEEK)})",
            )
        )
    if not start <= asked <= due:
        problems.append(
            ("advice_requested_on", f"Advice must be asked between {_day(start)} and {_day(due)}")
        )
    return problems


def _check_circumstances(exception: RecordedException, start: dt.date, due: dt.date) -> Problems:
    problems: Problems = []
    if not exception.detail.strip():
        problems.append(("detail", "Describe the exceptional personal circumstances"))
    if exception.starts_on is None:
        problems.append(("starts_on", "Enter the date the circumstances began to affect the case"))
    elif exception.starts_on > due:
        problems.append(
            (
                "starts_on",
                f"The circumstances must affect the case before the due date, {_day(due)}",
            )
        )
    return problems


def _check_absence(exception: RecordedException, start: dt.date, due: dt.date) -> Problems:
    # "absent from the area of the authority for a continuous period of not less than 4
    # weeks during that time period" (reg 8(2)(b), 10(4)(d)): 4 weeks within start..due.
    left, back = exception.starts_on, exception.ends_on
    if left is None:
        return [("starts_on", "Enter the date they left the area")]
    if back is not None and back <= left:
        return [("ends_on", "The date they came back must be after the date they left")]
    away_within = min(back or due + dt.timedelta(days=1), due + dt.timedelta(days=1)) - max(
        left, start
    )
    if away_within < FOUR_WEEKS:
        return [
            (
                "starts_on",
                "They must be away from the area for a continuous period of at least 4 weeks "
                f"between {_day(start)} and {_day(due)}",
            )
        ]
    return []


def _check_appointment(exception: RecordedException, start: dt.date, due: dt.date) -> Problems:
    # Reg 8(2)(c): an appointment "made by the body during that 6 week period".
    day = exception.starts_on
    if day is None:
        return [("starts_on", "Enter the date of the missed appointment")]
    if not start <= day <= due:
        return [
            (
                "starts_on",
                f"The appointment must fall within the 6 weeks, {_day(start)} to {_day(due)}",
            )
        ]
    return []


# ---------------------------------------------------------------- EHC needs assessment


def ehc_clock_start(*, request_received: dt.date) -> dt.date:
    """The day the EHC clock starts: the day the local authority received the request.

    SEND Regulations 2014, reg 5(1), 10(1) and 13(2) count "within N weeks of the local
    authority receiving a request"; nothing in them moves a request received on a
    weekend or bank holiday to the next working day, so the calendar never does. The
    caseworker records the day it arrived. Every EHC assessment timescale starts here.
    """
    return request_received


def decision_to_assess(
    *, request_received: dt.date, exceptions: Iterable[RecordedException] = ()
) -> Deadline:
    """Tell the family whether the authority will carry out an EHC needs assessment:
    within 6 weeks of receiving the request.

    Source: SEND Regulations 2014, reg 5(1); exceptions reg 5(4). Calendar
    weeks; a due date on a weekend or bank holiday stays.
    """
    start = ehc_clock_start(request_received=request_received)
    return Deadline(
        key="decision_to_assess",
        title="Decision whether to assess",
        start=start,
        due=calendar.add_weeks(start, 6),
        amount=6,
        unit=Unit.WEEKS,
        rule="Within 6 weeks of the day the local authority receives the request",
        source=f"{SEND_REGS}, reg 5(1); exceptions reg 5(4)",
        exceptions_allowed=_ASSESSMENT_EXCEPTIONS,
    ).with_exceptions(exceptions)


def advice_due(
    *, advice_requested: dt.date, exceptions: Iterable[RecordedException] = ()
) -> Deadline:
    """Advice and information for an EHC needs assessment: within 6 weeks of the day the
    body asked for it receives the request.

    Source: SEND Regulations 2014, reg 8(1); exceptions reg 8(2)(a) to (c).
    `advice_requested` is the day the request reaches the body (usually the day it is
    sent by email). Calendar weeks; a due date on a non-working day stays.
    """
    return Deadline(
        key="advice_due",
        title="Advice for the EHC needs assessment",
        start=advice_requested,
        due=calendar.add_weeks(advice_requested, 6),
        amount=6,
        unit=Unit.WEEKS,
        rule="Within 6 weeks of the day the request for advice is received",
        source=f"{SEND_REGS}, reg 8(1); exceptions reg 8(2)",
        exceptions_allowed=_ADVICE_EXCEPTIONS,
    ).with_exceptions(exceptions)


def not_to_issue_notice(
    *, request_received: dt.date, exceptions: Iterable[RecordedException] = ()
) -> Deadline:
    """After assessing, tell the family the authority will not issue an EHC plan: within
    16 weeks of receiving the request.

    Source: SEND Regulations 2014, reg 10(1); exceptions reg 10(4)(a) to (d). Calendar
    weeks; a due date on a non-working day stays.
    """
    start = ehc_clock_start(request_received=request_received)
    return Deadline(
        key="not_to_issue_notice",
        title="Notice of a decision not to issue a plan",
        start=start,
        due=calendar.add_weeks(start, 16),
        amount=16,
        unit=Unit.WEEKS,
        rule="Within 16 weeks of the day the local authority receives the request",
        source=f"{SEND_REGS}, reg 10(1); exceptions reg 10(4)",
        exceptions_allowed=_ASSESSMENT_EXCEPTIONS,
    ).with_exceptions(exceptions)


def draft_plan_representations(*, draft_served: dt.date) -> Deadline:
    """The family's time to comment on a draft plan, ask for a meeting and name a school:
    at least 15 days, beginning with the day the draft was served.

    Source: SEND Regulations 2014, reg 13(1)(a). "Beginning with" counts the day of
    service as day 1, so the 15th day is 14 days later; the final plan may not be issued
    before the end of it. Calendar days; an end on a non-working day stays.
    """
    return Deadline(
        key="draft_plan_representations",
        title="Family's comments on the draft plan",
        start=draft_served,
        due=calendar.add_days(draft_served, 14),
        amount=15,
        unit=Unit.CALENDAR_DAYS,
        rule="At least 15 days, beginning with the day the draft plan is served (that day is day 1)",
        source=f"{SEND_REGS}, reg 13(1)(a)",
    )


def school_consultation_response(*, consulted: dt.date) -> Deadline:
    """A school or college consulted about being named in a plan should answer within 15
    days.

    Source: SEND Code of Practice 2015, chapter 9 (statutory guidance: "should"); the duty
    to consult is the Children and Families Act 2014, s39 and s40. Counted as 15 calendar
    days after the day the consultation is sent; an end on a non-working day stays.
    """
    return Deadline(
        key="school_consultation_response",
        title="School or college's answer to a consultation",
        start=consulted,
        due=calendar.add_days(consulted, 15),
        amount=15,
        unit=Unit.CALENDAR_DAYS,
        rule="Within 15 days of the day the school or college is consulted",
        source=f"{CODE}, chapter 9 (guidance); Children and Families Act 2014, s39-40",
        authority=Authority.GUIDANCE,
    )


def final_plan_due(
    *, request_received: dt.date, exceptions: Iterable[RecordedException] = ()
) -> Deadline:
    """Send the final EHC plan: within 20 weeks of receiving the request.

    Source: SEND Regulations 2014, reg 13(2); exceptions reg 13(3), which applies reg
    10(4)(a) to (d): advice asked of a school, college or early years setting around a
    closure of 4 weeks or more; exceptional personal circumstances; the child or family
    away from the area for 4 weeks or more. An exception is recorded with the case
    (SEN2 `Week20`) and leaves the due date where it is. Calendar weeks; a due date on a
    non-working day stays.
    """
    start = ehc_clock_start(request_received=request_received)
    return Deadline(
        key="final_plan_due",
        title="Final EHC plan",
        start=start,
        due=calendar.add_weeks(start, 20),
        amount=20,
        unit=Unit.WEEKS,
        rule="Within 20 weeks of the day the local authority receives the request",
        source=f"{SEND_REGS}, reg 13(2); exceptions reg 13(3) and 10(4)",
        exceptions_allowed=_ASSESSMENT_EXCEPTIONS,
    ).with_exceptions(exceptions)


# ---------------------------------------------------------------- reviews and amendments


def annual_review_due(*, last_reviewed: dt.date) -> Deadline:
    """Review the plan at least once in each 12 months.

    Source: Children and Families Act 2014, s44(1): in the period of 12 months starting
    with the day the plan was first made, then each period of 12 months starting with
    the day it was last reviewed (the Code, chapter 9, says at least every 12 months). The period starts with (includes) that
    day, so it ends the day before the same date a year later: 1 March 2023 gives 29
    February 2024; from 29 February 2024 it ends on 28 February 2025. `last_reviewed` is
    the day the plan was made or the review's decision letter (issue #4). Months; an end
    on a non-working day stays.
    """
    return Deadline(
        key="annual_review_due",
        title="Annual review",
        start=last_reviewed,
        due=calendar.months_period_end(last_reviewed, 12),
        amount=12,
        unit=Unit.MONTHS,
        rule=(
            "Within the period of 12 months starting with the day the plan was made or last "
            "reviewed (it ends the day before the same date a year later)"
        ),
        source=f"Children and Families Act 2014, s44(1); {CODE}, chapter 9",
    )


def review_report_due(*, review_meeting: dt.date) -> Deadline:
    """The review meeting's report, to the authority and everyone invited: within 2 weeks
    of the meeting.

    Source: SEND Regulations 2014, reg 20(7) (reg 21(7) where the child or young person
    attends no school or other institution). Calendar weeks; a due date on a non-working
    day stays.
    """
    return Deadline(
        key="review_report_due",
        title="Annual review report",
        start=review_meeting,
        due=calendar.add_weeks(review_meeting, 2),
        amount=2,
        unit=Unit.WEEKS,
        rule="Within 2 weeks of the review meeting",
        source=f"{SEND_REGS}, reg 20(7) and 21(7)",
    )


def review_decision_due(*, review_meeting: dt.date) -> Deadline:
    """The authority's decision after a review (keep the plan as it is, amend it or cease
    it), with the proposed amendments when it amends: within 4 weeks of the meeting.

    Source: SEND Regulations 2014, reg 20(10) (reg 21 where the child attends no school);
    R (L and others) v Devon County Council [2022] EWHC 493 (Admin) on sending the
    amendments with the decision. Calendar weeks; a due date on a non-working day stays.
    """
    return Deadline(
        key="review_decision_due",
        title="Decision after the annual review",
        start=review_meeting,
        due=calendar.add_weeks(review_meeting, 4),
        amount=4,
        unit=Unit.WEEKS,
        rule="Within 4 weeks of the review meeting",
        source=f"{SEND_REGS}, reg 20(10) and 21",
    )


def amendment_representations(*, amendment_notice: dt.date) -> Deadline:
    """The family's time to comment on proposed amendments and name a school: at least
    15 days, beginning with the day the notice was served.

    Source: SEND Regulations 2014, reg 22(2)(c). The day of service is day 1. Calendar
    days; an end on a non-working day stays.
    """
    return Deadline(
        key="amendment_representations",
        title="Family's comments on proposed amendments",
        start=amendment_notice,
        due=calendar.add_days(amendment_notice, 14),
        amount=15,
        unit=Unit.CALENDAR_DAYS,
        rule="At least 15 days, beginning with the day the amendment notice is served (that day is day 1)",
        source=f"{SEND_REGS}, reg 22(2)(c)",
    )


def amended_plan_due(*, amendment_notice: dt.date) -> Deadline:
    """The final amended plan: within 8 weeks of sending the proposed amendments.

    Source: SEND Regulations 2014, reg 22(3). Calendar weeks; a due date on a
    non-working day stays.
    """
    return Deadline(
        key="amended_plan_due",
        title="Final amended plan",
        start=amendment_notice,
        due=calendar.add_weeks(amendment_notice, 8),
        amount=8,
        unit=Unit.WEEKS,
        rule="Within 8 weeks of the day the proposed amendments are sent",
        source=f"{SEND_REGS}, reg 22(3)",
    )


def phase_transfer_review_deadline(*, transfer_year: int, to_post16: bool = False) -> dt.date:
    """The last day to review and amend a plan before a transfer between phases.

    Source: SEND Regulations 2014, reg 18(1): the plan must be reviewed and amended
    *before* 15 February of the calendar year of the transfer (before 31 March for a
    transfer from secondary school to a post-16 institution). "Before" makes 14
    February (30 March) the last day in time; DOMAIN.md's "by 15 February" is a day
    late, and the regulation wins.
    """
    if to_post16:
        return dt.date(transfer_year, 3, 30)
    return dt.date(transfer_year, 2, 14)


def phase_transfer_due(*, on_or_after: dt.date, to_post16: bool = False) -> Deadline:
    """The next phase-transfer deadline on or after `on_or_after` (for a transfer that
    September): what `manage.py timescales` shows for a start date. Fixed dates;
    one on a non-working day stays."""
    year = on_or_after.year
    if phase_transfer_review_deadline(transfer_year=year, to_post16=to_post16) < on_or_after:
        year += 1
    due = phase_transfer_review_deadline(transfer_year=year, to_post16=to_post16)
    if to_post16:
        title = f"Plan reviewed and amended for a move to post-16 in September {year}"
        rule = "Before 31 March of the calendar year of a transfer from secondary school to post-16"
    else:
        title = f"Plan reviewed and amended for a phase transfer in September {year}"
        rule = "Before 15 February of the calendar year of the transfer (other phase transfers)"
    return Deadline(
        key="phase_transfer_post16_due" if to_post16 else "phase_transfer_due",
        title=title,
        start=on_or_after,
        due=due,
        amount=None,
        unit=Unit.FIXED_DATE,
        rule=rule,
        source=f"{SEND_REGS}, reg 18(1)(a)" if to_post16 else f"{SEND_REGS}, reg 18(1)(b)",
    )


def post16_transfer_review_deadline(*, transfer_on: dt.date) -> dt.date:
    """A move between post-16 institutions: review and amend the plan at least five months
    before the move.

    Source: SEND Regulations 2014, reg 18(2). Counted back 5 calendar months to the same
    day of the month; a day the month lacks falls on its last day (the earlier choice),
    so a move on 31 July needs the review by 28 (or 29) February.
    """
    return calendar.add_months(transfer_on, -5)


# ---------------------------------------------------------------- looked-after children


def iha_due(*, became_looked_after: dt.date) -> Deadline:
    """The initial health assessment of a looked-after child: done, with its health
    plan, in time for the first review, which is within 20 working days of the day the
    child became looked after.

    Source: Care Planning, Placement and Case Review (England) Regulations 2010, reg 7
    (the health assessment before the first review) and reg 33(1) (the first review
    within 20 working days); statutory guidance "Promoting the health and wellbeing of
    looked-after children" (2015). Working days skip weekends and England and Wales
    bank holidays and start the day after, so the due date is always a working day.
    """
    return Deadline(
        key="iha_due",
        title="Initial health assessment (looked-after child)",
        start=became_looked_after,
        due=calendar.add_working_days(became_looked_after, 20),
        amount=20,
        unit=Unit.WORKING_DAYS,
        rule="Within 20 working days of the day the child became looked after",
        source=f"{CARE_PLANNING_REGS}, reg 7 and reg 33(1); {LAC_HEALTH_GUIDANCE}",
    )


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Timescale:
    key: str
    starts_from: str  # what the start date is, in words
    compute: Callable[[dt.date], Deadline]


TIMESCALES: dict[str, Timescale] = {
    t.key: t
    for t in (
        Timescale(
            "decision_to_assess",
            "the day the request is received",
            lambda d: decision_to_assess(request_received=d),
        ),
        Timescale(
            "advice_due",
            "the day the request for advice is received",
            lambda d: advice_due(advice_requested=d),
        ),
        Timescale(
            "not_to_issue_notice",
            "the day the request is received",
            lambda d: not_to_issue_notice(request_received=d),
        ),
        Timescale(
            "draft_plan_representations",
            "the day the draft plan is served",
            lambda d: draft_plan_representations(draft_served=d),
        ),
        Timescale(
            "school_consultation_response",
            "the day the school or college is consulted",
            lambda d: school_consultation_response(consulted=d),
        ),
        Timescale(
            "final_plan_due",
            "the day the request is received",
            lambda d: final_plan_due(request_received=d),
        ),
        Timescale(
            "annual_review_due",
            "the day the plan was made or last reviewed",
            lambda d: annual_review_due(last_reviewed=d),
        ),
        Timescale(
            "review_report_due",
            "the day of the review meeting",
            lambda d: review_report_due(review_meeting=d),
        ),
        Timescale(
            "review_decision_due",
            "the day of the review meeting",
            lambda d: review_decision_due(review_meeting=d),
        ),
        Timescale(
            "amendment_representations",
            "the day the amendment notice is served",
            lambda d: amendment_representations(amendment_notice=d),
        ),
        Timescale(
            "amended_plan_due",
            "the day the proposed amendments are sent",
            lambda d: amended_plan_due(amendment_notice=d),
        ),
        Timescale(
            "phase_transfer_due",
            "the day asked about (the next deadline on or after it)",
            lambda d: phase_transfer_due(on_or_after=d),
        ),
        Timescale(
            "phase_transfer_post16_due",
            "the day asked about (the next deadline on or after it)",
            lambda d: phase_transfer_due(on_or_after=d, to_post16=True),
        ),
        Timescale(
            "iha_due",
            "the day the child became looked after",
            lambda d: iha_due(became_looked_after=d),
        ),
    )
}


def all_timescales(start: dt.date) -> dict[str, Deadline]:
    """Every statutory deadline that runs from `start`, by key, in the order of a case."""
    return {key: timescale.compute(start) for key, timescale in TIMESCALES.items()}
