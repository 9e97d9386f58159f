"""Development settings: `make run`."""

from inclusion.config.settings.base import *  # noqa: F403
from inclusion.config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)

# Static files straight from the app folders (no collectstatic in development).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
