"""POST /api/v1/articles (ingestion by token) and GET /api/v1/articles/<id>."""

from __future__ import annotations

import pytest

from factcheck.db import db
from factcheck.models import Article, ArticleSource, ReviewStatus, Verdict
from factcheck.services import accounts
from tests.httpserver import ARTICLE_HTML, html
from tests.web import reader_data as data

TEXT = (
    "Council Approves Harbour Bridge Repairs\n\n"
    "The city council voted on Tuesday to fund emergency repairs to the Harbour Bridge.\n\n"
    "\"We cannot keep patching a structure that carries forty thousand cars a day,\" said Mayor Ingrid "
    "Halvorsen, who has pushed for the repairs since the spring.\n\n"
    "\"Nobody is against safety,\" Councillor Tomas Brennick said."
)


@pytest.fixture
def tokens(app, users):
    with app.app_context():
        made = {name: accounts.create_token(db.session, name) for name in ("rita", "ed")}
        db.session.commit()
    return made


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_ingest_text_then_the_duplicate(client, tokens):
    body = {"text": TEXT, "title": "Bridge repairs", "outlet": "The Courier", "published_at": "2026-10-02",
            "url": "https://courier.example/bridge?utm_source=x"}
    response = client.post("/api/v1/articles", json=body, headers=auth(tokens["rita"]))
    assert response.status_code == 201, response.get_json()
    article = response.get_json()
    assert response.headers["Location"] == f"http://localhost/api/v1/articles/{article['id']}"
    assert article["title"] == "Bridge repairs" and article["outlet"] == "The Courier"
    assert article["published_at"] == "2026-10-02T12:00:00Z" and article["source"] == "api"
    assert article["quotes"], "the extractor found no quote"
    words = [quote["text"] for quote in article["quotes"]]
    assert any("patching a structure" in text for text in words)
    for quote in article["quotes"]:
        start, end = quote["segments"][0]
        assert article["text"][start:end] in quote["text"]
        assert "internal_note" in quote                      # a token holder sees the desk's state

    again = client.post("/api/v1/articles", json=body, headers=auth(tokens["ed"]))
    assert again.status_code == 200
    assert again.get_json()["id"] == article["id"] and "Location" not in again.headers


def test_ingest_html_and_url(client, tokens, http_server):
    response = client.post("/api/v1/articles", json={"html": ARTICLE_HTML}, headers=auth(tokens["rita"]))
    assert response.status_code == 201
    assert response.get_json()["title"] == "Harbour Bridge Vote"
    assert response.get_json()["outlet"] == "The Test Courier"

    http_server.routes["/story"] = html(ARTICLE_HTML.replace("Harbour Bridge Vote", "Bridge Vote, Fetched")
                                        .replace("forty thousand", "fifty thousand"))
    response = client.post("/api/v1/articles", json={"url": http_server.url("/story"), "outlet": "Given"},
                           headers=auth(tokens["rita"]))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["url"] == http_server.url("/story")
    assert response.get_json()["outlet"] == "Given"


@pytest.mark.parametrize("body, status, field", [
    ({}, 422, "text"),
    ({"text": "a", "html": "<p>b</p>"}, 422, "html"),
    ({"text": 42}, 422, "text"),
    ({"text": TEXT, "colour": "red"}, 422, "colour"),
    ({"text": TEXT, "published_at": "last tuesday"}, 422, "published_at"),
    ({"text": TEXT, "title": "x" * 501}, 422, "title"),
    ({"url": "ftp://example.org/file"}, 422, "url"),
    ({"url": "http://10.0.0.1/internal"}, 422, "url"),           # never fetched: not a public address
    ({"text": "   \n\n  "}, 422, "text"),
    ([1, 2], 400, None),
    ("plain words", 400, None),
])
def test_bad_input_is_a_problem(client, tokens, session, body, status, field):
    response = client.post("/api/v1/articles", json=body, headers=auth(tokens["rita"]))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"]
    if field:
        assert field in problem["errors"], problem
    assert session.query(Article).count() == 0


def test_not_json_at_all(client, tokens):
    response = client.post("/api/v1/articles", data="text=hello", headers=auth(tokens["rita"]),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": "Bearer fct_not-a-real-token"}, 401),
    ({"Authorization": "Basic cml0YTpwYXNz"}, 401),
])
def test_ingest_needs_a_token(client, users, headers, status):
    response = client.post("/api/v1/articles", json={"text": TEXT}, headers=headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_disabled_users_tokens_stop_working(client, app, users):
    with app.app_context():
        token = accounts.create_token(db.session, "dan")
        db.session.commit()
    assert client.post("/api/v1/articles", json={"text": TEXT}, headers=auth(token)).status_code == 401


@pytest.fixture
def stored(session):
    article = data.article(session, data.BRIDGE_TEXT, url="https://courier.example/a")
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    published = data.quote(session, article, "We cannot keep patching a structure", by=halvorsen,
                           verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED, note="Thirty, not forty.")
    draft = data.quote(session, article, "The corrosion is real", verdict=Verdict.ACCURATE,
                       status=ReviewStatus.AWAITING_SIGNOFF, note="Draft")
    found = article.id, published.id, draft.id
    session.commit()
    return found


def test_get_article_as_reader_and_as_desk(client, tokens, stored):
    article_id, published_id, draft_id = stored
    response = client.get(f"/api/v1/articles/{article_id}")
    assert response.status_code == 200 and "Authorization" in response.vary
    quotes = {quote["id"]: quote for quote in response.get_json()["quotes"]}
    assert quotes[published_id]["verdict"] == "misquoted"
    assert quotes[published_id]["public_note"] == "Thirty, not forty."
    assert quotes[draft_id]["verdict"] == "unverified" and quotes[draft_id]["public_note"] is None
    assert "internal_note" not in quotes[draft_id]

    response = client.get(f"/api/v1/articles/{article_id}", headers=auth(tokens["rita"]))
    quotes = {quote["id"]: quote for quote in response.get_json()["quotes"]}
    assert quotes[draft_id]["verdict"] == "accurate" and quotes[draft_id]["status"] == "awaiting_signoff"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_get_article_errors(client, stored):
    response = client.get("/api/v1/articles/999999")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    response = client.get(f"/api/v1/articles/{stored[0]}", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_source_is_api(client, tokens, session):
    client.post("/api/v1/articles", json={"text": TEXT}, headers=auth(tokens["rita"]))
    assert session.query(Article).one().source is ArticleSource.API
