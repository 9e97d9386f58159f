from django.urls import path

from inclusion.core.views import calendar

app_name = "core"

urlpatterns = [
    path("", calendar.calendar_overview, name="calendar"),
    path("non-working-days/add/", calendar.non_working_day_add, name="non_working_day_add"),
    path(
        "non-working-days/remove/", calendar.non_working_day_remove, name="non_working_day_remove"
    ),
]
