"""Relations between a new quote and earlier ones: find, label, store, keep indexed.

At ingestion every new quote is looked up in the candidate index (its rarest
words), the candidates are scored with rapidfuzz (``factcheck.matching``), the
related ones are stored as QuoteMatch rows, and then the new quotes join the
index for the quotes that come after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol, Sequence

from sqlalchemy import bindparam, delete, insert, or_, select
from sqlalchemy.orm import Session, aliased

from ..db import utcnow
from ..matching.scoring import (
    FRAGMENT, MIN_WORDS, REPEAT, VARIANT, PairScore, Prepared, compare, is_common_phrase,
    possible_misattribution, rank,
)
from ..matching.search import (
    CANDIDATES, IndexedQuote, MemoryIndex, SearchTerm, best_candidates, index_terms, plan_query,
    quote_terms,
)
from ..models import AttributionState, MatchRelation, Quote, QuoteMatch, Speaker, SpeakerKind
from .candidates import array_literal, candidate_search

__all__ = [
    "FoundMatch", "MAX_MATCHES", "NewQuote", "find_matches", "index_quotes", "match_and_index",
    "match_new_quotes",
    "quote_ids_in_order", "rebuild_index", "refresh_misattribution", "rematch_quotes",
    "unindex_quotes",
]

#: At most this many matches are kept per quote (a common phrase matches thousands).
MAX_MATCHES = 20
# Speakers whose words can be misattributed: a named person or organisation.
_ATTRIBUTABLE = (SpeakerKind.PERSON, SpeakerKind.ORGANIZATION)
_SAYING = (REPEAT, VARIANT, FRAGMENT)


@dataclass(frozen=True, slots=True)
class FoundMatch:
    """An earlier quote related to a text, as the ``match`` command prints it."""

    quote_id: int
    text: str
    speaker_id: int | None
    speaker: str | None
    relation: MatchRelation
    score: float
    misattribution: bool

    def as_json(self, *, with_misattribution: bool = False) -> dict:
        data = {"quote_id": self.quote_id, "text": self.text, "speaker": self.speaker,
                "score": self.score, "relation": self.relation.value}
        if with_misattribution:
            data["misattribution"] = self.misattribution
        return data


class NewQuote(Protocol):
    """What matching reads of a just-stored quote (a Quote row has all of it)."""

    id: int | None
    text: str
    article_id: int
    speaker: Speaker | None


class _Candidate(NamedTuple):  # a tuple: tens of thousands are made per batch
    id: int
    text: str
    article_id: int
    speaker_id: int | None
    speaker_name: str | None
    speaker_kind: SpeakerKind | None

    @classmethod
    def of(cls, quote: NewQuote) -> "_Candidate":
        speaker = quote.speaker
        return cls(quote.id, quote.text, quote.article_id, speaker.id if speaker else None,
                   speaker.name if speaker else None, speaker.kind if speaker else None)


def find_matches(
    session: Session,
    text: str,
    *,
    speaker: Speaker | None = None,
    before_id: int | None = None,
    exclude_article_id: int | None = None,
    limit: int = MAX_MATCHES,
) -> list[FoundMatch]:
    """Earlier quotes related to ``text``, best first.

    ``speaker`` (who said ``text``) lets a repeat by someone else be flagged as a
    possible misattribution; ``before_id`` keeps only quotes stored before that id.
    """
    prepared = Prepared.of(text)
    if len(prepared.words) < MIN_WORDS:
        return []
    search = candidate_search(session)
    frequencies = search.frequencies(quote_terms(list(prepared.words)))
    return _matches_for(session, search, prepared, frequencies, speaker=speaker,
                        before_id=before_id, exclude_article_id=exclude_article_id, limit=limit)


class _Frequencies(dict):
    """Stored frequencies plus the terms of the batch's quotes indexed so far."""

    def __init__(self, stored: Mapping[int, int]) -> None:
        super().__init__(stored)

    def count(self, terms: Iterable[int]) -> None:
        for term in terms:
            self[term] = self.get(term, 0) + 1


def match_new_quotes(session: Session, quotes: Sequence[NewQuote]) -> list[QuoteMatch]:
    """Store the relations of just-stored quotes to earlier ones, then index them;
    returns the stored matches (see :func:`match_and_index`)."""
    quotes = [quote for quote in quotes if quote.id is not None]
    if not match_and_index(session, quotes):
        return []
    return list(session.scalars(
        select(QuoteMatch).where(QuoteMatch.quote_id.in_([quote.id for quote in quotes]))
        .order_by(QuoteMatch.id)
    ))


