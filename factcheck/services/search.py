"""Finding quotes: full text (words and speaker names) with filters, one function for both databases.

The index is SQLite FTS5 or a PostgreSQL tsvector (see ``factcheck.search_index``);
everything else here is the same SQL on both. Readers see only published verdicts:
for them an unpublished verdict is "Unverified", and the verdict filter agrees.
Readers never find a quote editors judged not a quote (its readers' verdict in the
index is NULL); the desk does.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from operator import itemgetter

from sqlalchemy import Integer, Select, bindparam, column, func, literal_column, select, table
from sqlalchemy.orm import Session, selectinload

from ..db import UTCDateTime
from ..models import Article, AttributionState, Quote, ReviewStatus, Speaker, Verdict
from .browse import SpeakerRef
from .name_lookup import name_has_words
from .pagination import MAX_PER_PAGE, Page

#: Counting stops here: beyond it the page says "1,000+" and offers no deeper pages.
MAX_COUNTED = 1_000
#: "Best match" ranks every match up to this many; beyond, the most recently recorded this many.
RANK_WINDOW = 1_000
MAX_QUERY_LENGTH = 500
MAX_TERMS = 16
#: Speakers a name filter may stand for (a name that fits more is too vague to be a filter).
MAX_SPEAKERS_PER_NAME = 50

_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
#: At most this many matches are sorted by date directly; more walk the date index (see by_date).
FEW = 5_000


class SearchSort(str, enum.Enum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"

    @property
    def label(self) -> str:
        return {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}[self.value]


class BadSearch(ValueError):
    """A search that cannot be run as asked; the message says why (shown beside the field)."""

    def __init__(self, message: str, *, field: str = "q"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Terms:
    """A reader's query, parsed: words, "quoted phrases" and -excluded words."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    @property
    def highlight(self) -> tuple[str, ...]:
        """Every word a result should show marked."""
        return tuple(dict.fromkeys(
            word for part in (*self.words, *self.phrases) for word in _WORD.findall(part)))


def parse_terms(query: str) -> Terms:
    """Split a query the way search boxes do.

    >>> parse_terms('bridge "forty thousand" -tolls')
    Terms(words=('bridge',), phrases=('forty thousand',), excluded=('tolls',))
    """
    if len(query) > MAX_QUERY_LENGTH:
        raise BadSearch(f"Searches are at most {MAX_QUERY_LENGTH} characters long.")
    words: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    for match in _TERM.finditer(query):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        tokens = _WORD.findall(raw)
        if not tokens:
            continue
        if negated:
            excluded.append(" ".join(tokens))
        elif len(tokens) > 1 and match.group(2) is not None:
            phrases.append(" ".join(tokens))
        else:
            # o'brien, forty-two: one term the index splits the same way.
            (phrases if len(tokens) > 1 else words).append(" ".join(tokens))
    if len(words) + len(phrases) + len(excluded) > MAX_TERMS:
        raise BadSearch(f"Use at most {MAX_TERMS} words or phrases.")
    return Terms(tuple(words), tuple(phrases), tuple(excluded))


@dataclass(frozen=True, slots=True)
class QuoteSearch:
    """What to look for. Every field is optional; nothing set lists every quote, newest first."""

    text: str = ""
    speaker: str = ""            # a speaker id, or (part of) a name
    verdict: Verdict | None = None
    outlet: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: SearchSort = SearchSort.RELEVANCE


@dataclass(frozen=True, slots=True)
class SearchHit:
    """What the results page shows of one quote (plain values, no ORM identity)."""

    id: int
    text: str
    role: str | None
    verdict: Verdict
    status: ReviewStatus
    is_not_a_quote: bool          # only ever True for the desk
    speaker: SpeakerRef | None
    article_id: int
    article_title: str
    article_outlet: str | None
    said_at: datetime             # the article's date: published, else recorded


