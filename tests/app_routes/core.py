"""Core's pages in the route-walking tests: the calendar (admins only).

The one-off non-working days are national (they belong to no partnership), so no URL
names one: the day to remove travels in the query string or the form. Another
partnership's admin may therefore use these pages too, by design
(docs/adr/0019-calendar-and-timescales.md).
"""

from tests.app_routes import ADMINS

MATRIX = {
    "core:calendar": {"get": ADMINS},
    "core:non_working_day_add": {"get": ADMINS, "post": ADMINS},
    # GET without a day goes back to the calendar; POST without one answers 400.
    "core:non_working_day_remove": {"get": ADMINS, "post": ADMINS},
}
