"""In Chromium: hostile text on every page, as a reader and as an admin, runs no script.

The pages are opened with the Content-Security-Policy bypassed, so this checks the
escaping itself (CSP would otherwise hide a hole); the policy is checked on its own
in tests/security/test_hostile_text.py, which shares the data (tests/security/hostile.py).
Skips, saying why, without Chromium or Playwright.
"""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import Role
from factcheck.services import accounts
from tests.conftest import PASSWORD
from tests.security.hostile import PAYLOAD, get_urls, seed

pytestmark = pytest.mark.browser

PROBE = """() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    title: document.title,
    scriptLinks: [...document.querySelectorAll('a[href], iframe[src], form[action]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
        .filter(v => /^\\s*javascript:/i.test(v)),
    handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
        .filter(a => a.name.startsWith('on')).map(a => a.name + '=' + a.value),
})"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, playwright_api):
    path = tmp_path_factory.mktemp("hostile") / "hostile.sqlite3"
    app = create_app({"TESTING": False, "SECRET_KEY": "hostile-browser", "LOG_JSON": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SCHEMA_CHECK": False,
                      "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False})
    with app.app_context():
        db.create_all()
        accounts.create_user(db.session, "ada", PASSWORD, role=Role.ADMIN)
        ids = seed(db.session)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    urls = [url for url in get_urls(app, ids) if not url.startswith(("/api/", "/feeds/", "/oembed"))]
    urls += [f"/search?q={PAYLOAD}", f"/search?speaker={PAYLOAD}", f"/login?next={PAYLOAD}"]
    yield base, urls
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("who", [None, "ada"], ids=["reader", "admin"])
def test_no_script_runs_on_any_page(browser, hostile_site, who):
    base, urls = hostile_site
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        if who:
            page.goto(base + "/login")
            page.get_by_label("User name").fill(who)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
        seen = 0
        for url in urls:
            page.goto(base + url)
            found = page.evaluate(PROBE)
            assert found["pwned"] is None, f"script ran on {url}"
            assert found["title"] != "pwned", url
            assert found["scriptLinks"] == [], f"javascript: link on {url}: {found['scriptLinks']}"
            assert found["handlers"] == [], f"event handler attribute on {url}: {found['handlers']}"
            seen += "<script>window.__pwned" in page.inner_text("body")
        assert seen >= 3, "the hostile text should be visible, as text, on the main pages"
    finally:
        context.close()