@dataclass(frozen=True, slots=True)
class SearchResults(Page):
    """One page of quotes; ``total`` stops at the count cap (``total_capped`` then says so)."""

    total_capped: bool = False
    terms: Terms = field(default_factory=Terms)
    speakers: tuple[Speaker, ...] = ()
    sort: SearchSort = SearchSort.RELEVANCE


def search_quotes(session: Session, search: QuoteSearch, *, desk: bool, page: int = 1,
                  per_page: int = 25, max_counted: int | None = None) -> SearchResults:
    """Quotes matching ``search``, one page of them, with their speaker and article loaded.

    ``desk`` is True for signed-in desk users, who filter on any verdict; readers
    filter on published verdicts only. Raises :class:`BadSearch` for input that
    cannot be a search (too long, dates the wrong way round).

    Cost stays bounded at any size: results are counted up to ``max_counted``
    (MAX_COUNTED unless given); "best match" ranks every match when there are at
    most RANK_WINDOW, else the RANK_WINDOW most recently recorded ones; date
    order walks the date index when matches are many, and sorts them when few.
    """
    found = _search(session, search, desk=desk, page=page, per_page=per_page, max_counted=max_counted)
    return replace(found, items=_load_quotes(session, found.items))


def search_for_page(session: Session, search: QuoteSearch, *, desk: bool, page: int = 1,
                    per_page: int = 25) -> SearchResults:
    """What :func:`search_quotes` finds, as the results page shows it: :class:`SearchHit` values
    read with one query (entities and their relationships cost more than the search itself)."""
    found = _search(session, search, desk=desk, page=page, per_page=per_page, max_counted=None)
    return replace(found, items=_load_hits(session, found.items))


def _search(session: Session, search: QuoteSearch, *, desk: bool, page: int, per_page: int,
            max_counted: int | None) -> SearchResults:
    """The page of results with the quotes' ids as its items."""
    max_counted = MAX_COUNTED if max_counted is None else max_counted
    terms = parse_terms(search.text.strip())
    if search.date_from and search.date_to and search.date_from > search.date_to:
        raise BadSearch("The start date is after the end date.", field="date_from")
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    sort = search.sort if terms or search.sort is not SearchSort.RELEVANCE else SearchSort.NEWEST
    speakers = speakers_for_filter(session, search.speaker) if search.speaker.strip() else ()
    index = _index_for(session)
    filters = _Filters(search, speakers, desk)

    offset = (page - 1) * per_page
    if sort is SearchSort.RELEVANCE and index.scores_in_one_walk and max_counted <= RANK_WINDOW:
        total, capped, ids = _best_matches(session, index, terms, filters, max_counted=max_counted,
                                           offset=offset, per_page=per_page)
    else:
        total = session.scalar(
            select(func.count()).select_from(index.counted(terms, filters).limit(max_counted + 1).subquery())
        ) or 0
        capped = total > max_counted
        total = min(total, max_counted)
        if offset >= total:
            ids = []
        else:
            if sort is SearchSort.RELEVANCE:
                many = capped or total > RANK_WINDOW
                ordered = index.ranked(terms, filters, window=RANK_WINDOW if many else None)
            else:
                ordered = index.by_date(session, terms, filters, newest=sort is SearchSort.NEWEST,
                                        bound=_bound(session, filters, None if capped else total),
                                        reach=offset + per_page)
            ids = list(session.scalars(ordered.limit(per_page).offset(offset)))
    return SearchResults(items=ids, page=page, per_page=per_page, total=total, total_capped=capped,
                         terms=terms, speakers=tuple(speakers), sort=sort)


