"""Taking in an article: every path (paste, URL, upload, API, CLI) ends here.

The article, its quotes and their speakers are written in one savepoint: a
failure anywhere leaves nothing behind, and a duplicate (same canonical URL or
same text) returns the article already stored. Bulk ingestion hands over many
articles at once (``ingest_articles``): the same work, set-based, one savepoint
for the batch; a single article is a batch of one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Sequence

from sqlalchemy import or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from ..content import EmptyArticle, IngestError, TooManyQuotes
from ..content.clean import (
    canonical_url,
    check_size,
    clean_text,
    content_hash,
    decode_bytes,
    require_text,
    split_title,
)
from ..content.fetch import FetchOptions, fetch
from ..content.html import extract_html
from ..extraction import ExtractedQuote, extract_quotes
from ..models import Article, ArticleSource, Quote, QuoteKind, QuoteSegment
from . import matching
from .speakers import SpeakerLookup, speaker_for_quote

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# The most quotes one article may hold. The busiest news article of the
# evaluation corpus has 71; a text with thousands is stray marks or many
# articles pasted as one, and would keep a web worker busy for a minute.
MAX_QUOTES = 2_000


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """What a caller hands over. Exactly one of ``text`` and ``html`` is set."""

    source: ArticleSource
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    authors: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class IngestResult:
    article: Article
    created: bool


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An article of a batch that was not stored (nothing of it was written), and why."""

    error: Exception

    @property
    def reason(self) -> str:
        if isinstance(self.error, IngestError):
            return str(self.error)
        return f"{self.error.__class__.__name__}: {self.error}"


@dataclass(frozen=True, slots=True)
class _Ready:
    """An input cleaned and checked, with the keys it is deduplicated by."""

    position: int
    data: ArticleInput
    url: str | None
    digest: str
    quotes: list[ExtractedQuote]


