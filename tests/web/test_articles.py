"""The annotated article: every quote marked where it appears, verdicts by label and colour."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import request, url_for

from factcheck.models import ReviewStatus, Verdict
from factcheck.templating import id_path, path_for, shown_verdict
from tests.web import reader_data as data


@pytest.fixture
def bridge(session):
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    brennick = data.speaker(session, "Tomas Brennick")
    article = data.article(session, data.BRIDGE_TEXT)
    quotes = {
        "published": data.quote(session, article, "We cannot keep patching a structure that carries forty "
                                "thousand cars a day", by=halvorsen, role="mayor", verdict=Verdict.MISQUOTED,
                                status=ReviewStatus.PUBLISHED, note="She said **thirty** thousand. <script>x</script>"),
        "draft": data.quote(session, article, "Nobody is against safety, but the council voted blind",
                            by=brennick, verdict=Verdict.ACCURATE, status=ReviewStatus.AWAITING_SIGNOFF,
                            note="Draft note nobody outside may read"),
        "new": data.quote(session, article, "The corrosion is real"),
    }
    found = article.id, {name: quote.id for name, quote in quotes.items()}
    session.commit()
    return found


def mark_of(body: str, quote_id: int) -> str:
    """The mark and card of one quote in the article text."""
    start = body.rindex('<span class="q-anchor">', 0, body.index(f'id="q{quote_id}"'))
    return body[start:body.index('class="q-card-more"', start)]


def test_every_quote_is_marked_where_it_appears(client, bridge):
    article_id, quotes = bridge
    body = client.get(f"/articles/{article_id}").get_data(as_text=True)
    text = body[body.index('<div class="article-text">'):body.index("</article>")]
    assert text.count('class="q-anchor"') == 3
    # In reading order, inside the paragraph where each one was said.
    positions = [text.index(f'id="q{quotes[name]}"') for name in ("published", "draft", "new")]
    assert positions == sorted(positions)
    assert re.search(r"said Mayor\s+Ingrid Halvorsen", re.sub(r"<[^>]+>", "", text))
    assert "The council voted on Tuesday" in text


@pytest.mark.parametrize("who, name, label, note_shown", [
    (None, "published", "Misquoted", "She said thirty thousand."),
    (None, "draft", "Unverified", "The desk has not published a verdict on this quote yet."),
    (None, "new", "Unverified", "The desk has not published a verdict on this quote yet."),
    ("rita", "draft", "Accurate", "Not published yet (awaiting sign-off)."),
    ("rita", "published", "Misquoted", "She said thirty thousand."),
])
def test_verdict_by_label_and_colour_with_note(client, users, bridge, who, name, label, note_shown):
    article_id, quotes = bridge
    if who:
        client.login(who)
    body = client.get(f"/articles/{article_id}").get_data(as_text=True)
    mark = mark_of(body, quotes[name])
    css = label.lower()
    assert f'class="q q-{css}"' in mark                       # colour
    assert f'<span class="q-chip v-{css}">{label}' in mark     # and a label, inside the link
    assert f'aria-describedby="qc{quotes[name]}"' in mark     # the card describes the mark
    assert f'href="/quotes/{quotes[name]}"' in mark            # Enter opens the quote page
    assert note_shown in mark
    assert "Draft note" not in body or who                     # drafts never reach readers
    assert "<script>x</script>" not in body                    # notes are Markdown, raw HTML off


def test_no_inline_script_or_style(client, bridge):
    article_id, _ = bridge
    response = client.get(f"/articles/{article_id}")
    body = response.get_data(as_text=True)
    assert '<script src="/static/annotate.js" defer></script>' in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert not re.search(r"\son[a-z]+=", body) and " style=" not in body
    with client.get("/static/annotate.js") as script:
        assert script.status_code == 200 and "addEventListener" in script.get_data(as_text=True)


def test_split_quote_pieces_all_marked(client, session):
    article = data.article(session, '"The bridge," she said, "will stay open."', title="Split")
    quote = data.quote(session, article, "The bridge")
    second = article.text.index("will stay open")
    from factcheck.models import QuoteSegment
    quote.segments.append(QuoteSegment(start=second, end=second + len("will stay open")))
    quote.text = "The bridge will stay open"
    session.commit()
    body = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert body.count('class="q-anchor"') == 1                 # one card, one tab stop
    assert f'data-quote="q{quote.id}">will stay open</a>' in body
    assert 'tabindex="-1" data-quote' in body


def test_article_without_quotes_and_missing_article(client, session):
    article = data.article(session, "Nothing quoted here at all.", title="Quiet")
    session.commit()
    assert "No quotes were found" in client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert client.get("/articles/999999").status_code == 404


@pytest.mark.parametrize("endpoint, argument", [
    ("quotes.show", "quote_id"), ("articles.show", "article_id"), ("speakers.show", "speaker_id"),
])
@pytest.mark.parametrize("script_root", ["", "/desk"])
def test_id_path_is_url_for_up_to_the_id(app, endpoint, argument, script_root):
    with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
        assert request.script_root == script_root
        for value in (1, 42, 10**9):
            assert id_path(endpoint) + str(value) == url_for(endpoint, **{argument: value})


def test_kept_paths_follow_the_script_root_of_each_request(app):
    """Both helpers keep what they build: one app mounted under two roots must not mix them."""
    for script_root in ("", "/desk", ""):
        with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
            assert id_path("quotes.show") + "7" == url_for("quotes.show", quote_id=7) == f"{script_root}/quotes/7"
            assert path_for("search.index") == url_for("search.index") == f"{script_root}/search"
            assert path_for("static", filename="style.css") == url_for("static", filename="style.css")


@pytest.mark.parametrize("endpoint", ["feeds.speaker", "speakers.edit", "search.index"])
def test_id_path_refuses_a_path_that_does_not_end_with_one_id(app, endpoint):
    with app.test_request_context("/"), pytest.raises(ValueError):
        id_path(endpoint)


@pytest.mark.parametrize("status, desk, shown", [
    (ReviewStatus.PUBLISHED, False, Verdict.MISQUOTED),
    (ReviewStatus.CORRECTED, False, Verdict.MISQUOTED),
    (ReviewStatus.AWAITING_SIGNOFF, False, Verdict.UNVERIFIED),
    (ReviewStatus.AWAITING_SIGNOFF, True, Verdict.MISQUOTED),
])
def test_shown_verdict_gives_readers_published_verdicts_only(status, desk, shown):
    assert shown_verdict(SimpleNamespace(verdict=Verdict.MISQUOTED, status=status), desk) is shown
