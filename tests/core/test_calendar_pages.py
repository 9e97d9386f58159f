"""The calendar pages: admins list, add and remove one-off non-working days and see when
deadlines fall; nobody else may. Anonymous, wrong role and another partnership's admin
are each tried."""

import datetime as dt

import pytest
from django.urls import reverse

from inclusion.core import calendar
from inclusion.core.models import AuditLog, NonWorkingDay
from inclusion.core.non_working_days import non_working_day_add

pytestmark = pytest.mark.django_db

CALENDAR = reverse("core:calendar")
ADD = reverse("core:non_working_day_add")
REMOVE = reverse("core:non_working_day_remove")
FUTURE_DAY = dt.date(2031, 7, 8)  # a Tuesday


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


def add_form(**values: str) -> dict[str, str]:
    return {
        "date-day": "8",
        "date-month": "7",
        "date-year": "2031",
        "name": "Royal occasion",
        "note": "Proclaimed in the Gazette",
        **values,
    }


@pytest.mark.parametrize("url", [CALENDAR, ADD, REMOVE])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["plan_editor", "action_lead", "viewer"])
def test_only_admins_may_use_the_calendar_pages(client, users, role):
    client.force_login(users[role])
    assert client.get(CALENDAR).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, add_form()).status_code == 403
    assert client.post(REMOVE, {"date": "2031-07-08"}).status_code == 403
    assert not NonWorkingDay.objects.exists()


def test_the_calendar_lists_bank_holidays_and_the_one_off_days(admin_client, users):
    non_working_day_add(date=FUTURE_DAY, name="Royal occasion", actor=users["admin"])
    response = admin_client.get(CALENDAR)
    page = response.content.decode()

    assert response.status_code == 200
    assert "Royal occasion" in page
    assert f"{REMOVE}?date=2031-07-08" in page
    today = dt.date.today()
    assert f"Bank holidays in {today.year} and {today.year + 1}" in page
    assert "Christmas Day" in page


def test_an_admin_adds_a_one_off_day_and_the_calendar_counts_it_at_once(admin_client, users):
    response = admin_client.post(ADD, add_form())

    assert response.status_code == 302
    assert response["Location"] == CALENDAR
    day = NonWorkingDay.objects.get()
    assert (day.date, day.name, day.note) == (
        FUTURE_DAY,
        "Royal occasion",
        "Proclaimed in the Gazette",
    )
    assert day.created_by == users["admin"]
    assert not calendar.is_working_day(FUTURE_DAY)
    log = AuditLog.objects.get(object_type="core.nonworkingday")
    assert (log.operation, log.actor, log.actor_label) == ("create", users["admin"], "admin")
    follow = admin_client.get(CALENDAR).content.decode()
    assert "Royal occasion (Tuesday 8 July 2031) added as a non-working day" in follow


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"date-day": "12"},
            "Saturday 12 July 2031 is a Saturday: weekends are never working days",
        ),
        (
            {"date-day": "8", "date-month": "5", "date-year": "2023"},
            "Monday 8 May 2023 is already a non-working day: Coronation of Charles III",
        ),
        ({"date-day": "31", "date-month": "2"}, "Date must be a real date, for example 8 5 2023"),
        ({"date-month": ""}, "Date must include a month"),
        ({"date-day": "", "date-month": "", "date-year": ""}, "Enter the date"),
        ({"name": ""}, "Enter the name of the day"),
    ],
)
def test_a_day_that_cannot_be_added_shows_the_error_and_saves_nothing(
    admin_client, values, message
):
    response = admin_client.post(ADD, add_form(**values))

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert not NonWorkingDay.objects.exists()


def test_the_form_keeps_what_was_typed_after_an_error(admin_client):
    page = admin_client.post(ADD, add_form(name="")).content.decode()
    assert 'value="2031"' in page
    assert "Proclaimed in the Gazette" in page


def test_removing_a_day_asks_first_then_removes_it(admin_client, users):
    non_working_day_add(date=FUTURE_DAY, name="Royal occasion", actor=users["admin"])

    confirm = admin_client.get(REMOVE, {"date": "2031-07-08"})
    assert confirm.status_code == 200
    assert "Remove <strong>Royal occasion</strong>, Tuesday 8 July 2031" in confirm.content.decode()
    assert NonWorkingDay.objects.exists()

    response = admin_client.post(REMOVE, {"date": "2031-07-08"})

    assert response.status_code == 302
    assert not NonWorkingDay.objects.exists()
    assert calendar.is_working_day(FUTURE_DAY)
    assert AuditLog.objects.filter(object_type="core.nonworkingday", operation="delete").exists()


def test_removing_a_day_that_is_not_there_goes_back_or_says_so(admin_client):
    assert admin_client.get(REMOVE).status_code == 302
    assert admin_client.get(REMOVE, {"date": "not-a-date"}).status_code == 302
    response = admin_client.post(REMOVE, {"date": "2023-05-08"})  # a package holiday
    assert response.status_code == 400
    assert "Choose a one-off non-working day to remove" in response.content.decode()


def test_another_partnerships_admin_shares_the_national_table(client, outsider):
    """A one-off bank holiday is the same day for every partnership (ADR 0019)."""
    client.force_login(outsider)
    assert client.post(ADD, add_form()).status_code == 302
    assert NonWorkingDay.objects.get().created_by == outsider


def test_the_deadlines_from_a_date_are_shown_with_their_rules(admin_client):
    response = admin_client.get(
        CALENDAR, {"start-day": "4", "start-month": "1", "start-year": "2025"}
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Deadlines from Saturday 4 January 2025 (not a working day: Saturday)" in page
    assert "Saturday 15 February 2025" in page  # decision whether to assess
    assert "Friday 31 January 2025" in page  # initial health assessment
    assert "reg 13(2)" in page


def test_a_bad_start_date_is_an_error_on_the_page(admin_client):
    response = admin_client.get(
        CALENDAR, {"start-day": "30", "start-month": "2", "start-year": "2025"}
    )
    assert response.status_code == 400
    assert "Start date must be a real date" in response.content.decode()