def _best_matches(session: Session, index, terms: Terms, filters: _Filters, *, max_counted: int,
                  offset: int, per_page: int) -> tuple[int, bool, list[int]]:
    """(total, capped, the page's ids) for "best match", counted and ranked in one walk.

    The RANK_WINDOW most recently recorded matches (with their scores) are all a count up
    to ``max_counted`` <= RANK_WINDOW and the ranking need: the same figures and order
    as counting, then ranking, in two walks of the matches (which cost twice the time).
    """
    rows = index.recent_scores(session, terms, filters, limit=max(max_counted + 1, RANK_WINDOW))
    counted = min(len(rows), max_counted + 1)
    total = min(counted, max_counted)
    capped = counted > max_counted
    window = rows[:RANK_WINDOW] if capped or total > RANK_WINDOW else rows
    if offset >= total:
        return total, capped, []
    # Best score first (bm25: lowest), then the most recently recorded, as ``ranked`` orders them:
    # the rows come newest first and the sort is stable.
    window.sort(key=itemgetter(1))
    return total, capped, [row[0] for row in window[offset:offset + per_page]]


def _filter_columns(*extra):
    """The columns filters read, as a lightweight table of the index (not an ORM model)."""
    return (column("quote_id"), column("said_at", UTCDateTime()), column("speaker_id"), column("verdict"),
            column("public_verdict"), column("outlet"), *extra)


@dataclass(frozen=True, slots=True)
class _Filters:
    search: QuoteSearch
    speakers: tuple[Speaker, ...]
    desk: bool
    # (read by every statement of a search, so worked out once: see name_words)
    _name_words: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        object.__setattr__(self, "_name_words", _words_in_every_name(self.speakers))

    def apply(self, query: Select, index, *, plain=lambda column: column,
              hidden=lambda column: column) -> Select:
        """Add the filters to a query, as conditions on the index table ``index`` alone.

        ``plain`` wraps the filtered columns; SQLite's ``+column`` keeps the planner off
        their indexes when walking the date index is the better plan. ``hidden`` wraps
        the column of a condition no index should ever serve.
        """
        search, c = self.search, index.c
        if not self.desk and search.verdict is None:
            # Hidden quotes have no readers' verdict. Nearly every quote passes, so no index
            # is worth using for this (``hidden`` keeps SQLite's planner off them).
            query = query.where(hidden(c.public_verdict).is_not(None))
        if self.by_speaker:
            query = query.where(plain(c.speaker_id).in_(self.speaker_ids))
        if search.verdict is not None:
            # The desk filters on the verdict as it stands; readers on the verdict they can see.
            verdict = c.verdict if self.desk else c.public_verdict
            query = query.where(plain(verdict) == search.verdict.value)
        if search.outlet.strip():
            query = query.where(plain(c.outlet) == func.lower(search.outlet.strip()))
        if search.date_from:
            query = query.where(c.said_at >= _day_start(search.date_from))
        if search.date_to:
            query = query.where(c.said_at < _day_start(search.date_to + timedelta(days=1)))
        return query

    @property
    def by_speaker(self) -> bool:
        return bool(self.search.speaker.strip())

    @property
    def speaker_ids(self) -> list[int]:
        return [speaker.id for speaker in self.speakers]

    @property
    def name_words(self) -> tuple[str, ...]:
        """The words in every filtered speaker's name, lower case; () when there are none.

        The full-text index holds each quote's speaker name, so every quote of these
        speakers has these words there: a condition the index checks in its own walk,
        narrowing the matches before the exact check on the speaker.
        """
        return self._name_words

    @property
    def any(self) -> bool:
        """Is a filter set? (Readers' queries read the filters' table all the same: ``needed``.)"""
        search = self.search
        return bool(search.speaker.strip() or search.verdict is not None or search.outlet.strip()
                    or search.date_from or search.date_to)

    @property
    def needed(self) -> bool:
        """Must the query read the filters' table: a filter is set, or readers may not see some quotes."""
        return self.any or not self.desk


