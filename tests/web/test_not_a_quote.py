"""Words editors judged not a quote: readers never see them, the desk does (marked), and
another decision in the attribution check brings them back everywhere."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from factcheck.db import db
from factcheck.models import AttributionState, MatchRelation, Quote, QuoteMatch, ReviewStatus, User, Verdict
from factcheck.services import accounts
from factcheck.services.attribution import CheckAction, decide
from factcheck.services.claimreview import Organization, claim_review
from tests.conftest import FormClient
from tests.web import reader_data as data

# Made up for these tests: the headline's quoted words are the mayor's, shortened, and the
# extractor credited them to the councillor named further down.
TEXT = (
    "Mayor: \"patching a structure\" cannot go on\n\n"
    "\"We cannot keep patching a structure that carries forty thousand cars a day,\" said Mayor "
    "Ingrid Halvorsen.\n\n"
    "Councillor Tomas Brennick called the repair plan \"a bold vision\" and voted against it."
)


@pytest.fixture
def scene(app, users):
    with app.app_context():
        session = db.session
        halvorsen, brennick = data.speaker(session, "Ingrid Halvorsen"), data.speaker(session, "Tomas Brennick")
        article = data.article(session, TEXT, title="Bridge repairs")
        mayor = data.quote(session, article,
                           "We cannot keep patching a structure that carries forty thousand cars a day",
                           by=halvorsen, verdict=Verdict.ACCURATE, status=ReviewStatus.PUBLISHED)
        headline = data.quote(session, article, "patching a structure", by=brennick,
                              verdict=Verdict.MISATTRIBUTED, status=ReviewStatus.PUBLISHED)
        data.quote(session, article, "a bold vision", by=brennick)
        session.add(QuoteMatch(quote=headline, earlier=mayor, relation=MatchRelation.FRAGMENT, score=88.0,
                               misattribution=True))
        token = accounts.create_token(session, "rita")
        session.commit()
        return {"article": article.id, "mayor": mayor.id, "headline": headline.id, "brennick": brennick.id,
                "halvorsen": halvorsen.id, "token": token}


def judge(app, quote_id: int, action: CheckAction, **choice) -> None:
    """An editor's decision in the attribution check, committed."""
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        editor = db.session.scalars(select(User).where(User.username == "ed")).one()
        decide(db.session, quote, editor, action, version=quote.version, **choice)
        db.session.commit()


def links_to(quote_id: int):
    """Does an HTML or Atom page link to the quote's page (relative or absolute)?"""
    pattern = re.compile(rf'/quotes/{quote_id}"')
    return lambda response, scene: (response.status_code == 200
                                    and bool(pattern.search(response.get_data(as_text=True))))


def html_has(key: str, marker: str):
    return lambda response, scene: (response.status_code == 200
                                    and marker.format(id=scene[key]) in response.get_data(as_text=True))


def json_ids(listed: str, key: str):
    """Is the headline among ``body[listed][...][key]`` of a JSON answer?"""
    return lambda response, scene: (response.status_code == 200
                                    and scene["headline"] in [item[key] for item in response.get_json()[listed]])


def answers(response, scene) -> bool:
    return response.status_code == 200

# (where, address, seen?, does the desk see it once judged not a quote?)
PLACES = [
    ("article page: mark", "/articles/{article}", html_has("headline", 'id="q{id}"'), True),
    ("article page: list", "/articles/{article}", html_has("headline", 'id="qn{id}"'), True),
    ("article list: count", "/articles", html_has("headline", "3 quotes"), True),
    ("quotes list", "/quotes", None, True),
    ("quote page", "/quotes/{headline}", answers, True),
    ("quote page: ClaimReview", "/quotes/{headline}", html_has("headline", "application/ld+json"), False),
    ("embed card", "/quotes/{headline}/embed", answers, False),
    ("oEmbed", "/oembed?url=http://localhost/quotes/{headline}", answers, False),
    ("related quotes", "/quotes/{mayor}", None, True),
    ("search: words", "/search?q=patching", None, True),
    ("search: words, newest", "/search?q=patching&sort=newest", None, True),
    ("search: everything", "/search?sort=newest", None, True),
    ("search: verdict", "/search?verdict=misattributed", None, True),
    ("feed", "/feeds/verdicts.atom", None, False),
    ("API: quote", "/api/v1/quotes/{headline}", answers, True),
    ("API: matches", "/api/v1/quotes/{mayor}", json_ids("matches", "quote_id"), True),
    ("API: search", "/api/v1/quotes?q=patching", json_ids("items", "id"), True),
    ("API: search, no words", "/api/v1/quotes?sort=oldest", json_ids("items", "id"), True),
    ("API: article", "/api/v1/articles/{article}", json_ids("quotes", "id"), True),
]


@pytest.mark.parametrize("where, address, seen, desk_sees", PLACES, ids=[row[0] for row in PLACES])
def test_readers_never_see_it_the_desk_does_and_a_new_decision_brings_it_back(
        app, client, scene, where, address, seen, desk_sees):
    seen = seen or links_to(scene["headline"])
    url = address.format(**scene)
    api = url.startswith("/api/")
    reader = app.test_client()
    client.login("rita")

    def desk_get():
        return reader.get(url, headers={"Authorization": f"Bearer {scene['token']}"}) if api else client.get(url)

    assert seen(reader.get(url), scene), "readers see it before the decision"
    judge(app, scene["headline"], CheckAction.NOT_A_QUOTE)
    hidden = reader.get(url)
    assert not seen(hidden, scene)
    if seen is answers:
        assert hidden.status_code == 404
    assert seen(desk_get(), scene) is desk_sees
    judge(app, scene["headline"], CheckAction.PICK, speaker_id=scene["halvorsen"])
    assert seen(reader.get(url), scene), "back for readers after the decision changed"


