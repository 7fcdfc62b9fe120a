"""Script and markup typed or imported anywhere are shown as text on every page, never run."""

from __future__ import annotations

import pytest

from factcheck.db import db
from factcheck.middleware import CONTENT_SECURITY_POLICY
from tests.security.hostile import PAYLOAD, RAW_MARKERS, SCRIPT, get_urls, seed


@pytest.fixture
def hostile(app, users):
    with app.app_context():
        ids = seed(db.session)
        db.session.commit()
    return ids


def fetch_all(client, app, ids, *, extra=()):
    responses = {}
    for url in [*get_urls(app, ids), *extra]:
        responses[url] = client.get(url)
    return responses


SEARCHES = (f"/search?q={SCRIPT}", f"/search?speaker={PAYLOAD}&outlet={PAYLOAD}",
            f"/api/v1/quotes?q={PAYLOAD}", f"/oembed?url={PAYLOAD}", f"/login?next={PAYLOAD}")


@pytest.mark.parametrize("who", [None, "ada"], ids=["reader", "admin"])
def test_no_page_carries_live_markup(client, app, hostile, who):
    if who:
        client.login(who)
    for url, response in fetch_all(client, app, hostile, extra=SEARCHES).items():
        assert response.status_code < 500 or url == "/readyz", url  # readyz: no migrations in tests
        body = response.get_data(as_text=True)
        if response.mimetype in ("application/json", "application/problem+json"):
            continue  # data, not markup (served with nosniff, checked below)
        for marker in RAW_MARKERS:
            assert marker not in body, f"{marker!r} unescaped on {url}"
        assert 'href="javascript:' not in body.lower() and "src=\"javascript:" not in body.lower(), url


def test_hostile_text_is_shown_as_text(client, app, hostile):
    """Readers see the words they would have run, escaped, where they belong."""
    article = client.get(f"/articles/{hostile['article_id']}").get_data(as_text=True)
    quote_page = client.get(f"/quotes/{hostile['quote_id']}").get_data(as_text=True)
    speaker = client.get(f"/speakers/{hostile['speaker_id']}").get_data(as_text=True)
    for body in (article, quote_page, speaker):
        assert "&lt;script&gt;window.__pwned=1" in body
    assert "<script type=\"application/ld+json\"" not in quote_page or "\\u003cscript" in quote_page


def test_every_response_sends_the_policy(client, app, hostile):
    """CSP without inline script on every page, JSON and error alike; nosniff everywhere."""
    client.login("ada")
    responses = fetch_all(client, app, hostile, extra=("/nowhere", "/articles/999999"))
    for url, response in responses.items():
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {d.split()[0]: d for d in (p.strip() for p in policy.split(";")) if d}
        script_src = directives.get("script-src") or directives.get("default-src")  # its fallback
        assert script_src, f"no policy for scripts on {url}"
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, url
        assert "object-src 'none'" in policy or directives.get("default-src") == "default-src 'none'", url
        assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert CONTENT_SECURITY_POLICY in responses["/nowhere"].headers["Content-Security-Policy"]
