"""Settings for the benchmarks: the shared base with production's request-time choices.

DEBUG is off (with it on Django keeps every SQL statement in memory, which would inflate
both time and memory), and connections are kept between requests as in production, so a
measured request pays for its queries, not for opening a connection. The database comes
from DATABASE_URL, which `bench/run.py` always points at a throwaway database.
"""

from inclusion.config.settings.base import *  # noqa: F403
from inclusion.config.settings.base import DATABASES

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest-free storage: pages link to static files without a collectstatic run.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
