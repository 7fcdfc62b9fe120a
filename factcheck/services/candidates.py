"""The candidate index in the database: one implementation for SQLite, one for PostgreSQL.

Both keep ``match_terms`` (term -> how many quotes hold it), which the pure
planner in ``factcheck.matching.search`` uses to pick a query's rarest terms.
The postings differ, each in the form its database stores compactly:

* SQLite: ``match_postings`` (term, quote_id), a WITHOUT ROWID table clustered on
  its primary key; a lookup reads the chosen terms' ranges and lets SQLite add
  up the weights per quote.
* PostgreSQL: ``match_chunks`` (term, chunk, quote_ids integer[]), a term's quote
  ids a few hundred to a row (inline, no TOAST); a lookup reads about one row per
  chosen term and PostgreSQL adds up the weights. A row per posting would cost
  ~60 bytes each in tuple headers; a GIN index over per-quote arrays, tried first,
  needed a random heap read per candidate (slow when cold at 10^6 quotes).

Neither reads more than the postings of the chosen terms: never every quote.
"""

from __future__ import annotations

from array import array
from collections import Counter
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..matching.search import CandidateSearch, IndexedQuote, SearchTerm, index_terms, quote_terms
from ..matching.text import PAIR_BUCKETS, words
from ..models import MatchPosting, MatchTerm

__all__ = ["PostgresCandidateSearch", "SQLiteCandidateSearch", "array_literal", "candidate_search",
           "prepare_for_queries"]

_BATCH = 500
_OFFSET = 1 << 31          # term ids are signed 32-bit; shifted to sort as unsigned
# Postings are sorted in 512 buckets, in key order: 256 over the word-pair ids
# (-PAIR_BUCKETS..-1) and 256 over the word ids (0..2^31-1).
_PAIR_LOW = _OFFSET - PAIR_BUCKETS
_PAIR_SHIFT = max(0, PAIR_BUCKETS.bit_length() - 1 - 8)
_WORD_SHIFT = 31 - 8
#: PostgreSQL: quote ids per match_chunks row (400 x 4 bytes stays under the TOAST threshold).
CHUNK = 400

Progress = Callable[[str, int], None]


def array_literal(values: Iterable[int | float | bool | str]) -> str:
    """A PostgreSQL array literal of numbers (or flags, or plain words) for a parameter
    cast to an array type: ``{1,2,3}``.

    psycopg adapts a list element by element in Python, about a microsecond each,
    and a batch sends some hundred thousand ids and weights (floats are written
    exactly: ``str`` gives the shortest form that reads back as the same number).

    >>> array_literal([3, -1, 2.5, True])
    '{3,-1,2.5,True}'
    """
    return "{" + ",".join(map(str, values)) + "}"


def candidate_search(session: Session) -> CandidateSearch:
    """The implementation for the session's database, on the session's transaction."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return PostgresCandidateSearch(connection)
    return SQLiteCandidateSearch(connection)


def prepare_for_queries(engine: Engine) -> None:
    """After a rebuild is committed: refresh planner statistics (and, on PostgreSQL,
    the visibility map)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) match_chunks")
            connection.exec_driver_sql("VACUUM (ANALYZE) match_terms")
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE match_terms")
            connection.exec_driver_sql("ANALYZE match_postings")


class _Frequencies:
    """How many quotes hold each term: words in a dict, word pairs (a bounded id range)
    in a flat array, which at 10^6 quotes saves a dict of two million entries."""

    def __init__(self) -> None:
        self.words: Counter[int] = Counter()
        self.pairs = array("i", bytes(4 * PAIR_BUCKETS))

    def update(self, terms: list[int]) -> None:
        self.words.update(term for term in terms if term >= 0)
        pairs = self.pairs
        for term in terms:
            if term < 0:
                pairs[-1 - term] += 1

    def get(self, term: int, default: int = 0) -> int:
        if term < 0:
            return self.pairs[-1 - term] or default
        return self.words.get(term, default)

    __getitem__ = get

    def sorted_items(self):
        """(term, count) for every term held by a quote, in term order."""
        pairs = self.pairs
        for index in range(PAIR_BUCKETS - 1, -1, -1):
            if pairs[index]:
                yield -1 - index, pairs[index]
        for term in sorted(self.words):
            yield term, self.words[term]


