"""Candidate search: which stored quotes are worth scoring against a new one.

The index is a word inverted index with document frequencies. Each stored quote
is indexed under its rarest content words (at most :data:`INDEX_TERMS`); a query
looks up its own rarest words, within a budget of postings, and the stored
quotes sharing the most (idf-weighted) of them are the candidates that
:func:`factcheck.matching.scoring.rank` then scores. Nothing scans every stored
quote: the cost follows the rarity of the query's words, not the archive size.

This module plans; the storage is behind :class:`CandidateSearch`, implemented
for SQLite and PostgreSQL in ``factcheck.services.candidates``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol, Sequence

from .text import content_terms, term_hash

__all__ = [
    "CANDIDATES", "INDEX_TERMS", "CandidateSearch", "IndexedQuote", "SearchTerm",
    "index_terms", "plan_query",
]

#: How many of a quote's rarest content words it is indexed under.
INDEX_TERMS = 24
#: How many candidates are scored per query.
CANDIDATES = 40
#: Query words looked up for a quote of ordinary length (one window).
TERMS_PER_QUERY = 12
#: Query words looked up per window of a long text.
TERMS_PER_WINDOW = 6
#: Words per window when a long text is looked up piece by piece, and the step between windows.
WINDOW, STEP = 30, 20
#: At most this many postings are read for one query (the cost ceiling).
POSTINGS_BUDGET = 12_000
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

    def add(self, quotes: Sequence[IndexedQuote]) -> None:
        """Index new quotes (their frequencies count from now on)."""

    def remove(self, quotes: Sequence[IndexedQuote]) -> None:
        """Take quotes out of the index (given the terms they were indexed with)."""

    def rebuild(self, quotes: Iterable[tuple[int, str]], *, progress=None) -> int:
        """Replace the whole index with these (id, text) pairs; returns postings written."""


def quote_terms(tokens: list[str]) -> list[int]:
    """The distinct content-word hashes of a tokenised quote."""
    return list(dict.fromkeys(term_hash(term) for term in content_terms(tokens)))


def index_terms(terms: Sequence[int], frequencies: Mapping[int, int], *,
                limit: int = INDEX_TERMS) -> tuple[int, ...]:
    """The rarest ``limit`` of a quote's terms (ties keep text order)."""
    if len(terms) <= limit:
        return tuple(terms)
    order = sorted(range(len(terms)), key=lambda i: (frequencies.get(terms[i], 0), i))
    return tuple(terms[i] for i in sorted(order[:limit]))


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
    if len(tokens) <= WINDOW + STEP // 2:
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
        taken = 0
        for h in hashes:
            if taken >= per_window:
                break
            if h in chosen:
                taken += 1
                continue
            chosen[h] = idf(frequencies[h])
            taken += 1
    # Spend the budget on the rarest words of the whole query first.
    ordered = sorted(chosen, key=lambda h: frequencies[h])
    plan: list[SearchTerm] = []
    spent = 0
    for h in ordered:
        cost = frequencies[h]
        if plan and spent + cost > budget:
            continue
        plan.append(SearchTerm(h, chosen[h]))
        spent += cost
    return plan
