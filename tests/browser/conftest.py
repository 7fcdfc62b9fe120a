"""A real HTTP server on a temporary SQLite database, and Debian's headless Chromium driving it.

Everything here skips, saying why, when Chromium or Playwright is missing.
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import Role
from factcheck.services import accounts
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def playwright_api():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium, or make browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api):
    browser = playwright_api.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


class LiveApp:
    """The app served over HTTP on loopback, with direct database access for setting the scene."""

    def __init__(self, app, server):
        self.app = app
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_port}"

    def __call__(self, path: str) -> str:
        return self.url + path

    def run(self, work):
        """Run ``work(session)`` in an app context and commit."""
        with self.app.app_context():
            try:
                result = work(db.session)
                db.session.commit()
                return result
            finally:
                db.session.remove()


@pytest.fixture(scope="session")
def live(tmp_path_factory, playwright_api):
    path = tmp_path_factory.mktemp("live") / "browser.sqlite3"
    app = create_app({
        "TESTING": False,
        "SECRET_KEY": "browser-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SCHEMA_CHECK": False,
        "RATELIMIT_ENABLED": False,
        "LOG_JSON": False,
        "SERVER_NAME": None,
    })
    with app.app_context():
        db.create_all()
        for name, role in (("rita", Role.REVIEWER), ("ed", Role.EDITOR)):
            accounts.create_user(db.session, name, PASSWORD, role=role)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveApp(app, server)
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser, live):
    """A fresh browser context (no cookies) that records every request and console error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5000)
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(
        "Failed to load resource") and page.errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and page.errors.append(
        f"{response.status} {response.url}"))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page, live, username: str) -> None:
    page.goto(live("/login"))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{username} (").first.is_visible()
