"""GET /api/v1/quotes (search, filters, pages) and /api/v1/speakers."""

from __future__ import annotations

import pytest

from factcheck.db import db
from factcheck.models import ReviewStatus, Speaker, SpeakerAlias, Verdict
from factcheck.services import accounts
from tests.web import reader_data as data


@pytest.fixture
def desk_token(app, users):
    with app.app_context():
        token = accounts.create_token(db.session, "rita")
        db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def corpus(session):
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    brennick = data.speaker(session, "Tomas Brennick")
    halvorsen.aliases.append(SpeakerAlias(alias="the mayor", key="mayor"))
    article = data.article(session, data.BRIDGE_TEXT)
    made = {
        "patching": data.quote(session, article, "We cannot keep patching a structure", by=halvorsen,
                               verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED),
        "safety": data.quote(session, article, "Nobody is against safety", by=brennick,
                             verdict=Verdict.MISQUOTED, status=ReviewStatus.IN_PROGRESS),
        "voted": data.quote(session, article, "but the council voted blind", by=brennick),
        "corrosion": data.quote(session, article, "The corrosion is real"),
    }
    found = {name: quote.id for name, quote in made.items()} | {"halvorsen": halvorsen.id, "brennick": brennick.id}
    session.commit()   # after reading the ids: a read now would hold SQLite's lock against other writers
    return found


def ids(response) -> list[int]:
    return [item["id"] for item in response.get_json()["items"]]


@pytest.mark.parametrize("query, expected", [
    ("q=patching", ["patching"]),
    ("q=brennick&sort=oldest", ["safety", "voted"]),
    ("speaker=halvorsen", ["patching"]),
    ("verdict=misquoted", ["patching"]),                      # readers: published verdicts only
    ("verdict=unverified&sort=oldest", ["safety", "voted", "corrosion"]),
    ("q=zeppelin", []),
])
def test_quotes_as_reader(client, corpus, query, expected):
    response = client.get(f"/api/v1/quotes?{query}")
    assert response.status_code == 200
    assert ids(response) == [corpus[name] for name in expected]


def test_quotes_as_desk(client, corpus, desk_token):
    response = client.get("/api/v1/quotes?verdict=misquoted&sort=oldest", headers=desk_token)
    assert ids(response) == [corpus["patching"], corpus["safety"]]
    assert response.get_json()["items"][1]["status"] == "in_progress"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_quotes_pages_and_links(client, corpus):
    response = client.get("/api/v1/quotes?sort=oldest&per_page=3&page=1")
    body = response.get_json()
    assert (body["total"], body["pages"], body["page"], body["per_page"]) == (4, 2, 1, 3)
    assert len(body["items"]) == 3 and body["total_capped"] is False
    links = body["links"]
    assert links["next"] == "http://localhost/api/v1/quotes?sort=oldest&per_page=3&page=2"
    assert "prev" not in links and links["last"].endswith("page=2")
    assert '<http://localhost/api/v1/quotes?sort=oldest&per_page=3&page=2>; rel="next"' in response.headers["Link"]
    second = client.get(links["next"]).get_json()
    assert [item["id"] for item in second["items"]] == [corpus["corrosion"]]
    assert second["links"]["prev"].endswith("page=1") and "next" not in second["links"]
    assert client.get("/api/v1/quotes?page=9").get_json()["items"] == []


@pytest.mark.parametrize("query, names", [
    ("page=0", {"page"}),
    ("page=two&per_page=500", {"page", "per_page"}),
    ("verdict=great", {"verdict"}),
    ("sort=random", {"sort"}),
    ("from=yesterday", {"from"}),
    ("from=2026-03-01&to=2026-01-01", {"from"}),
    ("q=" + "x" * 501, {"q"}),
])
def test_bad_parameters(client, corpus, query, names):
    response = client.get(f"/api/v1/quotes?{query}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert set(response.get_json()["errors"]) == names


def test_a_bad_token_is_not_anonymity(client, corpus):
    for url in ("/api/v1/quotes", "/api/v1/speakers", f"/api/v1/speakers/{corpus['brennick']}"):
        assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401


@pytest.mark.parametrize("query, expected", [
    ("", ["brennick", "halvorsen"]),                 # most quoted first
    ("q=ingrid", ["halvorsen"]),
    ("q=MAYOR", ["halvorsen"]),                      # an alias
    ("q=tomas+brennick", ["brennick"]),
    ("q=nobody", []),
])
def test_speakers(client, corpus, query, expected):
    body = client.get(f"/api/v1/speakers?{query}").get_json()
    assert [item["id"] for item in body["items"]] == [corpus[name] for name in expected]
    if expected:
        assert body["items"][0]["quotes"] >= 1 and body["items"][0]["url"].startswith("http://localhost/speakers/")


def test_speaker(client, corpus, desk_token, session):
    response = client.get(f"/api/v1/speakers/{corpus['brennick']}")
    body = response.get_json()
    assert body["name"] == "Tomas Brennick" and body["quote_count"] == 2
    assert body["verdicts"] == {"unverified": 2}                 # the in-progress verdict stays hidden
    assert body["links"]["quotes"] == f"http://localhost/api/v1/quotes?speaker={corpus['brennick']}&sort=newest"
    assert client.get(body["links"]["quotes"]).get_json()["total"] == 2
    desk = client.get(f"/api/v1/speakers/{corpus['brennick']}", headers=desk_token).get_json()
    assert desk["verdicts"] == {"unverified": 1, "misquoted": 1}
    halvorsen = client.get(f"/api/v1/speakers/{corpus['halvorsen']}").get_json()
    assert halvorsen["aliases"] == ["the mayor"]

    merged = data.speaker(session, "T. Brennick")
    session.get(Speaker, merged.id).merged_into_id = corpus["brennick"]
    session.commit()
    response = client.get(f"/api/v1/speakers/{merged.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/api/v1/speakers/{corpus['brennick']}")
    missing = client.get("/api/v1/speakers/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
