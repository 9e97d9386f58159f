"""Take the README's screenshots: `.venv/bin/python scripts/screenshots.py`.

Serves the demo from a throwaway SQLite database on a free local port, signs in as the
demo admin in Debian's headless chromium, and writes PNGs to docs/screenshots/. The
server is stopped (and the database removed) however the script ends.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "demo-password-2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not answer within {seconds}s")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "DEBUG": "true",
        }
        env.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.config.settings.local")
        manage = [sys.executable, str(REPO / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/sign-in/")
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-GB")
        page.goto(base + "/sign-in/")
        page.screenshot(path=OUT / "sign-in.png", full_page=True)

        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        page.goto(base + "/plans/")
        page.screenshot(path=OUT / "plans.png", full_page=True)

        # The inspection action plan: its page, then its first action.
        page.get_by_role("link", name="Ofsted/CQC inspection action plan").first.click()
        page.wait_for_load_state()
        page.screenshot(path=OUT / "action-plan.png")
        browser.close()
    for name in ("sign-in.png", "plans.png", "action-plan.png"):
        print(OUT / name)


if __name__ == "__main__":
    sys.exit(main())
