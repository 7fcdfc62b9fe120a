"""The candidate index in the database: one implementation for SQLite, one for PostgreSQL.

Both store the same two tables (``match_terms``: word hash -> how many quotes
hold it; ``match_postings``: word hash, quote id, the primary key being the
index). A lookup reads only the postings of the query's chosen words, through
the primary key, and lets the database add up the weights per quote. The
planning (which words, which weights) is pure: ``factcheck.matching.search``.
"""

from __future__ import annotations

import time
from array import array
from collections import Counter
from typing import Callable, Iterable, Sequence

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..matching.search import CandidateSearch, IndexedQuote, SearchTerm, index_terms, quote_terms
from ..matching.text import words
from ..models import MatchPosting, MatchTerm

__all__ = ["PostgresCandidateSearch", "SQLiteCandidateSearch", "candidate_search",
           "prepare_for_queries"]

_BATCH = 500
_OFFSET = 1 << 31          # term hashes are signed 32-bit; shifted to sort as unsigned
_BUCKET_SHIFT = 24         # 256 buckets by the top bits of the shifted hash

Progress = Callable[[str, int], None]


def candidate_search(session: Session) -> CandidateSearch:
    """The implementation for the session's database, on the session's transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return PostgresCandidateSearch(connection)
    return SQLiteCandidateSearch(connection)


def prepare_for_queries(engine: Engine) -> None:
    """After a rebuild is committed: refresh planner statistics (and, on PostgreSQL,
    the visibility map, so lookups are index-only scans)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) match_postings")
            connection.exec_driver_sql("VACUUM (ANALYZE) match_terms")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE match_terms")
            connection.exec_driver_sql("ANALYZE match_postings")