class _SQLiteIndex:
    """FTS5 table ``quote_search`` (rowid = quote id) and ``quote_search_filters``."""

    words = table("quote_search", column("rowid"))
    filters = table("quote_search_filters", *_filter_columns())
    # The quote's words weigh more than the speaker's name; with a speaker filter, the
    # name (which every result's speaker has) does not weigh at all.
    _ranks = {False: literal_column("bm25(quote_search, 1.0, 0.5)"),
              True: literal_column("bm25(quote_search, 1.0, 0.0)")}

    def _rank(self, filters: _Filters):
        return self._ranks[filters.by_speaker]

    def _match(self, terms: Terms | None, filters: _Filters):
        """The MATCH condition; ``None``: the FTS5 query comes as the parameter ``match``.

        With a speaker filter, the words every filtered speaker's name has must be in the
        speaker column too: the index finds the few matches that can be theirs, and the
        speaker itself is checked on those alone (see _filtered_words). Those words weigh
        nothing in the ranking (``_rank``).
        """
        if terms is None:
            return literal_column("quote_search").op("MATCH")(bindparam("match"))
        return literal_column("quote_search").op("MATCH")(_fts5(terms, filters.name_words))

    def matching(self, terms: Terms, filters: _Filters, *, walk: bool = False) -> Select:
        """Quote ids matching; ``walk`` leaves the date index as the only way in (see by_date)."""
        index = self.filters
        plain = _unindexed if walk else (lambda column: column)
        query = select(index.c.quote_id).select_from(index)
        if terms:
            query = query.where(plain(index.c.quote_id).in_(
                select(self.words.c.rowid).select_from(self.words).where(self._match(terms, filters))))
        return filters.apply(query, index, plain=plain, hidden=_unindexed)

    def counted(self, terms: Terms, filters: _Filters) -> Select:
        """What the count reads: with words and no filter but the speaker, the FTS5 table,
        which stops at the LIMIT (an IN over it would first collect every match: ms per
        common word at 1M)."""
        if terms and (not filters.any or filters.by_speaker):
            query = select(self.words.c.rowid).select_from(self.words).where(self._match(terms, filters))
            return self._filtered_words(query, filters)
        return self.matching(terms, filters)

    def _filtered_words(self, query: Select, filters: _Filters) -> Select:
        """Filters on a query that walks the matches of the FTS5 table.

        Other filters: each match looked up by key. A speaker filter: when the speakers' names
        share words, the MATCH has already kept only quotes with those words in the speaker
        column (see _match), few enough to look each up. Otherwise the speakers' quote ids,
        read once from the speaker index, are a set each match is checked against before
        any lookup; checking the speaker on the looked-up row instead cost a lookup per
        match (tens of ms for a common word), and letting the planner start from the
        speaker index runs one full-text query per quote of theirs (seconds).
        """
        words, index = self.words, self.filters
        if filters.needed and not filters.any:
            # Readers, nothing else to check: leave out the hidden quotes (judged not a quote:
            # few), their ids read once from the public-verdict index. Looking each match up by
            # key to read its public verdict cost about a quarter of the query.
            hidden = select(index.c.quote_id).where(index.c.public_verdict.is_(None))
            return query.where(_unindexed(words.c.rowid).not_in(hidden))
        if filters.by_speaker and not filters.name_words:
            # Building that set is most of the cost (~0.4 us an id, tens of thousands for a
            # common surname); ids in order are appended, not inserted: about a fifth less.
            speakers = (select(index.c.quote_id).where(index.c.speaker_id.in_(filters.speaker_ids))
                        .order_by(index.c.quote_id))
            query = query.where(_unindexed(words.c.rowid).in_(speakers))
        if filters.needed:
            # With a speaker filter, nothing else may lead either: the filters only check the joined row.
            query = filters.apply(query.join(index, index.c.quote_id == words.c.rowid), index,
                                  plain=_unindexed if filters.by_speaker else lambda column: column,
                                  hidden=_unindexed)
        return query

    #: ``recent_scores`` gives the matches with their score, most recent first (see _best_matches).
    scores_in_one_walk = True

    def __init__(self):
        self._unfiltered_recent: dict[bool, Select] = {}

    def _scored(self, terms: Terms | None, filters: _Filters) -> Select:
        # bm25() only works in the query that holds the MATCH, so this one starts from the words.
        words = self.words
        query = select(words.c.rowid.label("quote_id"), self._rank(filters).label("score")).select_from(words)
        return self._filtered_words(query, filters).where(self._match(terms, filters))

    def recent(self, terms: Terms | None, filters: _Filters) -> Select:
        """(quote_id, score) of the matches, most recently recorded first; the lower score is the better."""
        return self._scored(terms, filters).order_by(self.words.c.rowid.desc())

    def recent_scores(self, session: Session, terms: Terms, filters: _Filters, *, limit: int) -> list:
        """The first ``limit`` rows of :meth:`recent`. Without filters (most searches) the statement
        is built once, for readers and for the desk: building it took a tenth of the request."""
        if filters.any:
            return session.execute(self.recent(terms, filters).limit(limit)).all()
        statement = self._unfiltered_recent.get(filters.needed)
        if statement is None:
            unfiltered = _Filters(QuoteSearch(), (), desk=not filters.needed)
            statement = self.recent(None, unfiltered).limit(bindparam("limit", type_=Integer))
            self._unfiltered_recent[filters.needed] = statement
        return session.execute(statement, {"match": _fts5(terms), "limit": limit}).all()

    def ranked(self, terms: Terms, filters: _Filters, *, window: int | None) -> Select:
        if window is None:
            return self._scored(terms, filters).order_by(self._rank(filters), self.words.c.rowid.desc())
        recent = self.recent(terms, filters).limit(window).subquery("recent")
        return select(recent.c.quote_id).order_by(recent.c.score, recent.c.quote_id.desc())

    def by_date(self, session: Session, terms: Terms, filters: _Filters, *, newest: bool,
                bound: int | None, reach: int) -> Select:
        """Few matches: find them by the best index and sort them. Many: walk the date index in
        order and keep the matching ones until the page is full.

        Walking visits about reach / density rows, sorting about ``bound`` (at most that many
        match; None: too many to count): walk unless bound <= FEW or bound² <= reach × all quotes.
        """
        index = self.filters
        few = bound is not None and (
            bound <= FEW or bound * bound <= reach * (session.scalar(select(func.max(index.c.quote_id))) or 0))
        matching = self.matching(terms, filters, walk=not few)
        said_at = _unindexed(index.c.said_at) if few else index.c.said_at
        if newest:
            return matching.order_by(said_at.desc(), index.c.quote_id.desc())
        return matching.order_by(said_at.asc(), index.c.quote_id.asc())


