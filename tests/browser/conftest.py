"""Browser fixtures: Debian's chromium through Playwright, and an axe-core check.

- `browser`: one headless chromium per test module (launching one takes a second).
- `page_for(user)`: a fresh browser context signed in through the real sign-in page.
- `anonymous_page`: a fresh context that is not signed in.
- `assert_accessible(page)`: runs axe-core (from npm) on the page for WCAG 2.2 AA and
  fails listing each violation with the elements it found.
- `demo`: the `load_demo` data, for pages that need real plans to show.

The browser is never downloaded (`playwright install`): `make test` installs Debian's
`chromium` if it is missing (scripts/chromium.sh).
"""

import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from inclusion.accounts.demo import DEMO_PASSWORD

# chromium may resolve "localhost" to ::1 while the live server listens on IPv4.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.2 AA: what GDS monitors public sector websites against under the Public Sector
# Bodies (Websites and Mobile Applications) Accessibility Regulations 2018.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash scripts/chromium.sh` (or `make test-browser`)"
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run in
    # a thread with a running loop unless told it is safe (it is: one test at a time per
    # process). Only while a browser is open, so other tests keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageErrors(list):
    """JavaScript errors a page raised (GOV.UK Frontend failing to start is one)."""


def _new_page(browser: Any, contexts: list[Any]) -> Any:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    page.js_errors = PageErrors()
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


@pytest.fixture
def anonymous_page(browser: Any, live_server: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    yield _new_page(browser, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page_for(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """`page_for(user, password=DEMO_PASSWORD)`: a page signed in as `user` via /sign-in/."""
    contexts: list[Any] = []

    def sign_in(user: Any, password: str = DEMO_PASSWORD) -> Any:
        page = _new_page(browser, contexts)
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if page.url.startswith(live_server.url + reverse("login")):
            pytest.fail(f"signing in as {user.username} failed: still on {page.url}")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (or `make install`)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return result["violations"]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(
                f"    at {json.dumps(node['target'])}: {node.get('failureSummary', '')}".rstrip()
            )
    return "\n".join(lines)


def accessibility_problems(page: Any) -> str:
    """The axe violations and JavaScript errors of the page as shown now, or ''."""
    problems = []
    if violations := axe_violations(page):
        problems.append(format_violations(violations))
    if page.js_errors:
        problems.append(
            "JavaScript errors:\n" + "\n".join(f"- {error}" for error in page.js_errors)
        )
    return "\n".join(problems)


@pytest.fixture
def assert_accessible() -> Callable[[Any], None]:
    def check(page: Any) -> None:
        if problems := accessibility_problems(page):
            pytest.fail(f"{page.url} is not accessible:\n{problems}", pytrace=False)

    return check


@pytest.fixture
def demo(transactional_db: Any) -> None:
    """The demo partnerships, users and plans (`manage.py load_demo`)."""
    call_command("load_demo", stdout=io.StringIO())