class _Corpus:
    """Every quote's terms read once, in flat arrays (bounded memory at 10^6 quotes)."""

    def __init__(self, quotes: Iterable[tuple[int, str]], progress: Progress | None) -> None:
        self.ids = array("l")
        self.offsets = array("q", [0])
        self.terms = array("i")
        self.frequencies = _Frequencies()
        for count, (quote_id, quote_text) in enumerate(quotes, 1):
            own = quote_terms(words(quote_text))
            self.ids.append(quote_id)
            self.terms.extend(own)
            self.offsets.append(len(self.terms))
            self.frequencies.update(own)
            if progress and count % 50_000 == 0:
                progress("reading quotes", count)

    def indexed(self, progress: Progress | None):
        """(quote id, the terms it is indexed under), quote by quote."""
        for position, quote_id in enumerate(self.ids):
            own = self.terms[self.offsets[position]:self.offsets[position + 1]]
            yield quote_id, index_terms(own, self.frequencies)
            if progress and position and position % 50_000 == 0:
                progress("choosing index terms", position)


def _sorted_postings(corpus: _Corpus, progress: Progress | None):
    """Every (term, quote id) posting, in (term, quote id) order, in bounded memory:
    packed into 64-bit codes in 512 buckets by term, each sorted when its turn comes."""
    buckets = [array("Q") for _ in range(512)]
    for quote_id, indexed in corpus.indexed(progress):
        for term in indexed:
            shifted = term + _OFFSET
            if shifted < _OFFSET:
                bucket = (shifted - _PAIR_LOW) >> _PAIR_SHIFT
            else:
                bucket = 256 + ((shifted - _OFFSET) >> _WORD_SHIFT)
            buckets[bucket].append((shifted << 32) | quote_id)
    for number, bucket in enumerate(buckets):
        buckets[number] = array("Q")  # free as we go
        for code in sorted(bucket):
            yield (code >> 32) - _OFFSET, code & 0xFFFFFFFF


