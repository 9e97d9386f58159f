"""The Jinja2 environment: GOV.UK Frontend macros plus our globals and filters.

Display logic lives in presenters (`inclusion/*/presenters.py`); this module only
wires them in so every template can use them.
"""

from typing import Any

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from inclusion.core import presenters
from inclusion.core.navigation import navigation_items
from inclusion.plans import presenters as plan_presenters


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None)
    govuk = PrefixLoader(
        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
    )
    options["loader"] = ChoiceLoader([loader, govuk]) if loader else govuk
    options.setdefault("extensions", []).append("jinja2.ext.do")
    env = Environment(**options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "navigation_items": navigation_items,
        }
    )
    env.filters.update(presenters.FILTERS)
    env.filters.update(plan_presenters.FILTERS)
    return env