def match_and_index(session: Session, quotes: Sequence[NewQuote]) -> int:
    """Store the relations of just-stored quotes to earlier ones, then index them;
    returns how many matches were stored.

    The quotes are taken article by article, in the order given: each article's
    quotes are matched against every quote stored before it, the earlier articles
    of this call included, as if the articles had come one after the other
    (quotes of the same article are never matched with each other). The earlier
    articles' postings are searched in memory until the whole call's are written.
    """
    quotes = [quote for quote in quotes if quote.id is not None]
    if not quotes:
        return 0
    search = candidate_search(session)
    prepared = {quote.id: Prepared.of(quote.text) for quote in quotes}
    terms = {quote.id: quote_terms(list(prepared[quote.id].words)) for quote in quotes}
    frequencies = _Frequencies(search.frequencies(t for own in terms.values() for t in own))
    pending = MemoryIndex()
    indexed: list[IndexedQuote] = []
    plans: dict[int, list[SearchTerm]] = {}
    from_batch: dict[int, list[tuple[int, float]]] = {}
    for article in _by_article(quotes):
        for quote in article:
            if len(prepared[quote.id].words) >= MIN_WORDS:
                plan = plan_query(list(prepared[quote.id].words), frequencies)
                plans[quote.id] = plan
                from_batch[quote.id] = pending.candidates(plan, limit=CANDIDATES)
        for quote in article:  # indexed under its rarest terms as known before its article
            entry = IndexedQuote(quote.id, tuple(terms[quote.id]),
                                 index_terms(terms[quote.id], frequencies))
            indexed.append(entry)
            pending.add(entry)
        for quote in article:
            frequencies.count(terms[quote.id])
    asked = list(plans)
    from_store = search.candidates_for_each([plans[i] for i in asked], limit=CANDIDATES)
    chosen = {
        quote_id: [i for i, _ in best_candidates([*stored, *from_batch[quote_id]], limit=CANDIDATES)]
        for quote_id, stored in zip(asked, from_store)
    }
    batch = {quote.id: quote for quote in quotes}
    rows = {c.id: c for c in _candidates(
        session, sorted({i for ids in chosen.values() for i in ids if i not in batch}))}
    rows.update((quote.id, _Candidate.of(quote)) for quote in quotes)
    texts = _PreparedTexts(prepared)
    found = []
    for quote in quotes:
        if quote.id not in chosen:
            continue
        candidates = [rows[i] for i in chosen[quote.id] if i in rows]
        for match in _found(prepared[quote.id], candidates, speaker=quote.speaker,
                            exclude_article_id=quote.article_id, texts=texts):
            found.append({"quote_id": quote.id, "earlier_id": match.quote_id,
                          "relation": match.relation, "score": match.score,
                          "misattribution": match.misattribution})
    _store_matches(session, found)
    search.add(indexed)
    return len(found)