class _PostgresIndex:
    """Table ``quote_search``: quote id, tsvector document (GIN), and the filters' columns (b-tree)."""

    table = table("quote_search", *_filter_columns(column("document")))
    #: ``recent_scores`` gives the matches with their score, most recent first (see _best_matches):
    #: one walk of the matches where counting and then ranking took two.
    scores_in_one_walk = True

    @staticmethod
    def _tsquery(terms: Terms):
        return func.websearch_to_tsquery(literal_column("'factcheck_english'::regconfig"), _websearch(terms))

    def matching(self, terms: Terms, filters: _Filters) -> Select:
        index = self.table
        query = select(index.c.quote_id).select_from(index)
        if terms:
            query = query.where(index.c.document.op("@@")(self._tsquery(terms)))
        return filters.apply(query, index)

    def counted(self, terms: Terms, filters: _Filters) -> Select:
        return self.matching(terms, filters)

    def recent_scores(self, session: Session, terms: Terms, filters: _Filters, *, limit: int) -> list:
        """(quote_id, score) of the first ``limit`` matches, most recently recorded first; the
        lower score is the better (ts_rank negated, as SQLite's bm25 orders)."""
        index = self.table
        tsquery = self._tsquery(terms)
        # Ranked after the limit: scoring every match before the sort cost more than the walk.
        recent = filters.apply(
            select(index.c.quote_id, index.c.document).select_from(index)
            .where(index.c.document.op("@@")(tsquery)), index,
        ).order_by(index.c.quote_id.desc()).limit(limit).subquery("recent")
        return session.execute(select(
            recent.c.quote_id, (-self._rank(recent.c.document, tsquery, filters)).label("score"),
        ).order_by(recent.c.quote_id.desc())).all()

    def ranked(self, terms: Terms, filters: _Filters, *, window: int | None) -> Select:
        index = self.table
        tsquery = self._tsquery(terms)
        query = filters.apply(
            select(index.c.quote_id, index.c.document).select_from(index)
            .where(index.c.document.op("@@")(tsquery)), index)
        if window is None:
            return query.with_only_columns(index.c.quote_id).order_by(
                self._rank(index.c.document, tsquery, filters).desc(), index.c.quote_id.desc())
        recent = query.order_by(index.c.quote_id.desc()).limit(window).subquery("recent")
        return select(recent.c.quote_id).order_by(
            self._rank(recent.c.document, tsquery, filters).desc(), recent.c.quote_id.desc())

    @staticmethod
    def _rank(document, tsquery, filters: _Filters):
        """ts_rank; as on SQLite, with a speaker filter the speaker's name (weight B) does not weigh."""
        if filters.by_speaker:
            return func.ts_rank(literal_column("'{0, 0, 0, 1}'::float4[]"), document, tsquery)
        return func.ts_rank(document, tsquery)

    def by_date(self, session: Session, terms: Terms, filters: _Filters, *, newest: bool,
                bound: int | None, reach: int) -> Select:
        """Many matches: the planner walks the date index. Few (at most ``bound`` <= FEW): OFFSET 0
        fences them off, so they are found by their best index and sorted, not sought along the dates."""
        matching = self.matching(terms, filters)
        said_at, quote_id = self.table.c.said_at, self.table.c.quote_id
        if bound is not None and bound <= FEW:
            few = matching.add_columns(said_at.label("said_at")).offset(0).subquery("few")
            said_at, quote_id = few.c.said_at, few.c.quote_id
            matching = select(quote_id)
        if newest:
            return matching.order_by(said_at.desc(), quote_id.desc())
        return matching.order_by(said_at.asc(), quote_id.asc())


