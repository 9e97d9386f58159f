"""Development settings: `make run`."""

from inclusion.config.settings.base import *  # noqa: F403
from inclusion.config.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