def _store_matches(session: Session, rows: list[dict]) -> None:
    """Insert match rows: on PostgreSQL as one statement over arrays, elsewhere by
    executemany (one statement text, however many rows)."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(QuoteMatch.__table__), rows)
        return
    connection.exec_driver_sql(
        "INSERT INTO quote_matches (quote_id, earlier_id, relation, score, misattribution, created_at)"
        " SELECT q, e, r, s, m, %(at)s FROM unnest(%(q)s::integer[], %(e)s::integer[],"
        " %(r)s::varchar[], %(s)s::float8[], %(m)s::boolean[]) AS t(q, e, r, s, m)",
        {"q": array_literal(r["quote_id"] for r in rows),
         "e": array_literal(r["earlier_id"] for r in rows),
         "r": array_literal(r["relation"].value for r in rows),
         "s": array_literal(r["score"] for r in rows),
         "m": array_literal(r["misattribution"] for r in rows),
         "at": utcnow().replace(tzinfo=None)},  # stored as naive UTC, as UTCDateTime does
    )


class _PreparedTexts(dict):
    """Candidate texts prepared once per call (a quote often comes back many times)."""

    def __init__(self, known: Mapping[int, Prepared]) -> None:
        super().__init__((p.text, p) for p in known.values())

    def of(self, text: str) -> Prepared:
        prepared = self.get(text)
        if prepared is None:
            prepared = self[text] = Prepared.of(text)
        return prepared


def _by_article(quotes: Sequence[NewQuote]) -> list[list[NewQuote]]:
    """The quotes grouped by article, articles in order of their first quote."""
    groups: dict[int | None, list[NewQuote]] = {}
    for quote in quotes:
        groups.setdefault(quote.article_id, []).append(quote)
    return list(groups.values())


def index_quotes(session: Session, quotes: Sequence[Quote]) -> None:
    """Add quotes to the candidate index without matching them (imports, tests)."""
    search = candidate_search(session)
    terms = {quote.id: quote_terms(list(Prepared.of(quote.text).words)) for quote in quotes}
    frequencies = search.frequencies(t for own in terms.values() for t in own)
    search.add([IndexedQuote(q.id, tuple(terms[q.id]), index_terms(terms[q.id], frequencies))
                for q in quotes])


def unindex_quotes(session: Session, quotes: Sequence[Quote]) -> None:
    """Take quotes out of the candidate index (call before deleting or rewording them)."""
    search = candidate_search(session)
    indexed = []
    for quote in quotes:
        own = tuple(quote_terms(list(Prepared.of(quote.text).words)))
        indexed.append(IndexedQuote(quote.id, own, own))
    search.remove(indexed)


def rebuild_index(session: Session, *, progress: Callable[[str, int], None] | None = None) -> int:
    """Rebuild the candidate index from every stored quote; returns postings written.

    Commit, then call ``candidates.prepare_for_queries(engine)``.
    """
    return candidate_search(session).rebuild(_all_quote_texts(session), progress=progress)


def quote_ids_in_order(session: Session) -> list[int]:
    """Every quote id, oldest first: the order ``rematch_quotes`` replays ingestion in."""
    return list(session.scalars(select(Quote.id).order_by(Quote.id)))


def rematch_quotes(session: Session, quote_ids: Sequence[int]) -> int:
    """Recompute the matches of these quotes against the quotes stored before each.

    The index must hold every quote (see :func:`rebuild_index`); returns matches stored.
    """
    if not quote_ids:
        return 0
    session.execute(delete(QuoteMatch).where(QuoteMatch.quote_id.in_(quote_ids)))
    search = candidate_search(session)
    quotes = session.scalars(select(Quote).where(Quote.id.in_(quote_ids)).order_by(Quote.id)).all()
    prepared = {quote.id: Prepared.of(quote.text) for quote in quotes}
    frequencies = search.frequencies(
        t for p in prepared.values() for t in quote_terms(list(p.words))
    )
    stored = 0
    for quote in quotes:
        if len(prepared[quote.id].words) < MIN_WORDS:
            continue
        for match in _matches_for(session, search, prepared[quote.id], frequencies,
                                  speaker=quote.speaker, before_id=quote.id,
                                  exclude_article_id=quote.article_id):
            session.add(QuoteMatch(quote_id=quote.id, earlier_id=match.quote_id,
                                   relation=match.relation, score=match.score,
                                   misattribution=match.misattribution))
            stored += 1
    session.flush()
    return stored


def refresh_misattribution(session: Session, quote_ids: Iterable[int]) -> int:
    """Recompute the misattribution flags of every match touching these quotes
    (after a speaker merge, an undo or a quote moved); returns flags changed."""
    ids = list(set(quote_ids))
    if not ids:
        return 0
    newer_ids = set(session.scalars(
        select(QuoteMatch.quote_id).where(
            or_(QuoteMatch.quote_id.in_(ids), QuoteMatch.earlier_id.in_(ids))
        )
    ))
    if not newer_ids:
        return 0
    changed = 0
    earlier_quote = aliased(Quote)
    rows = session.execute(
        select(QuoteMatch, earlier_quote)
        .join(earlier_quote, earlier_quote.id == QuoteMatch.earlier_id)
        .where(QuoteMatch.quote_id.in_(newer_ids))
        .order_by(QuoteMatch.quote_id)
    ).all()
    by_newer: dict[int, list[tuple[QuoteMatch, Quote]]] = {}
    for match, earlier in rows:
        by_newer.setdefault(match.quote_id, []).append((match, earlier))
    newer_quotes = {q.id: q for q in session.scalars(select(Quote).where(Quote.id.in_(newer_ids)))}
    for newer_id, pairs in by_newer.items():
        newer = newer_quotes[newer_id]
        prepared = Prepared.of(newer.text)
        saying = {e.speaker_id for m, e in pairs
                  if e.speaker_id is not None and m.relation.value in _SAYING}
        common = is_common_phrase(prepared, speakers_saying_it=len(saying))
        for match, earlier in pairs:
            score = compare(prepared, Prepared.of(earlier.text)) or PairScore(
                match.relation.value, match.score, 0)
            flag = possible_misattribution(
                score, different_speakers=_different(newer.speaker, earlier.speaker), common=common
            )
            if flag != match.misattribution:
                match.misattribution = flag
                changed += 1
    session.flush()
    return changed


def _matches_for(session, search, prepared: Prepared, frequencies, *, speaker: Speaker | None,
                 before_id: int | None = None, exclude_article_id: int | None = None,
                 limit: int = MAX_MATCHES) -> list[FoundMatch]:
    plan = plan_query(list(prepared.words), frequencies)
    ids = search.candidates(plan, limit=CANDIDATES, before_id=before_id)
    return _found(prepared, _candidates(session, ids), speaker=speaker,
                  exclude_article_id=exclude_article_id, limit=limit)


def _found(prepared: Prepared, candidates: list[_Candidate], *, speaker: Speaker | None,
           exclude_article_id: int | None, limit: int = MAX_MATCHES,
           texts: _PreparedTexts | None = None) -> list[FoundMatch]:
    """The candidates related to ``prepared``, scored and labelled, best first."""
    candidates = [c for c in candidates if c.article_id != exclude_article_id]
    by_id = {c.id: c for c in candidates}
    prepare = texts.of if texts is not None else Prepared.of
    ranked = rank(prepared, [(c.id, prepare(c.text)) for c in candidates])[:limit]
    saying = {by_id[i].speaker_id for i, s in ranked
              if s.relation in _SAYING and by_id[i].speaker_id is not None}
    common = is_common_phrase(prepared, speakers_saying_it=len(saying))
    found = []
    for ident, score in ranked:
        candidate = by_id[ident]
        different = (
            speaker is not None and speaker.kind in _ATTRIBUTABLE
            and candidate.speaker_kind in _ATTRIBUTABLE and candidate.speaker_id != speaker.id
        )
        found.append(FoundMatch(
            quote_id=candidate.id, text=candidate.text, speaker_id=candidate.speaker_id,
            speaker=candidate.speaker_name, relation=MatchRelation(score.relation),
            score=score.score,
            misattribution=possible_misattribution(score, different_speakers=different, common=common),
        ))
    return found


def _different(a: Speaker | None, b: Speaker | None) -> bool:
    return (a is not None and b is not None and a.id != b.id
            and a.kind in _ATTRIBUTABLE and b.kind in _ATTRIBUTABLE)


# Words editors judged not a quote (a headline, a title) are nobody's words: never
# offered as an earlier saying, so a later quote is neither a repeat of them nor
# flagged as taking them from someone.
_CANDIDATE_COLUMNS = (
    select(Quote.id, Quote.text, Quote.article_id, Quote.speaker_id, Speaker.name, Speaker.kind)
    .outerjoin(Speaker, Speaker.id == Quote.speaker_id)
    .where(Quote.attribution != AttributionState.NOT_A_QUOTE)
)
_CANDIDATE_ROWS = _CANDIDATE_COLUMNS.where(Quote.id.in_(bindparam("ids", expanding=True)))
# PostgreSQL: the ids as one array parameter (an IN list of thousands is slow to send).
_CANDIDATE_ROWS_PG_SQL = (
    "SELECT q.id, q.text, q.article_id, q.speaker_id, s.name, s.kind"
    " FROM quotes AS q LEFT JOIN speakers AS s ON s.id = q.speaker_id"
    f" WHERE q.id = ANY(%(ids)s::integer[]) AND q.attribution != '{AttributionState.NOT_A_QUOTE.value}'"
)


def _candidates(session: Session, ids: list[int]) -> list[_Candidate]:
    if not ids:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # Straight from the driver: plain tuples, the speaker's kind mapped by hand.
        if session.autoflush:
            session.flush()  # as session.execute() would
        kinds = _SPEAKER_KINDS
        return [_Candidate(i, text, article, speaker, name, kinds[kind] if kind else None)
                for i, text, article, speaker, name, kind in session.connection().exec_driver_sql(
                    _CANDIDATE_ROWS_PG_SQL, {"ids": array_literal(ids)}).all()]
    return [_Candidate(*row) for row in session.execute(_CANDIDATE_ROWS, {"ids": ids})]


_SPEAKER_KINDS = {kind.value: kind for kind in SpeakerKind}


def _all_quote_texts(session: Session, batch: int = 5_000) -> Iterator[tuple[int, str]]:
    """Every (id, text), oldest first, read in keyset pages (bounded memory)."""
    last = 0
    while True:
        rows = session.execute(
            select(Quote.id, Quote.text).where(Quote.id > last).order_by(Quote.id).limit(batch)
        ).all()
        if not rows:
            return
        yield from ((row[0], row[1]) for row in rows)
        last = rows[-1][0]

