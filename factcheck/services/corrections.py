"""The desk's attribution decisions as evaluation data.

One record per article, in the shape of the evaluation corpus
(``{"id", "text", "quotes": [{"quote", "start", "end", "speaker", ...}]}``), so
the extractor's rules can be scored against the desk's own corrections with
the same scorer. ``speaker`` is the editor's answer: the person confirmed or
corrected to, and null for "unattributed" and "not a quote" (the corpus too
leaves scare quotes and titles without a speaker). ``extractor_speaker`` is
whom the quote was credited to before the desk's first speaker change.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..extraction import extract_quotes
from ..models import Article, AttributionState, Quote, ReviewEvent
from .attribution import ATTRIBUTION_FIELD
from .review import ReviewField

_BATCH = 200
_SPEAKER_FIELD = ReviewField.SPEAKER.value


def decided_article_ids(session: Session) -> list[int]:
    """Articles with at least one editor's attribution decision, oldest first."""
    return list(session.scalars(
        select(Quote.article_id).where(Quote.attribution != AttributionState.UNCHECKED)
        .distinct().order_by(Quote.article_id)
    ))


def correction_records(session: Session, *, with_text: bool = True) -> Iterator[dict[str, Any]]:
    """Every decided quote, grouped by article (the gold side of a scoring run)."""
    ids = decided_article_ids(session)
    for batch in (ids[i:i + _BATCH] for i in range(0, len(ids), _BATCH)):
        quotes = list(session.scalars(
            select(Quote).where(Quote.article_id.in_(batch),
                                Quote.attribution != AttributionState.UNCHECKED)
            .options(selectinload(Quote.speaker), selectinload(Quote.article))
            .order_by(Quote.article_id, Quote.start)
        ))
        events = _events(session, [quote.id for quote in quotes])
        by_article: dict[int, list[Quote]] = defaultdict(list)
        for quote in quotes:
            by_article[quote.article_id].append(quote)
        for article_id in batch:
            article = by_article[article_id][0].article
            record: dict[str, Any] = {"id": str(article.id)}
            if article.url:
                record["url"] = article.url
            if with_text:
                record["text"] = article.text
            record["quotes"] = [_quote_record(quote, events.get(quote.id, []))
                                for quote in by_article[article_id]]
            yield record


def extractor_records(session: Session, article_ids: Iterable[int]) -> Iterator[dict[str, Any]]:
    """The current extractor's answer on these articles (the prediction side)."""
    ids = list(article_ids)
    for batch in (ids[i:i + _BATCH] for i in range(0, len(ids), _BATCH)):
        for article in session.scalars(select(Article).where(Article.id.in_(batch)).order_by(Article.id)):
            yield {"id": str(article.id), "quotes": [
                {"quote": found.text, "speaker": found.speaker or found.speaker_as_written,
                 "start": found.start, "end": found.end}
                for found in extract_quotes(article.text)
            ]}


def _events(session: Session, quote_ids: list[int]) -> dict[int, list[ReviewEvent]]:
    events: dict[int, list[ReviewEvent]] = defaultdict(list)
    if not quote_ids:
        return events
    for event in session.scalars(
        select(ReviewEvent).where(ReviewEvent.quote_id.in_(quote_ids),
                                  ReviewEvent.field.in_((ATTRIBUTION_FIELD, _SPEAKER_FIELD)))
        .options(selectinload(ReviewEvent.user)).order_by(ReviewEvent.id)
    ):
        events[event.quote_id].append(event)
    return events


def _quote_record(quote: Quote, events: list[ReviewEvent]) -> dict[str, Any]:
    decisions = [event for event in events if event.field == ATTRIBUTION_FIELD]
    last = decisions[-1] if decisions else None
    first_move = next((event for event in events if event.field == _SPEAKER_FIELD), None)
    speaker_name = quote.speaker.name if quote.speaker is not None else None
    keeps_speaker = quote.attribution in (AttributionState.CONFIRMED, AttributionState.CORRECTED)
    record: dict[str, Any] = {
        "quote": quote.text,
        "start": quote.start,
        "end": quote.end,
        "speaker": speaker_name if keeps_speaker else None,
        "extractor_speaker": first_move.from_value if first_move is not None else speaker_name,
        "action": quote.attribution.value,
        "editor": last.user.username if last is not None and last.user is not None else None,
        "decided_at": last.created_at.isoformat() if last is not None else None,
    }
    if quote.attribution is AttributionState.CONFIRMED and quote.speaker_start is not None:
        record["speaker_start"], record["speaker_end"] = quote.speaker_start, quote.speaker_end
    return record