class SQLiteCandidateSearch:
    """SQLite: postings in a WITHOUT ROWID table clustered on (term, quote_id)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

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
        return [quote_id for quote_id, _ in self._scored(terms, limit=limit, before_id=before_id)]

    def candidates_for_each(self, plans: Sequence[Sequence[SearchTerm]], *,
                            limit: int) -> list[list[tuple[int, float]]]:
        # One query per plan: SQLite runs in this process, a query costs no round trip.
        return [self._scored(plan, limit=limit) for plan in plans]

    def _scored(self, terms: Sequence[SearchTerm], *, limit: int,
                before_id: int | None = None) -> list[tuple[int, float]]:
        if not terms:
            return []
        values = ",".join("(?, ?)" for _ in terms)
        params: list = [value for t in terms for value in (t.term, t.weight)]
        where = ""
        if before_id is not None:
            where = "WHERE p.quote_id < ?"
            params.append(before_id)
        params.append(limit)
        # CROSS JOIN fixes the loop order: each query term, then its postings range.
        rows = self.connection.exec_driver_sql(
            f"WITH q(term, weight) AS (VALUES {values}) "
            "SELECT p.quote_id, sum(q.weight) FROM q CROSS JOIN match_postings AS p ON p.term = q.term "
            f"{where} GROUP BY p.quote_id ORDER BY sum(q.weight) DESC, p.quote_id DESC LIMIT ?",
            tuple(params),
        )
        return [(row[0], row[1]) for row in rows]

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

    def rebuild(self, quotes: Iterable[tuple[int, str]], *, progress: Progress | None = None) -> int:
        """Read every quote once, count term frequencies, then write the postings in
        primary-key order (appends, not 10^7 random insertions)."""
        corpus = _Corpus(quotes, progress)
        postings = _sorted_postings(corpus, progress)
        self.connection.execute(MatchPosting.__table__.delete())
        self.connection.execute(MatchTerm.__table__.delete())
        cursor = self.connection.connection.driver_connection.cursor()
        cursor.executemany("INSERT INTO match_terms (term, quotes) VALUES (?, ?)",
                           corpus.frequencies.sorted_items())
        counted = _Counted(postings, progress)
        cursor.executemany("INSERT INTO match_postings (term, quote_id) VALUES (?, ?)", counted)
        return counted.count


class _Counted:
    """Pass rows through, counting them (and reporting progress now and then)."""

    def __init__(self, rows, progress: Progress | None) -> None:
        self.rows, self.progress, self.count = rows, progress, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            if self.progress and self.count % 1_000_000 == 0:
                self.progress("writing postings", self.count)
            yield row


@contextmanager
def _without_jit(connection: Connection) -> Iterator[None]:
    """PostgreSQL's JIT off for a statement, then back as it was (in this transaction).

    The planner has no statistics for arrays given as parameters and overestimates
    the rows they make: a 50-article batch's postings statement costs it ~160,000,
    past ``jit_above_cost``, and was compiled on every batch (12-15 ms in a warm
    backend, 35 ms in a new one) to run no faster. The candidate query, ~47,000 at
    50 articles, crosses it from about 100 articles a batch.
    """
    previous = connection.exec_driver_sql("SELECT current_setting('jit')").scalar()
    connection.exec_driver_sql("SELECT set_config('jit', 'off', true)")
    yield  # no finally: after an error the transaction (or savepoint) rolls the setting back
    connection.exec_driver_sql("SELECT set_config('jit', %s, true)", (previous,))


class PostgresCandidateSearch:
    """PostgreSQL: a term's quote ids in chunks of :data:`CHUNK` per row; arrays in
    and out, and COPY for the rebuild."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def frequencies(self, terms: Iterable[int]) -> dict[int, int]:
        wanted = list(dict.fromkeys(terms))
        if not wanted:
            return {}
        rows = self.connection.exec_driver_sql(
            "SELECT term, quotes FROM match_terms WHERE term = ANY(%s::integer[]) AND quotes > 0",
            (array_literal(wanted),),
        )
        return dict(rows.all())

    def candidates(self, terms: Sequence[SearchTerm], *, limit: int,
                   before_id: int | None = None) -> list[int]:
        if not terms:
            return []
        bound = "WHERE c.quote_id < %(before)s " if before_id is not None else ""
        rows = self.connection.exec_driver_sql(
            "SELECT c.quote_id FROM ("
            "  SELECT unnest(p.quote_ids) AS quote_id, q.weight"
            "  FROM unnest(%(terms)s::integer[], %(weights)s::float8[]) AS q(term, weight)"
            "  JOIN match_chunks AS p ON p.term = q.term"
            f") AS c {bound}"
            "GROUP BY c.quote_id ORDER BY sum(c.weight) DESC, c.quote_id DESC LIMIT %(limit)s",
            {"terms": array_literal(t.term for t in terms),
             "weights": array_literal(t.weight for t in terms), "before": before_id, "limit": limit},
        )
        return [row[0] for row in rows]

    def candidates_for_each(self, plans: Sequence[Sequence[SearchTerm]], *,
                            limit: int) -> list[list[tuple[int, float]]]:
        """One statement for every plan: each plan is a slice of two flat arrays,
        answered by its own top-``limit`` query (a LATERAL subquery)."""
        answers: list[list[tuple[int, float]]] = [[] for _ in plans]
        numbers, lows, highs, terms, weights = [], [], [], [], []
        for number, plan in enumerate(plans):
            if not plan:
                continue
            numbers.append(number)
            lows.append(len(terms) + 1)
            terms.extend(t.term for t in plan)
            weights.extend(t.weight for t in plan)
            highs.append(len(terms))
        if not numbers:
            return answers
        with _without_jit(self.connection):
            rows = self.connection.exec_driver_sql(
                "SELECT q.number, c.quote_id, c.weight"
                " FROM unnest(%(numbers)s::integer[], %(lows)s::integer[], %(highs)s::integer[])"
                "  AS q(number, low, high)"
                " CROSS JOIN LATERAL ("
                "  SELECT x.quote_id, sum(x.weight) AS weight FROM ("
                "   SELECT unnest(p.quote_ids) AS quote_id, t.weight"
                "   FROM unnest((%(terms)s::integer[])[q.low:q.high], (%(weights)s::float8[])[q.low:q.high])"
                "    AS t(term, weight)"
                "   JOIN match_chunks AS p ON p.term = t.term"
                "  ) AS x GROUP BY x.quote_id ORDER BY sum(x.weight) DESC, x.quote_id DESC LIMIT %(limit)s"
                " ) AS c",
                {"numbers": array_literal(numbers), "lows": array_literal(lows),
                 "highs": array_literal(highs), "terms": array_literal(terms),
                 "weights": array_literal(weights), "limit": limit},
            ).all()  # fetched at once: iterating the result fetches row by row
        for number, quote_id, weight in rows:
            answers[number].append((quote_id, weight))
        for answer in answers:
            answer.sort(key=lambda item: (-item[1], -item[0]))
        return answers

    def add(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        if not counts:
            return
        ordered = sorted(counts.items())  # one lock order for concurrent writers
        self.connection.exec_driver_sql(
            "INSERT INTO match_terms (term, quotes) "
            "SELECT * FROM unnest(%s::integer[], %s::integer[]) "
            "ON CONFLICT (term) DO UPDATE SET quotes = match_terms.quotes + EXCLUDED.quotes",
            (array_literal(t for t, _ in ordered), array_literal(c for _, c in ordered)),
        )
        postings = sorted((term, quote.quote_id) for quote in quotes for term in quote.indexed)
        if not postings:
            return
        # Fill each term's last chunk up to CHUNK ids, then start new chunks (a batch
        # may bring hundreds of ids for one term: appended whole, they would outgrow
        # the inline size and be TOASTed).
        with _without_jit(self.connection):
            self.connection.exec_driver_sql(
                "WITH new AS ("
                "  SELECT term, quote_id, row_number() OVER (PARTITION BY term ORDER BY quote_id) AS n"
                "  FROM unnest(%(terms)s::integer[], %(ids)s::integer[]) AS t(term, quote_id)"
                "), last AS ("
                "  SELECT t.term, c.chunk, c.held"
                "  FROM unnest(%(distinct)s::integer[]) AS t(term) CROSS JOIN LATERAL ("
                "    SELECT chunk, cardinality(quote_ids) AS held FROM match_chunks WHERE term = t.term"
                "    ORDER BY chunk DESC LIMIT 1"
                "  ) AS c"
                "), placed AS ("
                "  SELECT new.term, new.quote_id, CASE"
                "    WHEN last.chunk IS NULL THEN (new.n - 1) / %(chunk)s"
                "    WHEN new.n <= %(chunk)s - last.held THEN last.chunk"
                "    ELSE last.chunk + 1 + (new.n - 1 - greatest(%(chunk)s - last.held, 0)) / %(chunk)s"
                "  END AS chunk"
                "  FROM new LEFT JOIN last USING (term)"
                ") INSERT INTO match_chunks (term, chunk, quote_ids)"
                " SELECT term, chunk, array_agg(quote_id ORDER BY quote_id) FROM placed"
                " GROUP BY term, chunk ORDER BY term, chunk"
                " ON CONFLICT (term, chunk) DO UPDATE SET quote_ids = match_chunks.quote_ids || EXCLUDED.quote_ids",
                {"terms": array_literal(t for t, _ in postings), "ids": array_literal(q for _, q in postings),
                 "distinct": array_literal(sorted({t for t, _ in postings})), "chunk": CHUNK},
            )

    def remove(self, quotes: Sequence[IndexedQuote]) -> None:
        counts = Counter(term for quote in quotes for term in quote.terms)
        if counts:
            ordered = sorted(counts.items())
            self.connection.exec_driver_sql(
                "UPDATE match_terms AS m SET quotes = greatest(m.quotes - d.n, 0) "
                "FROM unnest(%s::integer[], %s::integer[]) AS d(term, n) WHERE m.term = d.term",
                (array_literal(t for t, _ in ordered), array_literal(c for _, c in ordered)),
            )
        for quote in quotes:  # one quote per statement: a row is updated once per statement
            self.connection.exec_driver_sql(
                "UPDATE match_chunks SET quote_ids = array_remove(quote_ids, %(id)s) "
                "WHERE term = ANY(%(terms)s::integer[]) AND %(id)s = ANY(quote_ids)",
                {"id": quote.quote_id, "terms": list(quote.terms)},
            )

    def rebuild(self, quotes: Iterable[tuple[int, str]], *, progress: Progress | None = None) -> int:
        """COPY the term frequencies and every term's chunks in, in key order."""
        corpus = _Corpus(quotes, progress)
        raw = self.connection.connection.driver_connection
        self.connection.exec_driver_sql("TRUNCATE match_chunks, match_terms")
        written = 0
        with raw.cursor() as cursor:
            with cursor.copy("COPY match_terms (term, quotes) FROM STDIN") as copy:
                for term, count in corpus.frequencies.sorted_items():
                    copy.write_row((term, count))
            with cursor.copy("COPY match_chunks (term, chunk, quote_ids) FROM STDIN") as copy:
                lines: list[str] = []
                current, ids = None, []
                for term, quote_id in _sorted_postings(corpus, progress):
                    if term != current:
                        lines.extend(_chunk_lines(current, ids))
                        current, ids = term, []
                    ids.append(quote_id)
                    written += 1
                    if len(lines) >= 20_000:
                        copy.write("".join(lines).encode())
                        lines = []
                        if progress and written % 1_000_000 < 50_000:
                            progress("writing postings", written)
                lines.extend(_chunk_lines(current, ids))
                copy.write("".join(lines).encode())
        return written


def _chunk_lines(term: int | None, ids: list[int]) -> list[str]:
    if term is None or not ids:
        return []
    return [f"{term}\t{number}\t{{{','.join(map(str, ids[start:start + CHUNK]))}}}\n"
            for number, start in enumerate(range(0, len(ids), CHUNK))]
