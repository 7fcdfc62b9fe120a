"""Articles, speakers and quotes written straight to the database, for the reader-facing tests.

The extractor is tested on its own; these tests need exact, known quotes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from factcheck.models import (
    Article, ArticleSource, Evidence, Quote, QuoteSegment, ReviewEvent, ReviewStatus, Speaker, Verdict,
)
from factcheck.names import name_key

DAY = datetime(2026, 10, 2, 9, 0, tzinfo=timezone.utc)


def article(session, text: str, *, title: str = "Harbour Bridge vote", outlet: str | None = "The Courier",
            url: str | None = None, published_at: datetime | None = DAY) -> Article:
    found = Article(title=title, text=text, outlet=outlet, url=url, published_at=published_at,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(), source=ArticleSource.PASTE)
    session.add(found)
    session.flush()
    return found


def speaker(session, name: str) -> Speaker:
    found = Speaker(name=name, key=name_key(name))
    session.add(found)
    session.flush()
    return found


def quote(session, in_article: Article, words: str, *, by: Speaker | None = None, role: str | None = None,
          verdict: Verdict = Verdict.UNVERIFIED, status: ReviewStatus = ReviewStatus.NEW,
          note: str = "", published_at: datetime | None = None, rating: str | None = None,
          as_written: str | None = None) -> Quote:
    """A quote of ``words``, which must appear in the article text (its one segment)."""
    start = in_article.text.index(words)
    end = start + len(words)
    if status.is_public and published_at is None:
        published_at = DAY
    found = Quote(article=in_article, speaker=by, text=words, start=start, end=end, role=role,
                  speaker_as_written=as_written or (by.name if by else None), cue="said",
                  verdict=verdict, status=status, public_note=note, published_at=published_at,
                  rating=rating, confidence=0.9, resolution="direct",
                  segments=[QuoteSegment(start=start, end=end)])
    session.add(found)
    session.flush()
    if status.is_public:
        session.add(ReviewEvent(quote=found, field="status", from_value="awaiting_signoff",
                                to_value=ReviewStatus.PUBLISHED.value, created_at=published_at))
        if status is ReviewStatus.CORRECTED:
            session.add(ReviewEvent(quote=found, field="status", from_value="published",
                                    to_value=status.value, created_at=published_at.replace(day=published_at.day + 1)))
    session.flush()
    return found


def evidence(session, for_quote: Quote, url: str, title: str, shows: str = "") -> Evidence:
    found = Evidence(quote=for_quote, url=url, title=title, shows=shows, accessed_on="2026-10-03")
    session.add(found)
    session.flush()
    return found


BRIDGE_TEXT = (
    "The council voted on Tuesday to fund repairs to the Harbour Bridge.\n\n"
    "\"We cannot keep patching a structure that carries forty thousand cars a day,\" said Mayor "
    "Ingrid Halvorsen.\n\n"
    "Councillor Tomas Brennick said: \"Nobody is against safety, but the council voted blind.\"\n\n"
    "\"The corrosion is real,\" an engineer said."
)
