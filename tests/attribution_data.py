"""Articles and quotes written straight to the database for the attribution check's tests.

The quotes carry the confidence, resolution and speaker phrase the tests need,
so the check list's rules are tested apart from the extractor (whose answers
improve while this runs).
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from factcheck.models import (
    Article,
    ArticleSource,
    Quote,
    QuoteMatch,
    MatchRelation,
    QuoteSegment,
    Speaker,
    SpeakerKind,
    User,
)
from factcheck.names import name_key

# Written for these tests. Paragraph 2 holds the quote "a fantasy" by a surname,
# paragraph 3 a pronoun, and Harbourmaster Rita Solberg is named but never quoted.
FERRY = """Ferry Timetable Splits the Harbour Board

"The ferry will run every twenty minutes from March," said Transport Minister Selma Arvidsson on Monday.

Opposition spokesman Piet Lindqvist said the timetable was "a fantasy" and asked who would crew the extra boats. Van der Berg, a board member, agreed with Lindqvist.

"We have heard this promise three winters running," he said, standing beside Harbourmaster Rita Solberg.

The board meets again in a fortnight."""


def user(session, name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def speaker(session, name: str, *, kind: SpeakerKind = SpeakerKind.PERSON,
            article: Article | None = None) -> Speaker:
    key = name_key(name)
    found = session.scalars(select(Speaker).where(
        Speaker.key == key, Speaker.article_id == (article.id if article else None))).first()
    if found is None:
        found = Speaker(name=name, key=key, kind=kind, article_id=article.id if article else None)
        session.add(found)
        session.flush()
    return found


def article(session, text: str = FERRY, *, title: str = "Ferry timetable") -> Article:
    row = Article(title=title, text=text, source=ArticleSource.PASTE,
                  content_hash=hashlib.sha256(text.encode()).hexdigest())
    session.add(row)
    session.flush()
    return row


def quote(session, article_: Article, words: str, *, by: str | Speaker | None = None,
          written: str | None = None, confidence: float = 0.96, resolution: str = "direct",
          nth: int = 0) -> Quote:
    """A quote of ``words`` (the ``nth`` time they occur) credited to ``by``.

    ``written`` is the speaker phrase as it stands in the text: its span is its
    first whole-word occurrence after the quote, else from the quote's paragraph on.
    """
    text = article_.text
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    end = start + len(words)
    record = by if isinstance(by, Speaker) or by is None else speaker(session, by)
    span = None
    if written:
        pattern = re.compile(rf"\b{re.escape(written)}\b")
        found = pattern.search(text, end) or pattern.search(text, text.rfind("\n", 0, start) + 1)
        span = found.span() if found else None
    row = Quote(article=article_, speaker=record, text=words, start=start, end=end,
                speaker_as_written=written, speaker_start=span[0] if span else None,
                speaker_end=span[1] if span else None, confidence=confidence,
                resolution=resolution, segments=[QuoteSegment(start=start, end=end)])
    session.add(row)
    session.flush()
    return row


def misattribution(session, newer: Quote, earlier: Quote) -> QuoteMatch:
    match = QuoteMatch(quote_id=newer.id, earlier_id=earlier.id, relation=MatchRelation.REPEAT,
                       score=100.0, misattribution=True)
    session.add(match)
    session.flush()
    return match


def ferry(session) -> dict[str, Quote]:
    """The FERRY article with its three quotes, as the extractor would store them."""
    row = article(session)
    return {
        "minister": quote(session, row, "The ferry will run every twenty minutes from March,",
                          by="Selma Arvidsson", written="Transport Minister Selma Arvidsson"),
        "fantasy": quote(session, row, "a fantasy", by="Piet Lindqvist", written="Opposition spokesman Piet Lindqvist",
                         confidence=0.86),
        "winters": quote(session, row, "We have heard this promise three winters running,",
                         by="Piet Lindqvist", written="he", confidence=0.7, resolution="pronoun"),
    }