class _SqlCandidateSearch:
    """What both databases share: the row shapes and the bulk rebuild's two passes."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # -- the bulk rebuild ------------------------------------------------------
    def rebuild(self, quotes: Iterable[tuple[int, str]], *, progress: Progress | None = None) -> int:
        """Read every quote once, count word frequencies, then write the postings
        sorted by word, each quote under its rarest words."""
        ids, offsets, terms, frequencies = _read_terms(quotes, progress)
        buckets = [array("Q") for _ in range(1 << (32 - _BUCKET_SHIFT))]
        for position, quote_id in enumerate(ids):
            own = terms[offsets[position]:offsets[position + 1]]
            for term in index_terms(own, frequencies):
                shifted = term + _OFFSET
                buckets[shifted >> _BUCKET_SHIFT].append((shifted << 32) | quote_id)
            if progress and position % 50_000 == 0:
                progress("choosing index words", position)
        self._clear()
        written = self._write(buckets, frequencies, progress)
        return written

    def _clear(self) -> None:
        self.connection.execute(MatchPosting.__table__.delete())
        self.connection.execute(MatchTerm.__table__.delete())

    def _write(self, buckets, frequencies, progress) -> int:
        raise NotImplementedError


def _read_terms(quotes: Iterable[tuple[int, str]], progress: Progress | None):
    ids = array("l")
    offsets = array("q", [0])
    terms = array("i")
    frequencies: Counter[int] = Counter()
    for count, (quote_id, quote_text) in enumerate(quotes, 1):
        own = quote_terms(words(quote_text))
        ids.append(quote_id)
        terms.extend(own)
        offsets.append(len(terms))
        frequencies.update(own)
        if progress and count % 50_000 == 0:
            progress("reading quotes", count)
    return ids, offsets, terms, frequencies


def _sorted_rows(bucket: array):
    for code in sorted(bucket):
        yield (code >> 32) - _OFFSET, code & 0xFFFFFFFF


class SQLiteCandidateSearch(_SqlCandidateSearch):
    """SQLite: postings in a WITHOUT ROWID table clustered on (term, quote_id)."""

    def frequencies(self, terms: Iterable[int]) -> dict[int, int]:
        wanted = list(dict.fromkeys(terms))
        found: dict[int, int] = {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start:start + _BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self.connection.exec_driver_sql(
                f"SELECT term, quotes FROM match_terms WHERE term IN ({marks})", tuple(chunk)
            )
            found.update((term, count) for term, count in rows if count > 0)
        return found

    def candidates(self, terms: Sequence[SearchTerm], *, limit: int,
                   before_id: int | None = None) -> list[int]:
        if not terms:
            return []
        values = ",".join("(?, ?)" for _ in terms)
        params: list = [value for t in terms for value in (t.term, t.weight)]
        where = ""
        if before_id is not None:
            where = "WHERE p.quote_id < ?"
            params.append(before_id)
        params.append(limit)
        # CROSS JOIN fixes the loop order: each query word, then its postings range.
        rows = self.connection.exec_driver_sql(
            f"WITH q(term, weight) AS (VALUES {values}) "
            "SELECT p.quote_id FROM q CROSS JOIN match_postings AS p ON p.term = q.term "
            f"{where} GROUP BY p.quote_id ORDER BY sum(q.weight) DESC, p.quote_id DESC LIMIT ?",
            tuple(params),
        )
        return [row[0] for row in rows]

    def add(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        if not counts:
            return
        cursor = self.connection.connection.driver_connection.cursor()
        cursor.executemany(
            "INSERT INTO match_terms (term, quotes) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET quotes = quotes + excluded.quotes",
            sorted(counts.items()),
        )
        cursor.executemany(
            "INSERT INTO match_postings (term, quote_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            sorted((term, quote.quote_id) for quote in quotes for term in quote.indexed),
        )

    def remove(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        cursor = self.connection.connection.driver_connection.cursor()
        cursor.executemany(
            "UPDATE match_terms SET quotes = max(quotes - ?, 0) WHERE term = ?",
            [(count, term) for term, count in sorted(counts.items())],
        )
        cursor.executemany(
            "DELETE FROM match_postings WHERE term = ? AND quote_id = ?",
            [(term, quote.quote_id) for quote in quotes for term in quote.terms],
        )

    def _write(self, buckets, frequencies, progress) -> int:
        cursor = self.connection.connection.driver_connection.cursor()
        cursor.executemany(
            "INSERT INTO match_terms (term, quotes) VALUES (?, ?)", sorted(frequencies.items())
        )
        written = 0
        for number, bucket in enumerate(buckets):
            cursor.executemany(
                "INSERT INTO match_postings (term, quote_id) VALUES (?, ?)", _sorted_rows(bucket)
            )
            written += len(bucket)
            if progress:
                progress("writing postings", written)
            buckets[number] = array("Q")  # free as we go
        return written


class PostgresCandidateSearch(_SqlCandidateSearch):
    """PostgreSQL: the same tables; arrays in, COPY for the rebuild, and the primary
    key recreated after loading (one sorted build instead of 10^7 insertions)."""

    def frequencies(self, terms: Iterable[int]) -> dict[int, int]:
        wanted = list(dict.fromkeys(terms))
        if not wanted:
            return {}
        rows = self.connection.exec_driver_sql(
            "SELECT term, quotes FROM match_terms WHERE term = ANY(%s::integer[]) AND quotes > 0",
            (wanted,),
        )
        return dict(rows.all())

    def candidates(self, terms: Sequence[SearchTerm], *, limit: int,
                   before_id: int | None = None) -> list[int]:
        if not terms:
            return []
        bound = " AND p.quote_id < %s" if before_id is not None else ""
        params: tuple = ([t.term for t in terms], [t.weight for t in terms])
        if before_id is not None:
            params += (before_id,)
        rows = self.connection.exec_driver_sql(
            "SELECT p.quote_id FROM unnest(%s::integer[], %s::float8[]) AS q(term, weight) "
            f"JOIN match_postings AS p ON p.term = q.term{bound} "
            "GROUP BY p.quote_id ORDER BY sum(q.weight) DESC, p.quote_id DESC LIMIT %s",
            params + (limit,),
        )
        return [row[0] for row in rows]

    def add(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        if not counts:
            return
        ordered = sorted(counts.items())  # one lock order for concurrent writers
        self.connection.exec_driver_sql(
            "INSERT INTO match_terms (term, quotes) "
            "SELECT * FROM unnest(%s::integer[], %s::integer[]) "
            "ON CONFLICT (term) DO UPDATE SET quotes = match_terms.quotes + EXCLUDED.quotes",
            ([t for t, _ in ordered], [c for _, c in ordered]),
        )
        postings = sorted((term, quote.quote_id) for quote in quotes for term in quote.indexed)
        self.connection.exec_driver_sql(
            "INSERT INTO match_postings (term, quote_id) "
            "SELECT * FROM unnest(%s::integer[], %s::integer[]) ON CONFLICT DO NOTHING",
            ([t for t, _ in postings], [q for _, q in postings]),
        )

    def remove(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        if not counts:
            return
        ordered = sorted(counts.items())
        self.connection.exec_driver_sql(
            "UPDATE match_terms AS m SET quotes = greatest(m.quotes - d.n, 0) "
            "FROM unnest(%s::integer[], %s::integer[]) AS d(term, n) WHERE m.term = d.term",
            ([t for t, _ in ordered], [c for _, c in ordered]),
        )
        pairs = [(term, quote.quote_id) for quote in quotes for term in quote.terms]
        self.connection.exec_driver_sql(
            "DELETE FROM match_postings AS p USING unnest(%s::integer[], %s::integer[]) AS d(term, q) "
            "WHERE p.term = d.term AND p.quote_id = d.q",
            ([t for t, _ in pairs], [q for _, q in pairs]),
        )

    def _clear(self) -> None:
        self.connection.exec_driver_sql("TRUNCATE match_postings, match_terms")

    def _write(self, buckets, frequencies, progress) -> int:
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy("COPY match_terms (term, quotes) FROM STDIN") as copy:
                for term, count in frequencies.items():
                    copy.write_row((term, count))
            cursor.execute("ALTER TABLE match_postings DROP CONSTRAINT pk_match_postings")
            written = 0
            with cursor.copy("COPY match_postings (term, quote_id) FROM STDIN") as copy:
                for number, bucket in enumerate(buckets):
                    lines = [f"{t}\t{q}\n" for t, q in _sorted_rows(bucket)]
                    copy.write("".join(lines).encode())
                    written += len(bucket)
                    buckets[number] = array("Q")
                    if progress:
                        progress("writing postings", written)
            if progress:
                progress("building the postings key", written)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute(
                "ALTER TABLE match_postings ADD CONSTRAINT pk_match_postings PRIMARY KEY (term, quote_id)"
            )
        return written


def timed(step: Callable[[], object]) -> tuple[object, float]:
    """Run ``step``; return its result and the seconds it took."""
    started = time.perf_counter()
    result = step()
    return result, time.perf_counter() - started
