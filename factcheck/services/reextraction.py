"""Running the extractor again over a stored article, without undoing the desk's work.

A quote an editor decided on (confirmed, corrected, unattributed, not a quote)
keeps its speaker and state: the editor's word stands over any extractor. Other
quotes take the extractor's new answer in place (same id, history and verdict);
quotes it no longer finds are removed only when nobody has worked on them; new
ones are added and matched like at ingestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from ..extraction import ExtractedQuote, extract_quotes
from ..models import (
    Article,
    AttributionState,
    Evidence,
    Quote,
    QuoteMatch,
    QuoteSegment,
    ReviewEvent,
    ReviewStatus,
    Verdict,
)
from . import matching
from .ingestion import extracted_values

# Columns the extractor decides; an editor's decision freezes the speaker among them.
_EXTRACTOR_COLUMNS = ("text", "end", "speaker_as_written", "speaker_start", "speaker_end", "role",
                      "title", "cue", "kind", "confidence", "resolution")


@dataclass(frozen=True, slots=True)
class ReextractResult:
    """What re-extracting one article did (counts of quotes)."""

    article_id: int
    added: int = 0
    updated: int = 0        # the extractor's answer changed on a quote nobody decided
    unchanged: int = 0
    kept_decided: int = 0   # an editor decided: speaker and state untouched
    kept_reviewed: int = 0  # no longer found, but the desk worked on it: kept
    removed: int = 0


def reextract_article(session: Session, article: Article) -> ReextractResult:
    """Run the current extractor over ``article`` and bring its stored quotes up to date."""
    found = extract_quotes(article.text)
    stored = list(session.scalars(
        select(Quote).where(Quote.article_id == article.id)
        .options(selectinload(Quote.segments), selectinload(Quote.speaker))
    ))
    worked_on = _worked_on(session, [quote.id for quote in stored])
    by_start = {quote.start: quote for quote in stored}
    decided = [q for q in stored if q.attribution is not AttributionState.UNCHECKED]
    counts = dict(added=0, updated=0, unchanged=0, kept_decided=len(decided), kept_reviewed=0,
                  removed=0)

    matched = {by_start[e.start].id for e in found if e.start in by_start}
    gone = [q for q in stored if q.id not in matched and q.attribution is AttributionState.UNCHECKED]
    removable = [q for q in gone if q.id not in worked_on]
    counts["kept_reviewed"] = len(gone) - len(removable)
    kept = [q for q in stored if q not in removable]
    updates: list[tuple[Quote, ExtractedQuote]] = []
    additions: list[ExtractedQuote] = []
    for extracted in found:
        same = by_start.get(extracted.start)
        if same is not None:
            if same.attribution is AttributionState.UNCHECKED:
                updates.append((same, extracted))
        elif not any(_overlaps(extracted, quote) for quote in kept):
            additions.append(extracted)
        # else: it overlaps a kept quote that starts elsewhere; the stored one stays

    if removable:
        matching.unindex_quotes(session, removable)
        ids = [q.id for q in removable]
        session.execute(delete(QuoteMatch).where(
            or_(QuoteMatch.quote_id.in_(ids), QuoteMatch.earlier_id.in_(ids))))
        for quote in removable:
            session.delete(quote)
        session.flush()
        counts["removed"] = len(removable)

    reworded: list[Quote] = []
    respoken: list[int] = []
    for quote, extracted in updates:
        values = extracted_values(session, extracted, article)
        segments = [(s, e) for s, e in extracted.segments]
        changed = [name for name in _EXTRACTOR_COLUMNS if _value(getattr(quote, name)) != _value(values[name])]
        speaker_changed = values["speaker"] is not quote.speaker
        if [(s.start, s.end) for s in quote.segments] != segments:
            changed.append("segments")
        if not changed and not speaker_changed:
            counts["unchanged"] += 1
            continue
        if "text" in changed:
            matching.unindex_quotes(session, [quote])  # by its old words
            reworded.append(quote)
        elif speaker_changed:
            respoken.append(quote.id)
        for name in _EXTRACTOR_COLUMNS:
            setattr(quote, name, values[name])
        quote.speaker = values["speaker"]
        if "segments" in changed:
            quote.segments = [QuoteSegment(start=s, end=e) for s, e in segments]
        counts["updated"] += 1
    session.flush()

    if reworded:
        ids = [q.id for q in reworded]
        session.execute(delete(QuoteMatch).where(
            or_(QuoteMatch.quote_id.in_(ids), QuoteMatch.earlier_id.in_(ids))))
        matching.index_quotes(session, reworded)
        session.flush()
        matching.rematch_quotes(session, ids)
    if respoken:
        matching.refresh_misattribution(session, respoken)

    new_quotes = []
    for extracted in additions:
        quote = Quote(article=article, **extracted_values(session, extracted, article),
                      segments=[QuoteSegment(start=s, end=e) for s, e in extracted.segments])
        session.add(quote)
        new_quotes.append(quote)
    session.flush()
    matching.match_new_quotes(session, new_quotes)
    counts["added"] = len(new_quotes)
    session.expire(article, ["quotes"])
    return ReextractResult(article.id, **counts)


def article_ids(session: Session, wanted: Iterable[int] = ()) -> list[int]:
    """The ids to re-extract: those asked for that exist, or every article, oldest first."""
    query = select(Article.id).order_by(Article.id)
    wanted = list(wanted)
    if wanted:
        query = query.where(Article.id.in_(wanted))
    return list(session.scalars(query))


def _worked_on(session: Session, quote_ids: list[int]) -> set[int]:
    """Quotes with any desk work: history, evidence, a verdict, a status, an assignee."""
    if not quote_ids:
        return set()
    has_history = exists().where(ReviewEvent.quote_id == Quote.id)
    has_evidence = exists().where(Evidence.quote_id == Quote.id)
    return set(session.scalars(select(Quote.id).where(
        Quote.id.in_(quote_ids),
        or_(has_history, has_evidence, Quote.verdict != Verdict.UNVERIFIED,
            Quote.status != ReviewStatus.NEW, Quote.assignee_id.is_not(None), Quote.flagged.is_(True)),
    )))


def _overlaps(extracted: ExtractedQuote, quote: Quote) -> bool:
    return extracted.start < quote.end and quote.start < extracted.end


def _value(value):
    return getattr(value, "value", value)