_INDEXES = {"sqlite": _SQLiteIndex(), "postgresql": _PostgresIndex()}


def _bound(session: Session, filters: _Filters, total: int | None) -> int | None:
    """At most how many quotes can match: the count when it was not capped, or the
    speakers' own quote count (a cheap index count) when a speaker filter is set."""
    bounds = [total] if total is not None else []
    if filters.search.speaker.strip():
        bounds.append(session.scalar(select(func.count()).select_from(Quote).where(
            Quote.speaker_id.in_([speaker.id for speaker in filters.speakers]))) or 0)
    return min(bounds) if bounds else None


def _index_for(session: Session):
    return _INDEXES[session.get_bind().dialect.name]


def _unindexed(found):
    """``+table.column`` for SQLite: the same value, but no index may be used to find it."""
    return literal_column(f"+{found.table.name}.{found.name}", type_=found.type)


def speakers_for_filter(session: Session, value: str) -> tuple[Speaker, ...]:
    """The speakers a filter stands for: one id, or every live speaker whose name has all the words."""
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to isdigit(), not to int()
        # Ids past a 32-bit integer name nobody (and such a number was a 500).
        speaker = session.get(Speaker, int(value)) if int(value) < 2**31 else None
        while speaker is not None and speaker.merged_into_id:
            speaker = session.get(Speaker, speaker.merged_into_id)
        return (speaker,) if speaker is not None else ()
    return tuple(speakers_named(session, value, limit=MAX_SPEAKERS_PER_NAME))


