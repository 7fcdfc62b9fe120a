"""Taking in an article: every path (paste, URL, upload, API, CLI) ends here.

The article, its quotes and their speakers are written in one savepoint: a
failure anywhere leaves nothing behind, and a duplicate (same canonical URL or
same text) returns the article already stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..content import EmptyArticle
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
from .speakers import speaker_for_quote

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


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


def ingest_article(
    session: Session, data: ArticleInput, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestResult:
    """Store an article with its quotes and speakers, or find the one already stored.

    Raises an :class:`~factcheck.content.IngestError` subclass for bad input.
    """
    data = _prepare(data, max_bytes=max_bytes)
    url = canonical_url(data.url)
    digest = content_hash(data.text)
    existing = _existing_article(session, url, digest)
    if existing is not None:
        return IngestResult(existing, False)
    try:
        with session.begin_nested():
            article = Article(
                title=(data.title or "Untitled article")[:500],
                url=url,
                outlet=(data.outlet or None) and data.outlet[:200],
                authors=(data.authors or None) and data.authors[:500],
                published_at=data.published_at,
                fetched_at=data.fetched_at,
                text=data.text,
                content_hash=digest,
                source=data.source,
            )
            session.add(article)
            session.flush()
            store_quotes(session, article)
    except IntegrityError:
        # Another writer stored the same article between our check and insert.
        existing = _existing_article(session, url, digest)
        if existing is None:
            raise
        return IngestResult(existing, False)
    return IngestResult(article, True)


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


def store_quotes(session: Session, article: Article) -> list[Quote]:
    """Run the extractor over the article text and store what it finds."""
    stored = []
    for extracted in extract_quotes(article.text):
        quote = Quote(
            article=article,
            **extracted_values(session, extracted, article),
            segments=[QuoteSegment(start=s, end=e) for s, e in extracted.segments],
        )
        session.add(quote)
        stored.append(quote)
    session.flush()
    matching.match_new_quotes(session, stored)
    return stored


def extracted_values(session: Session, extracted: ExtractedQuote, article: Article) -> dict[str, Any]:
    """The quote columns the extractor decides (speaker found or created), segments aside.

    Shared by ingestion and re-extraction (``services.reextraction``).
    """
    return dict(
        speaker=speaker_for_quote(session, extracted, article),
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
