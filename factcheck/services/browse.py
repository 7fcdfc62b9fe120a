"""Read-only questions the public pages ask. Named after the question.

Readers never see a quote editors judged not a quote (a headline, a film title, a
scare quote: ``AttributionState.NOT_A_QUOTE``); the desk sees it, marked. Nothing is
deleted: another decision in the attribution check brings it back everywhere.
Such a quote has no speaker (the decision takes it off, see services.attribution),
so speaker pages and speaker counts leave it out for everyone without a condition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import (
    Article, AttributionState, Evidence, MatchRelation, Quote, QuoteKind, QuoteMatch, QuoteSegment, ReviewEvent,
    ReviewStatus, Speaker, SpeakerKind, Verdict,
)
from .name_lookup import name_has_words
from .pagination import Page, paginate


def shown_to_readers(quote=Quote):
    """SQL condition: readers may see ``quote`` (the Quote entity, an alias or its table's columns)."""
    return quote.attribution != AttributionState.NOT_A_QUOTE


def hidden_quote_count(session: Session) -> int:
    """How many quotes readers never see (read from a partial index of those few)."""
    return session.scalar(select(func.count()).select_from(Quote).where(
        Quote.attribution == AttributionState.NOT_A_QUOTE)) or 0


def articles_newest_first(session: Session, *, page: int, per_page: int) -> Page[Article]:
    query = select(Article).order_by(
        func.coalesce(Article.published_at, Article.created_at).desc(), Article.id.desc()
    )
    return paginate(session, query, page=page, per_page=per_page)


def quote_counts_for(session: Session, article_ids: list[int], *, desk: bool) -> dict[int, int]:
    """How many quotes each article has, as this viewer may see them."""
    query = select(Quote.article_id, func.count()).where(Quote.article_id.in_(article_ids))
    if not desk:
        query = query.where(shown_to_readers())
    return dict(session.execute(query.group_by(Quote.article_id)).all())


def article_with_quotes(session: Session, article_id: int) -> Article | None:
    return session.scalars(
        select(Article).where(Article.id == article_id).options(
            selectinload(Article.quotes).selectinload(Quote.segments),
            selectinload(Article.quotes).selectinload(Quote.speaker),
        )
    ).first()


@dataclass(frozen=True, slots=True)
class SpeakerRef:
    id: int
    name: str
    kind: SpeakerKind | None = None


@dataclass(frozen=True, slots=True)
class SegmentView:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuoteView:
    """What the annotated article shows of one quote (read-only; no ORM identity)."""

    id: int
    text: str
    start: int
    role: str | None
    kind: QuoteKind
    verdict: Verdict
    status: ReviewStatus
    rating: str | None
    public_note: str
    speaker: SpeakerRef | None
    segments: tuple[SegmentView, ...]
    is_not_a_quote: bool = False   # only ever True for the desk


@dataclass(frozen=True, slots=True)
class ArticleView:
    id: int
    title: str
    url: str | None
    outlet: str | None
    authors: str | None
    published_at: datetime | None
    text: str
    quotes: tuple[QuoteView, ...]

    @property
    def marked(self) -> tuple[QuoteView, ...]:
        """The quotes shown as quotes (the desk also gets those judged not a quote)."""
        return tuple(quote for quote in self.quotes if not quote.is_not_a_quote)


# Built once: the annotated article is the page readers open most, so its
# queries skip the ORM (entities cost several times the SQL) and statement
# construction. Plain table columns, run on the session's connection.
_articles, _quotes, _segments, _speakers = (
    Article.__table__.c, Quote.__table__.c, QuoteSegment.__table__.c, Speaker.__table__.c)
_ARTICLE_HEAD = select(_articles.title, _articles.url, _articles.outlet, _articles.authors,
                       _articles.published_at, _articles.text).where(_articles.id == bindparam("article_id"))
_ARTICLE_SEGMENTS = (
    select(_segments.quote_id, _segments.start, _segments.end)
    .join(Quote.__table__, _quotes.id == _segments.quote_id)
    .where(_quotes.article_id == bindparam("article_id"))
    .order_by(_segments.quote_id, _segments.start)
)
_ARTICLE_QUOTES = (
    select(_quotes.id, _quotes.text, _quotes.start, _quotes.role, _quotes.kind, _quotes.verdict,
           _quotes.status, _quotes.rating, _quotes.public_note, _quotes.speaker_id,
           _quotes.attribution, _speakers.name.label("speaker_name"))
    .select_from(Quote.__table__.outerjoin(Speaker.__table__, _speakers.id == _quotes.speaker_id))
    .where(_quotes.article_id == bindparam("article_id"))
    .order_by(_quotes.start, _quotes.id)
)


def article_for_page(session: Session, article_id: int, *, desk: bool) -> ArticleView | None:
    """The article with its quotes, segments and speakers' names, as plain values.

    Readers get no quote judged not a quote; the desk gets them with ``is_not_a_quote``.
    """
    connection = session.connection()
    key = {"article_id": article_id}
    head = connection.execute(_ARTICLE_HEAD, key).first()
    if head is None:
        return None
    segments: dict[int, list[SegmentView]] = {}
    for quote_id, start, end in connection.execute(_ARTICLE_SEGMENTS, key):
        segments.setdefault(quote_id, []).append(SegmentView(start, end))
    quotes = tuple(
        QuoteView(row.id, row.text, row.start, row.role, row.kind, row.verdict, row.status, row.rating,
                  row.public_note or "",
                  SpeakerRef(row.speaker_id, row.speaker_name) if row.speaker_id is not None else None,
                  tuple(segments.get(row.id, ())), row.attribution is AttributionState.NOT_A_QUOTE)
        for row in connection.execute(_ARTICLE_QUOTES, key)
        if desk or row.attribution is not AttributionState.NOT_A_QUOTE
    )
    return ArticleView(article_id, head.title, head.url, head.outlet, head.authors, head.published_at,
                       head.text, quotes)


def quotes_newest_first(session: Session, *, desk: bool, page: int, per_page: int) -> Page[Quote]:
    """Every quote this viewer may see, most recently recorded first."""
    query = (
        select(Quote)
        .options(selectinload(Quote.speaker), selectinload(Quote.article))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    )
    if desk:
        return paginate(session, query, page=page, per_page=per_page)
    # All quotes less the few hidden: two index counts, where counting the shown ones scans the table.
    total = (session.scalar(select(func.count()).select_from(Quote)) or 0) - hidden_quote_count(session)
    return paginate(session, query.where(shown_to_readers()), page=page, per_page=per_page, total=total)


def speakers_by_quote_count(session: Session, *, page: int, per_page: int) -> Page:
    """Live speakers with how many quotes each has, most quoted first."""
    count = func.count(Quote.id).label("quote_count")
    query = (
        select(Speaker, count)
        .outerjoin(Quote, Quote.speaker_id == Speaker.id)
        .where(Speaker.merged_into_id.is_(None))
        .group_by(Speaker.id)
        .order_by(count.desc(), Speaker.name)
    )
    page_ = max(1, page)
    total = session.scalar(
        select(func.count()).select_from(Speaker).where(Speaker.merged_into_id.is_(None))
    ) or 0
    rows = session.execute(query.limit(per_page).offset((page_ - 1) * per_page)).all()
    return Page(rows, page_, per_page, total)


# The quote page's statements, built once (building ORM options costs more than
# running them) and run with the quote's id as a parameter.
_MATCHES_EARLIER = (
    select(QuoteMatch).where(QuoteMatch.quote_id == bindparam("quote_id"))
    .options(joinedload(QuoteMatch.earlier).options(joinedload(Quote.speaker),
                                                    joinedload(Quote.article).defer(Article.text)))
    .order_by(QuoteMatch.score.desc())
)
_MATCHES_LATER = (
    select(QuoteMatch).where(QuoteMatch.earlier_id == bindparam("quote_id"))
    .options(joinedload(QuoteMatch.quote).options(joinedload(Quote.speaker),
                                                  joinedload(Quote.article).defer(Article.text)))
    .order_by(QuoteMatch.score.desc())
)


# Most quotes match nothing; asking first skips setting up two eager loads.
_matches = QuoteMatch.__table__.c
_HAS_MATCHES = select(
    exists().where(_matches.quote_id == bindparam("quote_id"))
    | exists().where(_matches.earlier_id == bindparam("quote_id"))
)


def matches_of(session: Session, quote_id: int) -> tuple[list[QuoteMatch], list[QuoteMatch]]:
    """Matches with earlier quotes, and later quotes that matched this one."""
    if not session.connection().execute(_HAS_MATCHES, {"quote_id": quote_id}).scalar():
        return [], []
    return _matches_both_ways(session, quote_id)


def _matches_both_ways(session: Session, quote_id: int) -> tuple[list[QuoteMatch], list[QuoteMatch]]:
    key = {"quote_id": quote_id}
    return list(session.scalars(_MATCHES_EARLIER, key)), list(session.scalars(_MATCHES_LATER, key))


# --- The quote page, related quotes and published verdicts (reader-facing) ---

PUBLIC_STATUSES = tuple(status for status in ReviewStatus if status.is_public)
PUBLIC_STATUS_VALUES = tuple(status.value for status in PUBLIC_STATUSES)
# The relations shown as "variants": the words differ, or one lies inside the other.
VARIANT_RELATIONS = (MatchRelation.VARIANT, MatchRelation.FRAGMENT, MatchRelation.EXTENSION)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """Where a quote was said, without the article's text."""

    id: int
    title: str
    url: str | None
    outlet: str | None
    published_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EvidenceView:
    url: str
    title: str
    archive_url: str | None
    accessed_on: str | None
    shows: str


@dataclass(frozen=True, slots=True)
class QuotePageView:
    """What the quote page and the embeddable card show of one quote (read-only)."""

    id: int
    text: str
    role: str | None
    cue: str | None
    speaker_as_written: str | None
    kind: QuoteKind
    verdict: Verdict
    status: ReviewStatus
    rating: str | None
    public_note: str | None
    published_at: datetime | None
    attribution: AttributionState
    speaker: SpeakerRef | None
    misattributed_to: SpeakerRef | None
    article: ArticleRef
    evidence: tuple[EvidenceView, ...]   # loaded for published verdicts only: shown with them
    has_matches: bool = True   # False: no match either way, so related_quotes reads nothing

    @property
    def is_not_a_quote(self) -> bool:
        return self.attribution is AttributionState.NOT_A_QUOTE


# The quote page is the second most read: one Core query for the quote, its
# speakers and article (not its text) and whether it has any match, a second for
# evidence when it is shown (with PostgreSQL, each query is a round trip).
_misattributed = Speaker.__table__.alias("misattributed")
_evidence = Evidence.__table__.c
_QUOTE_PAGE = (
    select(_quotes.id, _quotes.text, _quotes.role, _quotes.cue, _quotes.speaker_as_written, _quotes.kind,
           _quotes.verdict, _quotes.status, _quotes.rating, _quotes.public_note, _quotes.published_at,
           _quotes.attribution, _quotes.speaker_id, _speakers.name.label("speaker_name"),
           _speakers.kind.label("speaker_kind"), _quotes.misattributed_to_id,
           _misattributed.c.name.label("misattributed_name"), _misattributed.c.kind.label("misattributed_kind"),
           _articles.id.label("article_id"), _articles.title, _articles.url, _articles.outlet,
           _articles.published_at.label("article_published_at"), _articles.created_at.label("article_created_at"),
           _HAS_MATCHES.scalar_subquery().label("has_matches"))
    .select_from(
        Quote.__table__.join(Article.__table__, _articles.id == _quotes.article_id)
        .outerjoin(Speaker.__table__, _speakers.id == _quotes.speaker_id)
        .outerjoin(_misattributed, _misattributed.c.id == _quotes.misattributed_to_id)
    )
    .where(_quotes.id == bindparam("quote_id"))
)
_QUOTE_EVIDENCE = (
    select(_evidence.url, _evidence.title, _evidence.archive_url, _evidence.accessed_on, _evidence.shows)
    .where(_evidence.quote_id == bindparam("quote_id")).order_by(_evidence.id)
)


def quote_for_page(session: Session, quote_id: int, *, desk: bool) -> QuotePageView | None:
    """The quote with its speaker, article and evidence, as plain values; None for a
    reader when it is judged not a quote."""
    connection = session.connection()
    key = {"quote_id": quote_id}
    row = connection.execute(_QUOTE_PAGE, key).first()
    if row is None or (not desk and row.attribution is AttributionState.NOT_A_QUOTE):
        return None
    evidence = ()
    if row.status.is_public:
        evidence = tuple(EvidenceView(*item) for item in connection.execute(_QUOTE_EVIDENCE, key))
    return QuotePageView(
        row.id, row.text, row.role, row.cue, row.speaker_as_written, row.kind, row.verdict, row.status,
        row.rating, row.public_note, row.published_at, row.attribution,
        SpeakerRef(row.speaker_id, row.speaker_name, row.speaker_kind) if row.speaker_id is not None else None,
        SpeakerRef(row.misattributed_to_id, row.misattributed_name, row.misattributed_kind)
        if row.misattributed_to_id is not None else None,
        ArticleRef(row.article_id, row.title, row.url, row.outlet, row.article_published_at,
                   row.article_created_at),
        evidence,
        bool(row.has_matches),
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """A public moment in a quote's review: its verdict published, or corrected."""

    status: ReviewStatus
    at: datetime


_PUBLIC_HISTORY = (
    select(ReviewEvent.to_value, ReviewEvent.created_at).where(
        ReviewEvent.quote_id == bindparam("quote_id"), ReviewEvent.field == "status",
        ReviewEvent.to_value.in_(PUBLIC_STATUS_VALUES),
    ).order_by(ReviewEvent.created_at, ReviewEvent.id)
)


def public_history(session: Session, quote: Quote | QuotePageView) -> list[HistoryEntry]:
    """When the verdict was published and corrected, oldest first; empty while unpublished."""
    if not quote.status.is_public:
        return []
    entries = [HistoryEntry(ReviewStatus(to_value), at)
               for to_value, at in session.execute(_PUBLIC_HISTORY, {"quote_id": quote.id})]
    if not entries and quote.published_at:
        entries.append(HistoryEntry(ReviewStatus.PUBLISHED, quote.published_at))
    return entries


def last_public_change(session: Session, quotes: list[Quote]) -> dict[int, datetime]:
    """Per quote, when its verdict was last published or corrected (for feeds' ``updated``)."""
    found = {quote.id: quote.published_at for quote in quotes if quote.published_at}
    if not quotes:
        return found
    rows = session.execute(
        select(ReviewEvent.quote_id, func.max(ReviewEvent.created_at)).where(
            ReviewEvent.quote_id.in_([quote.id for quote in quotes]), ReviewEvent.field == "status",
            ReviewEvent.to_value.in_(PUBLIC_STATUS_VALUES),
        ).group_by(ReviewEvent.quote_id)
    )
    for quote_id, at in rows:
        if at is not None and (quote_id not in found or at > found[quote_id]):
            found[quote_id] = at
    return found


@dataclass(frozen=True, slots=True)
class RelatedQuote:
    """Another quote matched with this one, and how (``earlier``: it came first)."""

    quote: Quote
    relation: MatchRelation
    score: float
    earlier: bool
    misattribution: bool
    diff: tuple[Any, ...] | None = None   # factcheck.matching DiffOps, earlier -> later


@dataclass(frozen=True, slots=True)
class Related:
    repeats: list[RelatedQuote]
    variants: list[RelatedQuote]
    misattributions: list[RelatedQuote]

    def __bool__(self) -> bool:
        return bool(self.repeats or self.variants or self.misattributions)


def related_quotes(session: Session, quote: Quote | QuotePageView, *, desk: bool) -> Related:
    """Repeats, variants (with their word-level diff) and possible misattributions of ``quote``,
    as this viewer may see them (readers: none judged not a quote)."""
    if not isinstance(quote, QuotePageView):
        earlier, later = matches_of(session, quote.id)
    elif quote.has_matches:  # read with the quote
        earlier, later = _matches_both_ways(session, quote.id)
    else:
        return Related([], [], [])
    items = [RelatedQuote(m.earlier, m.relation, m.score, True, m.misattribution) for m in earlier]
    items += [RelatedQuote(m.quote, m.relation, m.score, False, m.misattribution) for m in later]
    if not desk:
        items = [item for item in items if not item.quote.is_not_a_quote]
    repeats, variants, misattributions = [], [], []
    for item in items:
        if item.misattribution:
            misattributions.append(item)
        elif item.relation in VARIANT_RELATIONS:
            old, new = (item.quote.text, quote.text) if item.earlier else (quote.text, item.quote.text)
            variants.append(replace(item, diff=word_diff_or_none(old, new)))
        else:
            repeats.append(item)
    return Related(repeats, variants, misattributions)


def word_diff_or_none(earlier: str, later: str) -> tuple[Any, ...] | None:
    """The word-level diff from ``factcheck.matching``, or None while that engine is absent."""
    try:
        from ..matching import word_diff
    except ImportError:
        return None
    return tuple(word_diff(earlier, later))


def published_verdicts(session: Session, *, speaker_id: int | None = None, limit: int = 50) -> list[Quote]:
    """Quotes with a published (or corrected) verdict readers may see, most recently published first."""
    query = (
        select(Quote).where(Quote.status.in_(PUBLIC_STATUSES), Quote.published_at.is_not(None),
                            shown_to_readers())
        .options(selectinload(Quote.speaker), selectinload(Quote.article))
        .order_by(Quote.published_at.desc(), Quote.id.desc()).limit(limit)
    )
    if speaker_id is not None:
        query = query.where(Quote.speaker_id == speaker_id)
    return list(session.scalars(query))


def live_speaker(session: Session, speaker_id: int) -> Speaker | None:
    """The speaker, following merges to the record that absorbed it."""
    speaker = session.get(Speaker, speaker_id)
    seen = set()
    while speaker is not None and speaker.merged_into_id and speaker.id not in seen:
        seen.add(speaker.id)
        speaker = session.get(Speaker, speaker.merged_into_id)
    return speaker


def verdict_summary(session: Session, speaker_id: int, *, desk: bool) -> dict[Verdict, int]:
    """How many of the speaker's quotes carry each verdict, as this viewer may see them."""
    query = select(Quote.verdict, Quote.status, func.count()).where(Quote.speaker_id == speaker_id)
    if not desk:
        query = query.where(shown_to_readers())  # none has a speaker today; this keeps it so
    rows = session.execute(query.group_by(Quote.verdict, Quote.status))
    counts: dict[Verdict, int] = {}
    for verdict, status, count in rows:
        shown = verdict if (desk or status.is_public) else Verdict.UNVERIFIED
        counts[shown] = counts.get(shown, 0) + count
    return {verdict: counts[verdict] for verdict in Verdict if counts.get(verdict)}


def speakers_matching(session: Session, text: str, *, page: int, per_page: int) -> Page:
    """Live speakers whose name or an alias contains every word of ``text``, most quoted first."""
    conditions = [Speaker.merged_into_id.is_(None),
                  name_has_words(session, text.lower().split()[:16], aliases=True)]
    page = max(1, page)
    total = session.scalar(select(func.count()).select_from(Speaker).where(*conditions)) or 0
    count = func.count(Quote.id).label("quote_count")
    rows = session.execute(
        select(Speaker, count).outerjoin(Quote, Quote.speaker_id == Speaker.id).where(*conditions)
        .group_by(Speaker.id).order_by(count.desc(), Speaker.name, Speaker.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(rows, page, per_page, total)