def speakers_named(session: Session, text: str, *, limit: int = 25) -> list[Speaker]:
    """Live speakers whose name contains every word of ``text`` (any case), shortest name first."""
    words = _WORD.findall(text.lower())[:MAX_TERMS]
    if not words:
        return []
    return list(session.scalars(
        select(Speaker).where(Speaker.merged_into_id.is_(None), name_has_words(session, words))
        .order_by(func.length(Speaker.name), Speaker.name, Speaker.id).limit(limit)
    ))


def _words_in_every_name(speakers: tuple[Speaker, ...]) -> tuple[str, ...]:
    """The words every name has (see _Filters.name_words). Only for names in plain ASCII,
    which the index splits into words exactly as this does; () for any other."""
    common: set[str] | None = None
    for speaker in speakers:
        name = speaker.name.lower()
        if not name.isascii():
            return ()
        words = set(_ASCII_WORD.findall(name))
        common = words if common is None else common & words
        if not common:
            return ()
    return tuple(sorted(common or ()))


def _fts5(terms: Terms, name_words: tuple[str, ...] = ()) -> str:
    """The FTS5 query: every word and phrase, quoted so nothing typed is read as syntax;
    with ``name_words``, those must be in the speaker column as well."""
    query = " ".join(f'"{part}"' for part in (*terms.words, *terms.phrases))
    if terms.excluded:
        query = f"({query}) NOT (" + " OR ".join(f'"{part}"' for part in terms.excluded) + ")"
    if name_words:
        query = f"({query}) AND speaker : (" + " AND ".join(f'"{word}"' for word in name_words) + ")"
    return query


def _websearch(terms: Terms) -> str:
    """The same query in ``websearch_to_tsquery``'s syntax (only word characters reach it)."""
    # Every part quoted, so a typed "or" is a word, never the operator.
    parts = [*(f'"{part}"' for part in (*terms.words, *terms.phrases)),
             *(f'-"{part}"' for part in terms.excluded)]
    return " ".join(parts)


_quotes, _speakers, _articles = Quote.__table__.c, Speaker.__table__.c, Article.__table__.c
_HITS = (
    select(_quotes.id, _quotes.text, _quotes.role, _quotes.verdict, _quotes.status, _quotes.attribution,
           _quotes.speaker_id, _speakers.name, _quotes.article_id, _articles.title, _articles.outlet,
           func.coalesce(_articles.published_at, _articles.created_at, type_=UTCDateTime()))
    .select_from(Quote.__table__.join(Article.__table__, _articles.id == _quotes.article_id)
                 .outerjoin(Speaker.__table__, _speakers.id == _quotes.speaker_id))
    .where(_quotes.id.in_(bindparam("ids", expanding=True)))
)


def _load_hits(session: Session, ids: list[int]) -> list[SearchHit]:
    if not ids:
        return []
    # Unpacked as tuples: a Row's attributes cost about a microsecond each.
    by_id = {
        quote_id: SearchHit(
            quote_id, text, role, verdict, status, attribution is AttributionState.NOT_A_QUOTE,
            SpeakerRef(speaker_id, speaker_name) if speaker_id is not None else None,
            article_id, title, outlet, said_at)
        for (quote_id, text, role, verdict, status, attribution, speaker_id, speaker_name,
             article_id, title, outlet, said_at) in session.connection().execute(_HITS, {"ids": ids})
    }
    return [by_id[quote_id] for quote_id in ids if quote_id in by_id]


def _load_quotes(session: Session, ids: list[int]) -> list[Quote]:
    if not ids:
        return []
    quotes = session.scalars(
        select(Quote).where(Quote.id.in_(ids))
        .options(selectinload(Quote.speaker), selectinload(Quote.article))
    ).all()
    by_id = {quote.id: quote for quote in quotes}
    return [by_id[quote_id] for quote_id in ids if quote_id in by_id]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)
