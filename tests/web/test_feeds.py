"""Atom feeds of newly published verdicts: all, and per speaker."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from factcheck.models import ReviewStatus, Speaker, Verdict
from tests.web import reader_data as data

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def verdicts(session):
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    brennick = data.speaker(session, "Tomas Brennick")
    article = data.article(session, data.BRIDGE_TEXT)
    day = datetime(2026, 10, 5, 12, tzinfo=timezone.utc)
    made = {
        "old": data.quote(session, article, "The corrosion is real", by=brennick, verdict=Verdict.ACCURATE,
                          status=ReviewStatus.PUBLISHED, published_at=day - timedelta(days=2)),
        "new": data.quote(session, article, "We cannot keep patching a structure", by=halvorsen,
                          verdict=Verdict.MISQUOTED, status=ReviewStatus.CORRECTED, published_at=day,
                          note="Said *thirty* & not forty <b>thousand</b>."),
        "draft": data.quote(session, article, "Nobody is against safety", by=halvorsen,
                            verdict=Verdict.ACCURATE, status=ReviewStatus.AWAITING_SIGNOFF),
    }
    found = {name: quote.id for name, quote in made.items()} | {"halvorsen": halvorsen.id, "brennick": brennick.id}
    session.commit()
    return found


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.get_data())
    return feed, feed.findall(f"{ATOM}entry")


def test_all_published_verdicts_newest_first(client, verdicts):
    feed, items = entries(client, "/feeds/verdicts.atom")
    assert feed.findtext(f"{ATOM}title").startswith("Newly published verdicts")
    ids = [item.findtext(f"{ATOM}id") for item in items]
    assert ids == [f"http://localhost/quotes/{verdicts['new']}", f"http://localhost/quotes/{verdicts['old']}"]
    newest = items[0]
    assert newest.findtext(f"{ATOM}title").startswith("Misquoted: “We cannot keep patching")
    assert newest.findtext(f"{ATOM}published") == "2026-10-05T12:00:00+00:00"
    # Corrected a day after it was published (reader_data records both moments).
    assert newest.findtext(f"{ATOM}updated") == "2026-10-06T12:00:00+00:00"
    assert feed.findtext(f"{ATOM}updated") == "2026-10-06T12:00:00+00:00"
    assert {c.get("term") for c in newest.findall(f"{ATOM}category")} == {"misquoted", "corrected"}
    content = newest.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "<em>thirty</em> &amp; not forty &lt;b&gt;thousand&lt;/b&gt;" in content.text
    assert newest.find(f"{ATOM}link").get("href") == f"http://localhost/quotes/{verdicts['new']}"


def test_per_speaker(client, session, verdicts):
    _, items = entries(client, f"/feeds/speakers/{verdicts['halvorsen']}.atom")
    assert [item.findtext(f"{ATOM}id") for item in items] == [f"http://localhost/quotes/{verdicts['new']}"]
    _, items = entries(client, f"/feeds/speakers/{verdicts['brennick']}.atom")
    assert len(items) == 1
    merged = data.speaker(session, "T. Brennick")
    session.get(Speaker, merged.id).merged_into_id = verdicts["brennick"]
    session.commit()
    response = client.get(f"/feeds/speakers/{merged.id}.atom")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/feeds/speakers/{verdicts['brennick']}.atom")
    assert client.get("/feeds/speakers/987654.atom").status_code == 404


def test_empty_feed_is_still_valid(client):
    feed, items = entries(client, "/feeds/verdicts.atom")
    assert items == [] and feed.findtext(f"{ATOM}updated")


def test_pages_advertise_the_feed(client, verdicts):
    assert 'type="application/atom+xml"' in client.get("/search").get_data(as_text=True)
