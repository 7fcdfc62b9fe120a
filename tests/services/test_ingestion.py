from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from factcheck.content import ArticleTooLarge, EmptyArticle, TooManyQuotes, UnsupportedContent
from factcheck.content.fetch import FetchOptions
from factcheck.models import Article, ArticleSource, Quote, QuoteSegment, Speaker, SpeakerKind
from factcheck.services import ingestion
from factcheck.services.ingestion import ArticleInput, ingest_article, ingest_articles, ingest_url
from tests.httpserver import ARTICLE_HTML, html

ARTICLE = """Bridge Vote Ends Month of Debate

The council voted on Tuesday to repair the bridge.

"We cannot keep patching this structure," said Mayor Ingrid Halvorsen. "This is the cheapest day to fix it."

A senior engineer at the transport department, speaking on condition of anonymity, said: "The corrosion is real."
"""


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_paste_stores_article_quotes_and_speakers(session):
    result = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=ARTICLE, outlet="Courier"))
    session.commit()
    article = result.article
    assert result.created
    assert article.title == "Bridge Vote Ends Month of Debate"
    assert not article.text.startswith("Bridge Vote")
    assert article.outlet == "Courier"
    quotes = session.scalars(select(Quote).order_by(Quote.start)).all()
    assert quotes, "the extractor found no quote"
    for quote in quotes:
        for segment in quote.segments:
            assert article.text[segment.start:segment.end] in quote.text
    speakers = {q.speaker.name for q in quotes if q.speaker}
    assert "Ingrid Halvorsen" in speakers


def test_anonymous_sources_are_kept_per_article(session):
    first = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=ARTICLE)).article
    second = ingest_article(session, ArticleInput(
        source=ArticleSource.PASTE, text=ARTICLE.replace("Tuesday", "Wednesday"))).article
    session.commit()
    anonymous = session.scalars(select(Speaker).where(Speaker.kind == SpeakerKind.ANONYMOUS)).all()
    if not anonymous:
        pytest.skip("the extractor did not mark the description as anonymous")
    assert {s.article_id for s in anonymous} == {first.id, second.id}
    named = session.scalars(select(Speaker).where(Speaker.name == "Ingrid Halvorsen")).all()
    assert len(named) == 1, "a named speaker is one record across articles"


@pytest.mark.parametrize("variant", [
    ARTICLE,
    ARTICLE.replace("\n", "\r\n"),
    "  " + ARTICLE.replace("  ", " ") + "\n\n",
])
def test_same_text_twice_returns_the_stored_article(session, variant):
    first = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=ARTICLE))
    again = ingest_article(session, ArticleInput(source=ArticleSource.API, text=variant))
    assert first.created and not again.created
    assert again.article.id == first.article.id
    assert count(session, Article) == 1


def test_same_url_twice_returns_the_stored_article(session):
    first = ingest_article(session, ArticleInput(
        source=ArticleSource.PASTE, text=ARTICLE, url="https://News.example/a?utm_source=x"))
    again = ingest_article(session, ArticleInput(
        source=ArticleSource.PASTE, text=ARTICLE + "\nUpdated.", url="https://news.example/a#top"))
    assert not again.created and again.article.id == first.article.id


@pytest.mark.parametrize("data, error", [
    (ArticleInput(source=ArticleSource.PASTE, text=""), EmptyArticle),
    (ArticleInput(source=ArticleSource.PASTE, text="Share.\nLeave A Reply\n"), EmptyArticle),
    (ArticleInput(source=ArticleSource.PASTE, text="x" * 2000), ArticleTooLarge),
    (ArticleInput(source=ArticleSource.PASTE), EmptyArticle),
    (ArticleInput(source=ArticleSource.UPLOAD, html="<html><body><nav>Home</nav></body></html>"), EmptyArticle),
])
def test_bad_input_raises_and_writes_nothing(session, data, error):
    with pytest.raises(error):
        ingest_article(session, data, max_bytes=1000)
    session.rollback()
    assert count(session, Article) == 0 and count(session, Quote) == 0