def ingest_article(
    session: Session, data: ArticleInput, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Store an article with its quotes and speakers, or find the one already stored.

    Raises an :class:`~factcheck.content.IngestError` subclass for bad input.
    """
    (outcome,) = _ingest(session, [data], max_bytes=max_bytes, one_at_a_time=False)
    return outcome


def ingest_articles(
    session: Session, inputs: Sequence[ArticleInput], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[IngestResult | IngestFailure]:
    """Store many articles as :func:`ingest_article` would one after the other (the
    same records, speakers and matches: each article is matched against the ones
    before it), in a few set-based queries for the whole batch.

    One outcome per input, in order. A bad article is an :class:`IngestFailure` and
    does not stop the others: the batch is written in one savepoint, tried again
    when it collides with another writer, and should it still fail, each article is
    written again in a savepoint of its own.
    """
    return _ingest(session, inputs, max_bytes=max_bytes, one_at_a_time=True)


def _ingest(session: Session, inputs: Sequence[ArticleInput], *, max_bytes: int,
            one_at_a_time: bool) -> list[IngestResult | IngestFailure]:
    """``one_at_a_time``: on an error, fall back to one savepoint per article and
    report failures as outcomes; otherwise the error is raised."""
    outcomes: list[IngestResult | IngestFailure | None] = [None] * len(inputs)
    ready: list[_Ready] = []
    for position, data in enumerate(inputs):
        try:
            data = _prepare(data, max_bytes=max_bytes)
            quotes = _quotes_in(data.text)
        except IngestError as error:
            if not one_at_a_time:
                raise
            outcomes[position] = IngestFailure(error)
            continue
        ready.append(_Ready(position, data, canonical_url(data.url), content_hash(data.text),
                            quotes))
    retries = _RETRIES
    while True:
        try:
            _store_new(session, outcomes, ready)
            return outcomes
        except Exception as error:
            if _conflict(error) and retries:
                retries -= 1  # another writer's transaction was in the way, and has ended
                continue
            if not one_at_a_time:
                raise
            return _one_at_a_time(session, outcomes, ready)


# A batch that collides with another writer's (a deadlock, or the same article or
# alias stored meanwhile) is tried again, from the check for stored articles on.
_RETRIES = 2
_CONCURRENCY_STATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock


def _conflict(error: Exception) -> bool:
    if isinstance(error, IntegrityError):
        return True
    return isinstance(error, DBAPIError) and \
        getattr(error.orig, "sqlstate", None) in _CONCURRENCY_STATES


def _store_new(session: Session, outcomes: list, ready: list[_Ready]) -> None:
    """Store the inputs not stored yet, in one savepoint; an input repeating a stored
    article, or an earlier one of the batch, gets that article."""
    stored = _existing_articles(session, ready)
    fresh: list[_Ready] = []
    first_with: dict[str, _Ready] = {}
    copies: list[tuple[_Ready, _Ready]] = []  # (a later input, the earlier one it repeats)
    for item in ready:
        existing = _lookup(stored, item)
        if existing is not None:
            outcomes[item.position] = IngestResult(existing, False)
            continue
        earlier = _lookup(first_with, item)
        if earlier is not None:
            copies.append((item, earlier))
            continue
        fresh.append(item)
        for key in _keys(item):
            first_with.setdefault(key, item)
    articles = _store(session, fresh)
    for item, article in zip(fresh, articles):
        outcomes[item.position] = IngestResult(article, True)
    for item, earlier in copies:
        outcomes[item.position] = IngestResult(outcomes[earlier.position].article, False)


def _one_at_a_time(session: Session, outcomes: list, ready: list[_Ready]) -> list:
    """The batch failed as a whole: each article on its own, so one bad article
    fails alone (its error is its outcome). An article that collides with another
    writer (a deadlock it lost) is tried again, like a batch."""
    for item in ready:
        if outcomes[item.position] is not None:
            continue
        retries = _RETRIES
        while True:
            try:
                existing = _existing_article(session, item.url, item.digest)
                if existing is None:
                    (article,) = _store(session, [item])
                    outcomes[item.position] = IngestResult(article, True)
                else:
                    outcomes[item.position] = IngestResult(existing, False)
            except IntegrityError as error:  # stored meanwhile by another writer, or a bad row
                existing = _existing_article(session, item.url, item.digest)
                outcomes[item.position] = IngestResult(existing, False) if existing is not None \
                    else IngestFailure(error)
            except Exception as error:  # this article only: kept as its outcome
                if _conflict(error) and retries:
                    retries -= 1
                    continue
                outcomes[item.position] = IngestFailure(error)
            break
    return outcomes


def _store(session: Session, items: Sequence[_Ready]) -> list[Article]:
    """Write new articles with their quotes, speakers and matches in one savepoint:
    a failure anywhere leaves none of them behind."""
    if not items:
        return []
    with session.begin_nested():
        articles = [
            Article(
                title=(item.data.title or "Untitled article")[:500],
                url=item.url,
                outlet=(item.data.outlet or None) and item.data.outlet[:200],
                authors=(item.data.authors or None) and item.data.authors[:500],
                published_at=item.data.published_at,
                fetched_at=item.data.fetched_at,
                text=item.data.text,
                content_hash=item.digest,
                source=item.data.source,
            )
            for item in items
        ]
        session.add_all(articles)
        session.flush()
        store_quotes(session, [(article, item.quotes) for article, item in zip(articles, items)])
    return articles


def ingest_url(
    session: Session, url: str, *, options: FetchOptions, source: ArticleSource = ArticleSource.URL,
    **overrides,
) -> IngestResult:
    """Fetch a page (see :func:`factcheck.content.fetch.fetch`) and ingest it."""
    existing = _existing_article(session, canonical_url(url), None)
    if existing is not None:
        return IngestResult(existing, False)
    page = fetch(url, options)
    text = decode_bytes(page.body, declared=page.charset)
    fetched_at = datetime.now(timezone.utc)
    if page.content_type == "text/plain":
        data = ArticleInput(source=source, text=text, url=page.url, fetched_at=fetched_at)
    else:
        data = ArticleInput(source=source, html=text, url=page.url, fetched_at=fetched_at)
    data = replace(data, **{k: v for k, v in overrides.items() if v})
    return ingest_article(session, data, max_bytes=options.max_bytes)


def store_quotes(session: Session,
                 found: Sequence[tuple[Article, Sequence[ExtractedQuote]]]) -> list[Quote]:
    """Store what the extractor found in each article, matched article by article
    against everything stored before."""
    lookup = SpeakerLookup(session, [quote for _, quotes in found for quote in quotes],
                           new_articles=[article for article, _ in found], settle_later=True)
    stored = []
    for article, quotes in found:
        for extracted in quotes:
            quote = Quote(
                article=article,
                **extracted_values(session, extracted, article, lookup=lookup),
                segments=[QuoteSegment(start=s, end=e) for s, e in extracted.segments],
            )
            session.add(quote)
            stored.append(quote)
    session.flush()
    matching.match_and_index(session, stored)
    lookup.settle(stored)  # last: new names are held against other writers only from here
    return stored


def extracted_values(session: Session, extracted: ExtractedQuote, article: Article, *,
                     lookup: SpeakerLookup | None = None) -> dict[str, Any]:
    """The quote columns the extractor decides (speaker found or created), segments aside.

    Shared by ingestion and re-extraction (``services.reextraction``).
    """
    return dict(
        speaker=speaker_for_quote(session, extracted, article, lookup=lookup),
        text=extracted.text,
        start=extracted.start,
        end=extracted.end,
        speaker_as_written=_cut(extracted.speaker_as_written, 500),
        speaker_start=extracted.speaker_span[0] if extracted.speaker_span else None,
        speaker_end=extracted.speaker_span[1] if extracted.speaker_span else None,
        role=_cut(extracted.role, 500),
        title=_cut(extracted.title, 100),
        cue=_cut(extracted.cue, 100),
        kind=QuoteKind(extracted.kind),
        confidence=extracted.confidence,
        resolution=extracted.resolution,
    )


def _prepare(data: ArticleInput, *, max_bytes: int) -> ArticleInput:
    """Clean and check the input; fill title/date/outlet from the page when missing."""
    if data.html is not None:
        check_size(data.html, max_bytes)
        page = extract_html(data.html, url=data.url)
        data = replace(
            data,
            text=page.text,
            html=None,
            title=data.title or page.title,
            published_at=data.published_at or page.published_at,
            outlet=data.outlet or page.site_name,
            authors=data.authors or page.authors,
        )
    if data.text is None:
        raise EmptyArticle("No article text or HTML was given.")
    check_size(data.text, max_bytes)
    text = require_text(clean_text(data.text))
    title = (data.title or "").strip()
    if not title:
        title, body = split_title(text)
        if title and body.strip():
            text = body
    title = " ".join(title.split())
    return replace(data, text=text, title=title or None)


def _quotes_in(text: str) -> list[ExtractedQuote]:
    """The extractor's quotes, read before anything is written; a text with more
    than ``MAX_QUOTES`` is refused once that many are found."""
    quotes = extract_quotes(text, max_quotes=MAX_QUOTES + 1)
    if len(quotes) > MAX_QUOTES:
        raise TooManyQuotes(
            f"This text holds more than {MAX_QUOTES:,} quotations, far more than any article: "
            "it may be many articles pasted as one, or stray quotation marks. "
            "Nothing was stored; add the articles one by one.")
    return quotes


def _keys(item: _Ready) -> list[str]:
    return [f"url:{item.url}", f"hash:{item.digest}"] if item.url else [f"hash:{item.digest}"]


def _lookup(found: dict, item: _Ready):
    for key in _keys(item):
        if key in found:
            return found[key]
    return None


def _existing_articles(session: Session, ready: Sequence[_Ready]) -> dict[str, Article]:
    """The stored articles a batch repeats, by "url:..." and "hash:..." (one query)."""
    urls = {item.url for item in ready if item.url}
    digests = {item.digest for item in ready}
    if not ready:
        return {}
    condition = Article.content_hash.in_(digests)
    if urls:
        condition = or_(Article.url.in_(urls), condition)
    found: dict[str, Article] = {}
    for article in session.scalars(select(Article).where(condition).order_by(Article.id)):
        if article.url in urls:
            found.setdefault(f"url:{article.url}", article)
        if article.content_hash in digests:
            found.setdefault(f"hash:{article.content_hash}", article)
    return found


def _existing_article(session: Session, url: str | None, digest: str | None) -> Article | None:
    conditions = []
    if url:
        conditions.append(Article.url == url)
    if digest:
        conditions.append(Article.content_hash == digest)
    if not conditions:
        return None
    return session.scalars(select(Article).where(or_(*conditions)).limit(1)).first()


def _cut(value: str | None, length: int) -> str | None:
    return value[:length] if value else value
