"""Oversized requests get 413; broken or mistyped JSON gets a 400/422 problem, never a 500."""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from factcheck.db import db
from factcheck.services import accounts
from tests.security.hostile import seed

PROBLEM = "application/problem+json"


@pytest.fixture
def token(app, users):
    with app.app_context():
        made = accounts.create_token(db.session, "ed")
        db.session.commit()
    return made


@pytest.fixture
def small_limit(app):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    return 4096


def test_oversized_forms_get_413(client, users, small_limit):
    client.login("rita")
    for url in ("/articles/new/paste", "/articles/new/url", "/login", "/review/bulk"):
        response = client.post(url, data={"text": "x" * (small_limit * 2), "title": "Big"})
        assert response.status_code == 413, url
        assert "text/html" in response.content_type, url
    response = client.post("/articles/new/upload", content_type="multipart/form-data",
                           data={"file": (BytesIO(b"a" * small_limit * 2), "big.txt")})
    assert response.status_code == 413


def test_oversized_json_gets_a_413_problem(client, token, small_limit):
    body = json.dumps({"text": "x" * small_limit * 2, "title": "Big"})
    response = client.post("/api/v1/articles", data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 413 and response.mimetype == PROBLEM


def test_the_default_limit_is_in_force(app):
    assert 0 < app.config["MAX_CONTENT_LENGTH"] <= 64 * 1024 * 1024


BAD_ARTICLES = [
    ("{not json", "application/json"),
    ("", "application/json"),
    ("[1, 2]", "application/json"),
    ('"text"', "application/json"),
    ("null", "application/json"),
    ('{"text": 5}', "application/json"),
    ('{"text": ["a", "b"], "title": {"x": 1}}', "application/json"),
    ('{"text": "ok words here", "published_at": 20261002}', "application/json"),
    ('{"url": 12}', "application/json"),
    ('{"text": "\\u0000\\u0000"}', "application/json"),
    ("text=hello", "application/x-www-form-urlencoded"),
    ('{"text": "a"}', "text/plain"),
]


def test_bad_article_bodies_are_problems(client, token):
    # One test over the table: each case needs the same (slow to hash) accounts.
    for body, content_type in BAD_ARTICLES:
        response = client.post("/api/v1/articles", data=body, content_type=content_type,
                               headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (400, 415, 422), (body, response.get_data(as_text=True))
        assert response.mimetype == PROBLEM, body
        assert response.get_json()["status"] == response.status_code, body


BAD_PATCHES = [
    "{broken",
    "[]",
    "7",
    '{"verdict": 5}',
    '{"verdict": "<script>x</script>"}',
    '{"status": ["published"]}',
    '{"public_note": {"a": 1}}',
    '{"version": "one"}',
    '{"version": 1e309}',
    '{"rating": true}',
]


def test_bad_quote_patches_are_problems(client, app, users, token):
    with app.app_context():
        quote_id = seed(db.session)["quote_id"]
        db.session.commit()
    for body in BAD_PATCHES:
        response = client.patch(f"/api/v1/quotes/{quote_id}", data=body, content_type="application/json",
                                headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (400, 409, 422), (body, response.get_data(as_text=True))
        assert response.mimetype == PROBLEM, body


def test_a_script_url_is_refused_on_the_paste_form(client, users):
    client.login("rita")
    response = client.submit("/articles/new/paste", {
        "title": "Links", "url": "javascript://example.com/%0Awindow.__pwned=1",
        "text": "“We will open the bridge in the spring,” said Maria Lopez.\n\nMore words."},
        form_page="/articles/new")
    assert response.status_code == 400
    assert "We will open the bridge" in response.get_data(as_text=True)  # nothing typed is lost


def test_nul_characters_are_a_400_not_a_database_error(client, users):
    assert client.get("/search", query_string={"q": "a\x00b"}).status_code == 400
    client.login("rita")
    response = client.submit("/articles/new/paste", {"title": "Nul\x00", "text": "Words\x00here."},
                             form_page="/articles/new")
    assert response.status_code == 400
