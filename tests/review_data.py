"""Quotes written straight to the database for the review desk's tests.

The extractor and the matcher are tested on their own; these tests need exact,
known quotes, matches and dates.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from factcheck.models import (
    Article,
    ArticleSource,
    MatchRelation,
    Quote,
    QuoteMatch,
    QuoteSegment,
    ReviewStatus,
    Speaker,
    User,
    Verdict,
)
from factcheck.names import name_key
from factcheck.services.review import DeskRules

DAY = datetime(2026, 10, 2, 9, 0, tzinfo=timezone.utc)
RULES = DeskRules.from_config({
    "RATING_SCALE": [("true", "True", 5), ("mostly_true", "Mostly true", 4), ("false", "False", 1)],
    "REQUIRE_SECOND_EDITOR": True,
})
_articles = itertools.count(1)


def user(session, name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def speaker(session, name: str) -> Speaker:
    found = session.scalars(select(Speaker).where(Speaker.key == name_key(name))).first()
    if found is None:
        found = Speaker(name=name, key=name_key(name))
        session.add(found)
        session.flush()
    return found


def quote(session, words: str, *, by: str | None = "Ingrid Halvorsen", outlet: str = "The Courier",
          published_at: datetime | None = DAY, status: ReviewStatus = ReviewStatus.NEW,
          verdict: Verdict = Verdict.UNVERIFIED, author: User | None = None,
          title: str | None = None) -> Quote:
    """A quote of ``words`` alone in its own article (one article per quote)."""
    text = f"Report {next(_articles)} from the council.\n\n\"{words}\" said {by or 'someone'}."
    article = Article(title=title or f"On {words[:30]}", text=text, outlet=outlet,
                      published_at=published_at, source=ArticleSource.PASTE,
                      content_hash=hashlib.sha256(text.encode()).hexdigest())
    start = text.index(words)
    found = Quote(article=article, speaker=speaker(session, by) if by else None, text=words,
                  start=start, end=start + len(words), cue="said", confidence=0.9,
                  resolution="direct", status=status, verdict=verdict,
                  verdict_author_id=author.id if author else None,
                  published_at=DAY if status.is_public else None,
                  segments=[QuoteSegment(start=start, end=start + len(words))])
    session.add(found)
    session.flush()
    return found


def match(session, newer: Quote, earlier: Quote, *, relation: MatchRelation = MatchRelation.REPEAT,
          misattribution: bool = False) -> QuoteMatch:
    found = QuoteMatch(quote_id=newer.id, earlier_id=earlier.id, relation=relation, score=97.0,
                       misattribution=misattribution)
    session.add(found)
    session.flush()
    return found


def days_ago(days: int) -> datetime:
    return DAY - timedelta(days=days)
