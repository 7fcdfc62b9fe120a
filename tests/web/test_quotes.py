"""The quote page, its ClaimReview, the embeddable card and oEmbed."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from factcheck.models import MatchRelation, QuoteMatch, ReviewStatus, Verdict
from tests.web import reader_data as data

JSON_LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)


@pytest.fixture
def story(session):
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    brennick = data.speaker(session, "Tomas Brennick")
    first = data.article(session, data.BRIDGE_TEXT, url="https://courier.example/bridge")
    later = data.article(
        session,
        "Halvorsen repeated herself.\n\n\"We cannot keep patching a structure that carries forty thousand cars "
        "a day,\" she said.\n\nBrennick later claimed: \"We cannot keep patching a structure that carries "
        "fifty thousand cars a day.\"",
        title="Bridge, again", outlet="The Herald", published_at=datetime(2026, 11, 1, tzinfo=timezone.utc))
    words = "We cannot keep patching a structure that carries forty thousand cars a day"
    quote = data.quote(session, first, words, by=halvorsen, role="Mayor of Riverside", verdict=Verdict.MISQUOTED,
                       status=ReviewStatus.CORRECTED, rating="false", note="She said *thirty* thousand.",
                       as_written="Mayor Ingrid Halvorsen")
    data.evidence(session, quote, "https://council.example/minutes", "Council minutes", "The recording says thirty.")
    repeat = data.quote(session, later, words, by=halvorsen)
    variant = data.quote(session, later, "We cannot keep patching a structure that carries fifty thousand cars "
                         "a day", by=brennick, verdict=Verdict.MISATTRIBUTED, status=ReviewStatus.IN_PROGRESS)
    draft = data.quote(session, first, "The corrosion is real", verdict=Verdict.ACCURATE,
                       status=ReviewStatus.AWAITING_SIGNOFF, note="Draft: checked with the engineer")
    session.add_all([
        QuoteMatch(quote_id=repeat.id, earlier_id=quote.id, relation=MatchRelation.REPEAT, score=100.0),
        QuoteMatch(quote_id=variant.id, earlier_id=quote.id, relation=MatchRelation.VARIANT, score=93.0),
        QuoteMatch(quote_id=variant.id, earlier_id=repeat.id, relation=MatchRelation.VARIANT, score=93.0,
                   misattribution=True),
    ])
    found = {"quote": quote.id, "repeat": repeat.id, "variant": variant.id, "draft": draft.id,
             "halvorsen": halvorsen.id, "first": first.id, "later": later.id}
    session.commit()
    return found


def test_quote_page_shows_what_readers_need(client, story):
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    main = body[body.index("<main"):]
    assert "“We cannot keep patching a structure that carries forty thousand cars a day”" in main
    assert '<a href="/speakers/%d">Ingrid Halvorsen</a>, <span class="role">Mayor of Riverside</span>' % story["halvorsen"] in main
    assert "named the speaker as “Mayor Ingrid Halvorsen”" in main
    assert '<span class="verdict verdict-misquoted">Misquoted</span>' in main
    assert "<strong>Rating:</strong> False" in main
    assert "She said <em>thirty</em> thousand." in main
    assert 'href="https://council.example/minutes"' in main and "The recording says thirty." in main
    assert "Verdict published" in main and "Verdict corrected" in main              # public history
    assert f'href="/articles/{story["first"]}#q{story["quote"]}"' in main            # where it appeared
    assert "Also in" in main and "Bridge, again" in main                            # and where it was repeated


def test_related_quotes_with_word_diff(client, story):
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    related = body[body.index('id="related-heading"'):]
    assert "Variants" in related and "Repeats" in related
    assert f'href="/quotes/{story["variant"]}"' in related and f'href="/quotes/{story["repeat"]}"' in related
    pytest.importorskip("factcheck.matching")
    assert '<del class=" diff-number"><span class="visually-hidden">was: </span>forty</del>' in related
    assert '<ins class=" diff-number"><span class="visually-hidden">now: </span>fifty</ins>' in related
    assert "number changed" in related
    # From the later quote's side: the same words credited to someone else.
    body = client.get(f"/quotes/{story['variant']}").get_data(as_text=True)
    assert "Possible misattributions" in body


def test_unpublished_verdicts_stay_with_the_desk(client, users, story):
    body = client.get(f"/quotes/{story['draft']}").get_data(as_text=True)
    assert "verdict-unverified" in body and "verdict-accurate" not in body
    assert "Draft: checked" not in body and "application/ld+json" not in body
    assert "has not published a verdict" in body
    client.login("rita")
    body = client.get(f"/quotes/{story['draft']}").get_data(as_text=True)
    assert "Desk view." in body and "draft verdict Accurate" in body
    assert "application/ld+json" not in body


def test_claim_review(client, story, app):
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    (raw,) = JSON_LD.findall(body)
    review = json.loads(raw)
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"http://localhost/quotes/{story['quote']}",
        "claimReviewed": "We cannot keep patching a structure that carries forty thousand cars a day",
        "datePublished": "2026-10-02",
        "author": {"@type": "Organization", "name": app.config["ORGANIZATION_NAME"],
                   "url": app.config["ORGANIZATION_URL"]},
        # rated "false" on the desk's scale (RATING_SCALE: true 5 ... false 1, unverifiable 0)
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 0,
                         "alternateName": "False (quote: misquoted)"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Ingrid Halvorsen", "jobTitle": "Mayor of Riverside"},
            "datePublished": "2026-10-02",
            "appearance": {"@type": "CreativeWork", "url": "https://courier.example/bridge",
                           "headline": "Harbour Bridge vote",
                           "publisher": {"@type": "Organization", "name": "The Courier"}},
        },
    }


def test_claim_review_without_a_rating_uses_the_verdict(client, story, session):
    from factcheck.models import Quote

    quote = session.get(Quote, story["quote"])
    quote.rating = None
    session.commit()
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    (raw,) = JSON_LD.findall(body)
    assert json.loads(raw)["reviewRating"] == {
        "@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "Misquoted"}


def test_rating_shown_by_its_label(client, story):
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    assert "<strong>Rating:</strong> False</p>" in body


def test_claim_review_cannot_break_out_of_its_script(client, session):
    article = data.article(session, 'She said "</script><script>alert(1)</script>" today.')
    quote = data.quote(session, article, "</script><script>alert(1)</script>", verdict=Verdict.ACCURATE,
                       status=ReviewStatus.PUBLISHED)
    session.commit()
    body = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    (raw,) = JSON_LD.findall(body)
    assert json.loads(raw)["claimReviewed"] == "</script><script>alert(1)</script>"
    assert "<script>alert" not in body


def test_missing_quote(client):
    assert client.get("/quotes/424242").status_code == 404


def test_embed_card_may_be_framed_anywhere(client, story):
    response = client.get(f"/quotes/{story['quote']}/embed")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "script-src" not in csp and "default-src 'none'" in csp
    assert "X-Frame-Options" not in response.headers
    body = response.get_data(as_text=True)
    assert "Misquoted" in body and "Full verdict and evidence" in body and "<script" not in body
    # The normal pages stay unframeable.
    assert "frame-ancestors 'self'" in client.get(f"/quotes/{story['quote']}").headers["Content-Security-Policy"]


def test_embed_card_of_an_unpublished_verdict(client, story):
    body = client.get(f"/quotes/{story['draft']}/embed").get_data(as_text=True)
    assert "Unverified" in body and "Not yet checked" in body and "Draft" not in body


@pytest.mark.parametrize("query, status", [
    ("url=http://localhost/quotes/{quote}", 200),
    ("url=https://factcheck.example/quotes/{quote}&maxwidth=300", 200),
    ("url=http://localhost/quotes/{quote}/embed&format=json", 200),
    ("url=http://localhost/quotes/{draft}", 404),
    ("url=http://localhost/articles/{first}", 404),
    ("url=javascript:alert(1)", 404),
    ("url=", 404),
    ("url=http://localhost/quotes/{quote}&format=xml", 501),
])
def test_oembed(client, story, query, status):
    response = client.get("/oembed?" + query.format(**story))
    assert response.status_code == status
    if status != 200:
        assert response.mimetype == "application/problem+json"
        return
    body = response.get_json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert f'src="http://localhost/quotes/{story["quote"]}/embed"' in body["html"]
    assert body["width"] == (300 if "maxwidth" in query else 480) and body["height"] == 260
    assert body["author_name"] == "Ingrid Halvorsen"


def test_quote_page_advertises_oembed_and_feed(client, story):
    body = client.get(f"/quotes/{story['quote']}").get_data(as_text=True)
    assert 'type="application/json+oembed"' in body
    assert f'href="/feeds/speakers/{story["halvorsen"]}.atom"' in body
