"""Candidate search: which stored quotes are worth scoring against a new one.

The index is an inverted index with document frequencies over two kinds of
terms: content words, and adjacent word pairs hashed into a bounded number of
buckets (pairs are far rarer than words, so a quote made of common words is still
findable). Each stored quote is indexed under its rarest terms (at most
:data:`INDEX_TERMS`); a query looks up its own rarest terms, within a budget of
postings, and the stored quotes sharing the most (idf-weighted) of them are the
candidates that
:func:`factcheck.matching.scoring.rank` then scores. Nothing scans every stored
quote: the cost follows the rarity of the query's words, not the archive size.

This module plans; the storage is behind :class:`CandidateSearch`, implemented
for SQLite and PostgreSQL in ``factcheck.services.candidates``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol, Sequence

from .text import content_terms, pair_term, term_hash

__all__ = [
    "CANDIDATES", "INDEX_TERMS", "CandidateSearch", "IndexedQuote", "MemoryIndex", "SearchTerm",
    "best_candidates", "index_terms", "plan_query",
]

#: How many of a quote's rarest content words it is indexed under.
INDEX_TERMS = 24
#: How many candidates are scored per query. Fewer keep the matching bench's recall
#: (its altered copy is among the first few by shared weight) but, where a quote has
#: hundreds of partial relatives, miss related ones ranked further down.
CANDIDATES = 40
#: Up to this many words, a query is looked up as one piece, by its rarest words ...
SINGLE_WINDOW = 24
TERMS_PER_QUERY = 12
#: ... longer texts window by window (overlapping), each window by its own rarest words.
WINDOW, STEP = 16, 8
TERMS_PER_WINDOW = 5
#: At most this many postings are read for one query (the cost ceiling). 4,000 keeps
#: recall on the 1M-quote bench where 12,000 had it: the rarest terms carry the
#: signal, the commoner ones mostly add postings to add up.
POSTINGS_BUDGET = 4_000
# A reference archive size for the idf weights (relative weights are what matter).
_REFERENCE_SIZE = 1_000_000


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """A word (by hash) to look up and how much a shared occurrence counts."""

    term: int
    weight: float


@dataclass(frozen=True, slots=True)
class IndexedQuote:
    """What the index stores for one quote: every content word (for frequencies)
    and the rarest ones it is found under."""

    quote_id: int
    terms: tuple[int, ...]
    indexed: tuple[int, ...]


class CandidateSearch(Protocol):
    """Storage for the candidate index (one implementation per database)."""

    def frequencies(self, terms: Iterable[int]) -> dict[int, int]:
        """How many indexed quotes contain each term (missing terms: none)."""

    def candidates(self, terms: Sequence[SearchTerm], *, limit: int,
                   before_id: int | None = None) -> list[int]:
        """Quote ids sharing the most weight of ``terms``, best first.

        ``before_id`` keeps only quotes with a smaller id (earlier ones).
        """

    def candidates_for_each(self, plans: Sequence[Sequence[SearchTerm]], *,
                            limit: int) -> list[list[tuple[int, float]]]:
        """:meth:`candidates` for many queries at once, each answer with the weight
        its quotes share: ``[(quote id, weight), ...]`` per plan, best first."""

    def add(self, quotes: Sequence[IndexedQuote]) -> None:
        """Index new quotes (their frequencies count from now on)."""

    def remove(self, quotes: Sequence[IndexedQuote]) -> None:
        """Take quotes out of the index (given the terms they were indexed with)."""

    def rebuild(self, quotes: Iterable[tuple[int, str]], *, progress=None) -> int:
        """Replace the whole index with these (id, text) pairs; returns postings written."""


class MemoryIndex:
    """Quotes indexed in memory and searched like the stored index: the earlier
    articles of a batch, whose postings are written when the whole batch is.

    >>> index = MemoryIndex()
    >>> index.add(IndexedQuote(7, (1, 2, 3), (1, 2)))
    >>> index.candidates([SearchTerm(2, 1.5), SearchTerm(3, 9.0)], limit=5)
    [(7, 1.5)]
    """

    def __init__(self) -> None:
        self._postings: dict[int, list[int]] = {}

    def add(self, quote: IndexedQuote) -> None:
        for term in quote.indexed:
            self._postings.setdefault(term, []).append(quote.quote_id)

    def candidates(self, terms: Sequence[SearchTerm], *, limit: int) -> list[tuple[int, float]]:
        """(quote id, shared weight), best first, as the stored index orders them."""
        shared: dict[int, float] = {}
        for term in terms:
            for quote_id in self._postings.get(term.term, ()):
                shared[quote_id] = shared.get(quote_id, 0.0) + term.weight
        return best_candidates(shared.items(), limit=limit)


def best_candidates(scored: Iterable[tuple[int, float]], *, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (quote id, shared weight) pairs: most weight first, then the
    newest quote (the stored index's order)."""
    return sorted(scored, key=lambda item: (-item[1], -item[0]))[:limit]


def quote_terms(tokens: list[str]) -> list[int]:
    """The distinct terms of a tokenised quote: its content words and its adjacent
    word pairs (function words included: "had said it" is rare, "had" is not)."""
    terms = [term_hash(term) for term in content_terms(tokens)]
    terms.extend(pair_term(a, b) for a, b in zip(tokens, tokens[1:]))
    return list(dict.fromkeys(terms))


def index_terms(terms: Sequence[int], frequencies: Mapping[int, int], *,
                limit: int = INDEX_TERMS) -> tuple[int, ...]:
    """The rarest ``limit`` of a quote's terms (the order is of no consequence)."""
    if len(terms) <= limit:
        return tuple(terms)
    rarity = frequencies.get
    return tuple(sorted(terms, key=lambda term: rarity(term, 0))[:limit])


def idf(frequency: int) -> float:
    """Weight of a shared word: rare words count for more."""
    return math.log(1.0 + _REFERENCE_SIZE / (1.0 + frequency))


def plan_query(tokens: list[str], frequencies: Mapping[int, int], *,
               budget: int = POSTINGS_BUDGET) -> list[SearchTerm]:
    """The words to look up for a query, rarest first, within a postings budget.

    A text longer than one window is looked up window by window (a quote
    embedded in a long passage is found by the window that holds it), each
    window contributing its own rarest words. Words no stored quote has are
    skipped: they cannot find anything.
    """
    if len(tokens) <= SINGLE_WINDOW:
        windows = [tokens]
        per_window = TERMS_PER_QUERY
    else:
        windows = [tokens[start:start + WINDOW]
                   for start in range(0, max(1, len(tokens) - WINDOW + STEP), STEP)]
        per_window = TERMS_PER_WINDOW
        budget = budget * 2
    chosen: dict[int, float] = {}
    for window in windows:
        hashes = [h for h in quote_terms(window) if frequencies.get(h, 0) > 0]
        hashes.sort(key=lambda h: frequencies[h])
        for h in hashes[:per_window]:
            chosen.setdefault(h, idf(frequencies[h]))
    # Spend the budget on the rarest words of the whole query first; a query of
    # common words only still looks up its rarest one, unless even that is everywhere.
    plan: list[SearchTerm] = []
    spent = 0
    for h in sorted(chosen, key=lambda h: frequencies[h]):
        cost = frequencies[h]
        if spent + cost > (budget if plan else budget * 4):
            continue
        plan.append(SearchTerm(h, chosen[h]))
        spent += cost
    return plan