def test_the_desk_sees_it_marked_and_readers_see_plain_words(app, client, scene):
    judge(app, scene["headline"], CheckAction.NOT_A_QUOTE)
    headline = scene["headline"]
    page = app.test_client().get(f"/articles/{scene['article']}").get_data(as_text=True)
    assert "Mayor: &#34;patching a structure&#34; cannot go on" in page   # the words stay, unmarked
    assert "2 quotes marked" in page and "not a quote" not in page
    client.login("rita")
    desk_page = client.get(f"/articles/{scene['article']}").get_data(as_text=True)
    assert f'class="q q-not-a-quote" id="q{headline}"' in desk_page
    assert "2 quotes marked · 1 judged not a quote" in desk_page
    entry = desk_page[desk_page.index(f'id="qn{headline}"'):]
    assert 'class="tag not-a-quote"' in entry[:entry.index("</li>")]
    quote_page = client.get(f"/quotes/{headline}").get_data(as_text=True)
    assert 'id="not-a-quote"' in quote_page and "readers do not see this page" in quote_page
    assert "Share this verdict" not in quote_page and "oembed" not in quote_page
    assert "An editor can change the decision" in quote_page       # rita is a reviewer
    for listing in ("/quotes", "/search?q=patching", f"/quotes/{scene['mayor']}"):
        body = client.get(listing).get_data(as_text=True)
        row = body[body.index(f'href="/quotes/{headline}"'):]
        assert 'class="tag not-a-quote"' in row[:row.index("</li>")], listing
    editor = FormClient(app.test_client())
    editor.login("ed")
    assert f'href="/check/quotes/{headline}"' in editor.get(f"/quotes/{headline}").get_data(as_text=True)
    assert editor.get(f"/quotes/{headline}/embed").status_code == 404   # framed elsewhere: readers' view
    api = app.test_client().get(f"/api/v1/quotes/{headline}",
                                headers={"Authorization": f"Bearer {scene['token']}"}).get_json()
    assert api["attribution"] == AttributionState.NOT_A_QUOTE.value


@pytest.mark.parametrize("address, seen", [
    ("/speakers/{brennick}", None),
    ("/speakers", lambda response, scene: "Tomas Brennick</a></td><td>person</td><td>2</td>"
     in response.get_data(as_text=True)),
    ("/feeds/speakers/{brennick}.atom", None),
    ("/api/v1/speakers/{brennick}", lambda response, scene: response.get_json()["quote_count"] == 2),
    ("/api/v1/speakers", lambda response, scene: [item["quotes"] for item in response.get_json()["items"]
                                                  if item["id"] == scene["brennick"]] == [2]),
    ("/api/v1/speakers?q=brennick", lambda response, scene: response.get_json()["items"][0]["quotes"] == 2),
])
def test_speaker_pages_and_counts_leave_it_out_for_everyone(app, client, scene, address, seen):
    """The decision takes the speaker off, so no speaker page holds it, for the desk either; it comes
    back under whoever the editor credits it to."""
    seen = seen or links_to(scene["headline"])
    url = address.format(**scene)
    reader = app.test_client()
    assert seen(reader.get(url), scene)
    judge(app, scene["headline"], CheckAction.NOT_A_QUOTE)
    assert not seen(reader.get(url), scene)
    client.login("ed")
    assert not seen(client.get(url), scene)
    judge(app, scene["headline"], CheckAction.PICK, speaker_id=scene["brennick"])
    assert seen(reader.get(url), scene)


def test_the_page_cache_shows_the_decision_at_once(app, client, scene):
    """Decided through the check's form, as an editor does: the next anonymous read is fresh."""
    url = f"/articles/{scene['article']}"
    mark = f'id="q{scene["headline"]}"'
    reader = app.test_client()
    reader.get(url)
    kept = reader.get(url)
    assert kept.headers["X-Page-Cache"] == "hit" and mark in kept.get_data(as_text=True)
    client.login("ed")
    with app.app_context():
        version = db.session.get(Quote, scene["headline"]).version
    response = client.submit(f"/check/quotes/{scene['headline']}", {"version": version, "action": "not_a_quote"},
                             form_page="/check")
    assert response.status_code == 302
    after = reader.get(url)
    assert after.headers["X-Page-Cache"] == "miss" and mark not in after.get_data(as_text=True)


def test_claim_review_is_none_for_words_that_are_not_a_quote(app, scene):
    with app.app_context():
        quote = db.session.get(Quote, scene["headline"])
        made = claim_review(quote, url="https://example.org/q", article_url="https://example.org/a",
                            organization=Organization("Desk", "https://example.org"))
        assert made is not None and json.dumps(made)
        quote.attribution = AttributionState.NOT_A_QUOTE
        assert claim_review(quote, url="https://example.org/q", article_url="https://example.org/a",
                            organization=Organization("Desk", "https://example.org")) is None


def test_search_check_and_rebuild_know_hidden_quotes(app, runner, scene):
    judge(app, scene["headline"], CheckAction.NOT_A_QUOTE)
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "1 hidden from readers" in result.output
    with app.app_context():
        table = "quote_search_filters" if db.engine.dialect.name == "sqlite" else "quote_search"
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"UPDATE {table} SET public_verdict = 'accurate' "
                                       f"WHERE quote_id = {scene['headline']}")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "search rebuild" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
