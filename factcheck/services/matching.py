"""Relations between a new quote and earlier ones.

This first version records exact repeats only (the same words after case and
spacing are folded); the fuzzy engine in ``factcheck.matching`` replaces it.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import MatchRelation, Quote, QuoteMatch


def match_new_quotes(session: Session, quotes: list[Quote]) -> list[QuoteMatch]:
    found = []
    for quote in quotes:
        earlier = session.scalars(
            select(Quote).where(
                func.lower(Quote.text) == quote.text.lower(),
                Quote.id != quote.id,
                Quote.article_id != quote.article_id,
            )
        ).all()
        for other in earlier:
            match = QuoteMatch(
                quote_id=quote.id,
                earlier_id=other.id,
                relation=MatchRelation.REPEAT,
                score=100.0,
                misattribution=(other.speaker_id != quote.speaker_id and len(quote.text.split()) >= 6),
            )
            session.add(match)
            found.append(match)
    session.flush()
    return found