def quote_lines(n: int) -> str:
    return "".join(f"“Point {k} stands,” said Mayor Ana Ruiz.\n" for k in range(n))


def test_a_text_with_more_quotes_than_any_article_is_refused_whole(session):
    text = quote_lines(ingestion.MAX_QUOTES + 1)
    with pytest.raises(TooManyQuotes, match="more than 2,000 quotations"):
        ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=text, title="Wall"))
    session.rollback()
    assert count(session, Article) == 0 and count(session, Quote) == 0 and count(session, Speaker) == 0


def test_the_quote_cap_lets_exactly_the_cap_through(session, monkeypatch):
    monkeypatch.setattr(ingestion, "MAX_QUOTES", 4)
    result = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=quote_lines(4), title="Four"))
    session.commit()
    assert len(result.article.quotes) == 4
    outcomes = ingest_articles(session, [
        ArticleInput(source=ArticleSource.CLI, text=quote_lines(5), title="Five"),
        ArticleInput(source=ArticleSource.CLI, text=ARTICLE),
    ])
    session.commit()
    assert isinstance(outcomes[0], ingestion.IngestFailure)
    assert isinstance(outcomes[0].error, TooManyQuotes)
    assert outcomes[1].created  # the other article of the batch is stored
    assert session.scalars(select(Article.title).order_by(Article.id)).all() == ["Four", "Bridge Vote Ends Month of Debate"]


@pytest.mark.parametrize("text", [
    'He said "this never closes. And neither does this "one said Ann Lee.\n\n"Odd \u201cmarks\u201d here,\u201d said Bo Ek.',
    "Emoji \U0001F600 \u202e reversed \u0000 nul and \udcff lone surrogate said nobody.",
    "\u201c" * 500 + " words said Kim Day " + "\u201d" * 500,
])
def test_odd_text_is_stored_whole_or_refused_cleanly(session, text):
    try:
        result = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=text, title="Odd"))
    except (EmptyArticle, UnsupportedContent):
        session.rollback()
        assert count(session, Article) == 0
        return
    session.commit()
    article = result.article
    for quote in article.quotes:
        assert 0 <= quote.start < quote.end <= len(article.text)


def test_html_fills_title_date_and_outlet(session):
    result = ingest_article(session, ArticleInput(source=ArticleSource.UPLOAD, html=ARTICLE_HTML))
    article = result.article
    assert article.title.startswith("Harbour Bridge Vote")
    assert article.outlet == "The Test Courier"
    assert article.published_at.date() == datetime(2026, 10, 2, tzinfo=timezone.utc).date()
    assert article.published_at.tzinfo is not None
    assert "cookies" not in article.text and "Leave A Reply" not in article.text
    assert "forty thousand cars" in article.text


def test_url_ingestion_fetches_and_stores(session, http_server):
    http_server.routes["/story"] = html(ARTICLE_HTML)
    options = FetchOptions(allowed_networks=("127.0.0.0/8",), read_timeout=2)
    result = ingest_url(session, http_server.url("/story"), options=options)
    assert result.created
    assert result.article.url == http_server.url("/story")
    assert result.article.source is ArticleSource.URL
    assert result.article.fetched_at is not None
    again = ingest_url(session, http_server.url("/story"), options=options)
    assert not again.created and again.article.id == result.article.id


def test_failure_inside_the_savepoint_leaves_nothing(session, monkeypatch):
    """A crash after the article row is flushed must not leave it behind."""
    from factcheck.services import ingestion

    def explode(session, quotes):
        raise RuntimeError("matching failed")

    monkeypatch.setattr(ingestion.matching, "match_and_index", explode)
    with pytest.raises(RuntimeError):
        ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=ARTICLE))
    session.rollback()
    assert count(session, Article) == 0
    assert count(session, QuoteSegment) == 0
