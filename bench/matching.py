"""How well and how fast does quote matching work at 10k, 100k and 1M stored quotes?

    .venv/bin/python bench/matching.py                          # SQLite, 10k,100k,1m
    .venv/bin/python bench/matching.py --sizes 10k,100k --postgres postgresql:///factcheck_bench

The stored quotes are built at run time from the sentences of the evaluation
corpus (../shared/eval/polnear-train.jsonl, never copied into the project) plus
generated variations of them: each keeps about half of a real sentence's words,
the others swapped for corpus words of the same frequency, sometimes spliced with
a second sentence. So the archive has the corpus's vocabulary and lengths and many
near relatives of every real sentence, which makes the task harder, not easier.

Asked: 300 altered copies of stored quotes (1-3 words changed, 20% of words
dropped, cut to a 40-60% fragment, embedded in a longer passage; 75 of each) and
100 unrelated sentences from held-out articles. Printed per size and database:
recall@1/@5, the share of unrelated queries with any match, latency p50/p95/max
per query (through ``services.matching.find_matches``, the function behind
ingestion and ``flask match``), index build time and size, and the time to ingest
a 20-quote article with matching. The PostgreSQL database given is emptied.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from factcheck import search_index  # noqa: E402
from factcheck.app import create_app, database_url  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.models import Article, ArticleSource, Quote, Speaker  # noqa: E402
from factcheck.matching.text import words  # noqa: E402
from factcheck.names import name_key  # noqa: E402
from factcheck.services import matching  # noqa: E402
from factcheck.services.candidates import prepare_for_queries  # noqa: E402
from factcheck.services.ingestion import ArticleInput, ingest_article  # noqa: E402

CORPUS = ROOT.parent / "shared" / "eval" / "polnear-train.jsonl"
OUT = ROOT / "bench" / "out"
QUOTES_PER_ARTICLE = 20
KINDS = ("changed", "dropped", "fragment", "embedded")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+|\n+")
_QUOTE_MARKS = re.compile(r"[\"“”«»]|(?<!\w)['‘’]|['‘’](?!\w)")
_FIRST = ("Maria Tom Anika Peter Grace Omar Lena Ivan Sofia Daniel Amara Felix Nora Hugo "
          "Rosa Karim Elena Jonas Mei Pablo Ruth Samuel Irene Viktor Leila Marco Hanna").split()
_LAST = ("Lopez Becker Roy Novak Adeyemi Lindqvist Moreau Okafor Petrov Kowalski Haddad "
         "Fischer Tanaka Silva Brennan Costa Nyberg Dubois Mensah Varga Ortiz Keller Sato "
         "Horvat Duarte Quinn Abara Lund Marsh Patel").split()


# -- the corpus ------------------------------------------------------------------------

@dataclass
class Corpus:
    stored_real: list[str]          # sentences of held-in articles (the real quotes)
    held_out: list[str]             # sentences of held-out articles (padding, new quotes)
    unrelated: list[str]            # held-out sentences sharing no 5 words in a row with stored ones
    bands: list[list[str]]          # words by frequency band (log2 of the count)
    band_of: dict[str, int] = field(default_factory=dict)


def load_corpus(path: Path, rng: random.Random) -> Corpus:
    real: list[str] = []
    held: list[str] = []
    for line in path.open(encoding="utf-8"):
        article = json.loads(line)
        held_out = int(hashlib.sha1(article["id"].encode()).hexdigest(), 16) % 20 == 0
        for sentence in _SENTENCE_END.split(article["text"]):
            sentence = " ".join(_QUOTE_MARKS.sub("", sentence).split())
            if 8 <= len(sentence.split()) <= 60:
                (held if held_out else real).append(sentence)
    real = list(dict.fromkeys(real))
    seen = {sentence.lower() for sentence in real}
    held = [s for s in dict.fromkeys(held) if s.lower() not in seen]
    rng.shuffle(real)
    rng.shuffle(held)
    # Outlets reprint each other and share stock phrases ("former secretary of state
    # Colin L."): a held-out sentence is unrelated only if it shares no run of five
    # words with a stored one.
    stored_runs = {run for sentence in real for run in _runs(sentence)}
    unrelated = [s for s in held if not any(run in stored_runs for run in _runs(s))]
    counts = Counter(w for s in real for w in _plain_words(s))
    band_of = {w: int(math.log2(c)) for w, c in counts.items()}
    bands: list[list[str]] = [[] for _ in range(max(band_of.values()) + 1)]
    for word, band in band_of.items():
        bands[band].append(word)
    return Corpus(real, held, unrelated, bands, band_of)


def _runs(sentence: str, length: int = 5):
    tokens = words(sentence)
    return {tuple(tokens[i:i + length]) for i in range(len(tokens) - length + 1)}


def _plain_words(sentence: str) -> list[str]:
    return [w for w in (t.strip(".,;:!?()").lower() for t in sentence.split()) if w.isalpha()]


def variation(corpus: Corpus, rng: random.Random) -> str:
    """A new quote: about half the words of a real sentence swapped for words of the
    same frequency band, and in half the cases spliced with a second sentence."""
    def swap(sentence: str) -> list[str]:
        out = []
        for token in sentence.split():
            band = corpus.band_of.get(token.strip(".,;:!?()").lower())
            if band is not None and rng.random() < 0.5:
                out.append(rng.choice(corpus.bands[band]))
            else:
                out.append(token)
        return out

    first = swap(rng.choice(corpus.stored_real))
    if rng.random() < 0.5:
        second = swap(rng.choice(corpus.stored_real))
        first = first[: rng.randint(len(first) * 3 // 10, len(first) * 7 // 10)] + \
            second[rng.randint(len(second) * 3 // 10, len(second) * 7 // 10):]
    return " ".join(first[:60])


def stored_quotes(corpus: Corpus, size: int, rng: random.Random) -> list[str]:
    quotes = corpus.stored_real[:size]
    while len(quotes) < size:
        quotes.append(variation(corpus, rng))
    return quotes


# -- the queries -----------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    target: int | None  # the stored quote's id; None for unrelated


def altered(kind: str, quote: str, corpus: Corpus, rng: random.Random) -> str:
    tokens = quote.split()
    n = len(tokens)
    if kind == "changed":
        for index in rng.sample(range(n), rng.randint(1, 3)):
            tokens[index] = rng.choice(corpus.bands[rng.randrange(len(corpus.bands))])
        return " ".join(tokens)
    if kind == "dropped":
        gone = set(rng.sample(range(n), max(1, round(n * 0.2))))
        return " ".join(t for i, t in enumerate(tokens) if i not in gone)
    if kind == "fragment":
        length = max(1, round(n * rng.uniform(0.4, 0.6)))
        start = rng.randint(0, n - length)
        return " ".join(tokens[start:start + length])
    before = rng.sample(corpus.held_out[1000:], rng.randint(0, 2))
    after = rng.sample(corpus.held_out[1000:], rng.randint(1, 2))
    return " ".join([*before, quote, *after])


def make_queries(quotes: list[str], corpus: Corpus, rng: random.Random, *, altered_n: int,
                 unrelated_n: int) -> list[Query]:
    """Altered copies (targets half real sentences, half generated ones when there
    are any), then unrelated held-out sentences."""
    real = min(len(corpus.stored_real), len(quotes))
    pool_real = list(range(real))
    pool_generated = list(range(real, len(quotes)))
    queries = []
    for number in range(altered_n):
        kind = KINDS[number % len(KINDS)]
        pool = pool_generated if (pool_generated and number % 2) else pool_real
        index = rng.choice(pool)
        queries.append(Query(kind, altered(kind, quotes[index], corpus, rng), index + 1))
    for sentence in corpus.unrelated[:unrelated_n]:
        queries.append(Query("unrelated", sentence, None))
    return queries


def ingestion_articles(corpus: Corpus, quotes: list[str], rng: random.Random, count: int) -> list[str]:
    """Articles of 20 attributed quotes: 15 new sentences, 5 altered stored quotes."""
    articles = []
    for number in range(count):
        paragraphs = [f"Council budget, part {number} of a bench run {rng.random():.6f}"]
        for i in range(QUOTES_PER_ARTICLE):
            if i % 4 == 0:
                words = quotes[rng.randrange(len(quotes))].split()
                words[rng.randrange(len(words))] = "indeed"
                sentence = " ".join(words)
            else:
                sentence = corpus.held_out[rng.randrange(200, len(corpus.held_out))]
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            paragraphs.append(f"“{sentence.rstrip('.')},” {name} said on Tuesday.")
        articles.append("\n\n".join(paragraphs))
    return articles


# -- loading ---------------------------------------------------------------------------

def reset_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def load(quotes: list[str], start: int, end: int, rng: random.Random) -> None:
    """Store quotes[start:end] (ids start+1..end) with articles and speakers, in bulk;
    the full-text search index is refilled once at the end instead of per row."""
    now = datetime.now(timezone.utc)
    with db.engine.begin() as connection:
        search_index.drop(connection)
        if start == 0:
            speakers = []
            for i in range(2000):
                name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]} {i}"
                speakers.append({"id": i + 1, "name": name, "key": name_key(name), "created_at": now})
            connection.execute(insert(Speaker), speakers)
        first_article = start // QUOTES_PER_ARTICLE
        last_article = (end + QUOTES_PER_ARTICLE - 1) // QUOTES_PER_ARTICLE
        articles = [{"id": a + 1, "title": f"Bench article {a}", "text": "(bench)", "created_at": now,
                     "content_hash": hashlib.sha256(f"bench {a}".encode()).hexdigest(),
                     "source": ArticleSource.CLI.value}
                    for a in range(first_article, last_article)
                    if a * QUOTES_PER_ARTICLE >= start]
        for chunk in range(0, len(articles), 10_000):
            connection.execute(insert(Article), articles[chunk:chunk + 10_000])
        batch = []
        for index in range(start, end):
            quote = quotes[index]
            batch.append({
                "id": index + 1, "article_id": index // QUOTES_PER_ARTICLE + 1,
                "speaker_id": rng.randrange(2000) + 1, "text": quote,
                "start": (index % QUOTES_PER_ARTICLE) * 1000, "end": (index % QUOTES_PER_ARTICLE) * 1000 + len(quote),
                "created_at": now, "updated_at": now, "resolution": "direct", "confidence": 0.9,
            })
            if len(batch) == 20_000:
                connection.execute(insert(Quote), batch)
                batch = []
                print(f"\r  stored {index + 1:,} quotes", end="", file=sys.stderr, flush=True)
        if batch:
            connection.execute(insert(Quote), batch)
        print("\n  refilling the full-text search index", file=sys.stderr)
        search_index.rebuild(connection)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) quotes")
            connection.exec_driver_sql("SELECT setval('quotes_id_seq', (SELECT max(id) FROM quotes))")
            connection.exec_driver_sql("SELECT setval('articles_id_seq', (SELECT max(id) FROM articles))")
            connection.exec_driver_sql("SELECT setval('speakers_id_seq', (SELECT max(id) FROM speakers))")


def build_index() -> tuple[float, int]:
    started = time.perf_counter()
    last = [0.0]

    def progress(step: str, count: int) -> None:
        if time.perf_counter() - last[0] > 5:
            last[0] = time.perf_counter()
            print(f"  index: {step} {count:,}", file=sys.stderr, flush=True)

    postings = matching.rebuild_index(db.session, progress=progress)
    db.session.commit()
    prepare_for_queries(db.engine)
    return time.perf_counter() - started, postings


def index_size() -> int:
    if db.engine.dialect.name == "postgresql":
        return db.session.scalar(text(
            "SELECT pg_total_relation_size('match_chunks') + pg_total_relation_size('match_terms')"))
    return db.session.scalar(text(
        "SELECT sum(pgsize) FROM dbstat WHERE name IN ('match_postings', 'match_terms')"))


# -- measuring -------------------------------------------------------------------------

@dataclass
class Result:
    database: str
    size: int
    build_s: float
    index_bytes: int
    postings: int
    recall1: dict[str, float]
    recall5: dict[str, float]
    unrelated_matched: float
    latencies_ms: list[float]
    by_kind_p95: dict[str, float]
    ingest_ms: list[float]
    ingest_quotes: list[int]


def run_queries(queries: list[Query], warmup: list[str]):
    for sentence in warmup:
        matching.find_matches(db.session, sentence)
    hits1: Counter[str] = Counter()
    hits5: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {}
    unrelated_matched = 0
    for query in queries:
        started = time.perf_counter()
        found = matching.find_matches(db.session, query.text)
        elapsed = (time.perf_counter() - started) * 1000
        latencies.setdefault(query.kind, []).append(elapsed)
        ids = [match.quote_id for match in found]
        totals[query.kind] += 1
        if query.target is None:
            unrelated_matched += bool(ids)
            continue
        hits1[query.kind] += ids[:1] == [query.target]
        hits5[query.kind] += query.target in ids[:5]
    db.session.rollback()
    altered_total = sum(totals[k] for k in KINDS)
    recall1 = {k: hits1[k] / totals[k] for k in KINDS if totals[k]}
    recall5 = {k: hits5[k] / totals[k] for k in KINDS if totals[k]}
    recall1["all"] = sum(hits1.values()) / altered_total
    recall5["all"] = sum(hits5.values()) / altered_total
    return recall1, recall5, unrelated_matched / max(1, totals["unrelated"]), latencies


def run_ingestion(articles: list[str]) -> tuple[list[float], list[int]]:
    times, counts = [], []
    for article_text in articles:
        started = time.perf_counter()
        result = ingest_article(db.session, ArticleInput(source=ArticleSource.CLI, text=article_text))
        db.session.commit()
        times.append((time.perf_counter() - started) * 1000)
        counts.append(len(result.article.quotes))
    return times, counts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(share * len(ordered))) - 1)]


def report(result: Result) -> None:
    lat = result.latencies_ms
    print(f"\n== {result.database}, {result.size:,} stored quotes ==")
    print(f"index build {result.build_s:.1f} s, {result.postings:,} postings, "
          f"size {result.index_bytes / 2**20:.0f} MiB")
    print("recall@1  " + "  ".join(f"{k} {v:.3f}" for k, v in result.recall1.items()))
    print("recall@5  " + "  ".join(f"{k} {v:.3f}" for k, v in result.recall5.items()))
    print(f"unrelated queries with any match: {result.unrelated_matched:.1%}")
    print(f"latency per query: p50 {statistics.median(lat):.1f} ms, p95 {percentile(lat, 0.95):.1f} ms, "
          f"max {max(lat):.1f} ms ({len(lat)} queries)")
    print("p95 by kind: " + ", ".join(f"{k} {v:.1f} ms" for k, v in result.by_kind_p95.items()))
    print(f"ingest a 20-quote article with matching: "
          f"median {statistics.median(result.ingest_ms):.0f} ms, max {max(result.ingest_ms):.0f} ms "
          f"(quotes found: {result.ingest_quotes})")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
          flush=True)


def parse_size(value: str) -> int:
    value = value.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(value[-1:], 1)
    return int(float(value.rstrip("km")) * factor)


def bench_database(url: str, label: str, sizes: list[int], quotes: list[str], corpus: Corpus,
                   args) -> list[Result]:
    if not args.reuse_data:
        reset_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(url, ""), "SECRET_KEY": "bench",
                      "SCHEMA_CHECK": False, "TESTING": True})
    results = []
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        stored = 0
        for size in sizes:
            rng = random.Random(args.seed + size)
            started = time.perf_counter()
            if args.reuse_data and _already_stored(quotes, size):
                print(f"[{label}] reusing the {size:,} quotes already stored", file=sys.stderr)
                for _ in range(stored, size):
                    rng.randrange(2000)  # the draws load() would have made
            else:
                print(f"[{label}] storing quotes up to {size:,}", file=sys.stderr)
                load(quotes, stored, size, rng)
            stored = size
            print(f"  stored in {time.perf_counter() - started:.0f} s; building the matching index",
                  file=sys.stderr)
            build_s, postings = build_index()
            size_bytes = index_size()
            queries = make_queries(quotes[:size], corpus, rng, altered_n=args.queries,
                                   unrelated_n=args.unrelated)
            warmup = corpus.unrelated[args.unrelated:args.unrelated + 50]
            recall1, recall5, unrelated, latencies = run_queries(queries, warmup)
            ingest_ms, ingest_quotes = run_ingestion(
                ingestion_articles(corpus, quotes[:size], rng, args.articles))
            all_latencies = [v for values in latencies.values() for v in values]
            result = Result(label, size, build_s, size_bytes, postings, recall1, recall5, unrelated,
                            all_latencies, {k: percentile(v, 0.95) for k, v in latencies.items()},
                            ingest_ms, ingest_quotes)
            report(result)
            results.append(result)
            # The ingested bench articles stay; the next size's ids start after them.
            stored = size
            _renumber_after_ingestion(size)
        db.session.remove()
        db.engine.dispose()
    return results


def _already_stored(quotes: list[str], size: int) -> bool:
    """Does the database hold exactly these first ``size`` quotes (a run with the same seed)?"""
    count = db.session.scalar(text("SELECT count(*) FROM quotes"))
    last = db.session.scalar(text("SELECT text FROM quotes WHERE id = :id"), {"id": size})
    return count == size and last == quotes[size - 1]


def _renumber_after_ingestion(size: int) -> None:
    """Remove the articles the ingestion step added, so the next load's ids are free."""
    db.session.execute(text("DELETE FROM quote_matches"))
    rows = db.session.execute(text("SELECT id FROM quotes WHERE id > :n"), {"n": size}).scalars().all()
    if rows:
        matching.unindex_quotes(db.session, db.session.query(Quote).filter(Quote.id.in_(rows)).all())
        db.session.execute(text("DELETE FROM quote_segments WHERE quote_id > :n"), {"n": size})
        db.session.execute(text("DELETE FROM quotes WHERE id > :n"), {"n": size})
    last_article = (size + QUOTES_PER_ARTICLE - 1) // QUOTES_PER_ARTICLE
    db.session.execute(text("DELETE FROM articles WHERE id > :n"), {"n": last_article})
    db.session.execute(text("DELETE FROM speaker_merge_suggestions"))
    db.session.execute(text("DELETE FROM speaker_aliases"))
    db.session.execute(text("DELETE FROM speaker_events"))
    db.session.execute(text("DELETE FROM speakers WHERE id > 2000"))
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--sizes", default="10k,100k,1m", help="stored quotes per step (default 10k,100k,1m)")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database (emptied!)")
    parser.add_argument("--no-sqlite", action="store_true", help="skip SQLite")
    parser.add_argument("--sqlite-file", type=Path, default=OUT / "matching.sqlite3")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--queries", type=int, default=300, help="altered copies asked (default 300)")
    parser.add_argument("--unrelated", type=int, default=100, help="unrelated sentences asked (default 100)")
    parser.add_argument("--articles", type=int, default=5, help="20-quote articles ingested (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse-data", action="store_true",
                        help="keep quotes a previous run with the same seed stored (one size only)")
    args = parser.parse_args()

    if not args.corpus.is_file():
        print(f"The evaluation corpus is not here: {args.corpus}\n"
              "This bench builds its quotes from it at run time (it is never shipped with factcheck). "
              "Pass --corpus PATH to a polnear-train.jsonl file.", file=sys.stderr)
        return 2
    sizes = sorted(parse_size(s) for s in args.sizes.split(",") if s.strip())
    rng = random.Random(args.seed)
    started = time.perf_counter()
    corpus = load_corpus(args.corpus, rng)
    quotes = stored_quotes(corpus, max(sizes), rng)
    print(f"{len(corpus.stored_real):,} real sentences, {len(corpus.held_out):,} held out "
          f"({len(corpus.unrelated):,} unrelated to any stored one); "
          f"{len(quotes):,} quotes generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    gc.collect()
    targets = []
    if not args.no_sqlite:
        args.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        targets.append((f"sqlite:///{args.sqlite_file}", "SQLite"))
    if args.postgres:
        targets.append((args.postgres, "PostgreSQL"))
    for url, label in targets:
        bench_database(url, label, sizes, quotes, corpus, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
