"""How fast is quote search at scale? Prints latency percentiles per kind of query.

    .venv/bin/python bench/search.py --quotes 1000000          # SQLite file in bench/out/
    .venv/bin/python bench/search.py --database postgresql:///bench_search --quotes 1000000

The first run fills the database with synthetic quotes (made-up words with a
Zipf-like spread, so some words are everywhere and most are rare); later runs
reuse it. Queries go through ``factcheck.services.search.search_quotes``, the
function behind /search and /api/v1/quotes, as a reader (published verdicts only).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from factcheck import search_index  # noqa: E402
from factcheck.app import create_app, database_url  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.models import Article, Quote, ReviewStatus, Speaker, Verdict  # noqa: E402
from factcheck.services.search import QuoteSearch, SearchSort, search_quotes  # noqa: E402

COMMON = ("the of and to a in is that we it for not be this on will have are our with "
          "they was as at by but people said all can more government".split())
SYLLABLES = ("ka ro mi tu le sa vo ne di pa fi go ha ju ki lo ma nu pe ri so ta ve wa ya ze "
             "bri cla dro fle gra pli sto tri").split()
OUTLETS = [f"Outlet {n}" for n in range(40)]
EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def fill(quotes: int, *, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = vocabulary(rng, 30_000)
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(words))))
    n_articles = max(1, quotes // 10)
    n_speakers = max(1, quotes // 50)
    engine = db.engine
    now = datetime.now(timezone.utc)
    with engine.begin() as connection:
        search_index.drop(connection)  # filled in one pass at the end: much faster than triggers
        speakers = [{"id": i + 1, "name": f"{rng.choice(words[60:3000]).title()} "
                     f"{rng.choice(words[60:3000]).title()}", "key": f"speaker {i}", "created_at": now}
                    for i in range(n_speakers)]
        connection.execute(insert(Speaker), speakers)
        batch = []
        for i in range(n_articles):
            published = EPOCH + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 6))
            batch.append({"id": i + 1, "title": f"Article {i}", "text": "(synthetic)",
                          "outlet": rng.choice(OUTLETS), "published_at": published, "created_at": now,
                          "content_hash": hashlib.sha256(str(i).encode()).hexdigest(), "source": "cli"})
            if len(batch) == 20_000:
                connection.execute(insert(Article), batch)
                batch = []
        if batch:
            connection.execute(insert(Article), batch)
        batch = []
        statuses = [ReviewStatus.NEW] * 6 + [ReviewStatus.PUBLISHED] * 3 + [ReviewStatus.CORRECTED]
        verdicts = list(Verdict)
        for i in range(quotes):
            text = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(8, 40)))
            status = rng.choice(statuses)
            batch.append({
                "id": i + 1, "article_id": rng.randint(1, n_articles), "speaker_id": rng.randint(1, n_speakers),
                "text": text, "start": i, "end": i + len(text), "created_at": now, "updated_at": now,
                "status": status.value,
                "verdict": rng.choice(verdicts).value if status is not ReviewStatus.NEW else "unverified",
            })
            if len(batch) == 20_000:
                connection.execute(insert(Quote), batch)
                batch = []
                print(f"\r  {i + 1:,} quotes", end="", file=sys.stderr, flush=True)
        if batch:
            connection.execute(insert(Quote), batch)
        print("\n  building the search index...", file=sys.stderr)
        search_index.rebuild(connection)
        connection.exec_driver_sql("ANALYZE")


def cases(words: list[str]) -> dict[str, QuoteSearch]:
    return {
        "rare word": QuoteSearch(text=words[20_000]),
        "mid word": QuoteSearch(text=words[400]),
        "common word (10%+ of quotes)": QuoteSearch(text=words[40]),
        "two words": QuoteSearch(text=f"{words[100]} {words[300]}"),
        "phrase": QuoteSearch(text=f'"{words[35]} {words[36]}"'),
        "speaker filter (name)": QuoteSearch(speaker="Sa"),
        "word + verdict + outlet": QuoteSearch(text=words[200], verdict=Verdict.MISQUOTED, outlet="Outlet 3"),
        "word + date range": QuoteSearch(text=words[200], date_from=date(2022, 1, 1), date_to=date(2022, 6, 30)),
        "common word, newest first": QuoteSearch(text=words[40], sort=SearchSort.NEWEST),
        "no words, newest first": QuoteSearch(),
        "no words, verdict filter": QuoteSearch(verdict=Verdict.ACCURATE),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_db = Path(__file__).resolve().parent / "out" / "search.sqlite3"
    parser.add_argument("--database", default=f"sqlite:///{default_db}")
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rebuild-index", action="store_true",
                        help="rebuild the search index of an existing database first")
    args = parser.parse_args()
    (Path(__file__).resolve().parent / "out").mkdir(exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.database, ""), "SECRET_KEY": "bench",
                      "SCHEMA_CHECK": False, "TESTING": True})
    with app.app_context():
        db.create_all()
        have = db.session.scalar(select(func.count()).select_from(Quote)) or 0
        db.session.remove()  # its read transaction would block the writers below (SQLite)
        if have < args.quotes:
            if have:
                sys.exit(f"{have:,} quotes already there; use an empty database for {args.quotes:,}")
            started = time.perf_counter()
            fill(args.quotes)
            print(f"filled {args.quotes:,} quotes in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if args.rebuild_index and have:
            started = time.perf_counter()
            with db.engine.begin() as connection:
                search_index.rebuild(connection)
                connection.exec_driver_sql("ANALYZE")
            print(f"rebuilt the index in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        words = vocabulary(random.Random(7), 30_000)
        print(f"{db.engine.dialect.name}, {have or args.quotes:,} quotes, {args.runs} runs per case "
              f"(milliseconds; page 1 and page 5 alternate)")
        print(f"{'case':34} {'matches':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
        worst = 0.0
        for search in cases(words).values():   # warm the caches once, as a running server has them
            db.session.remove()
            search_quotes(db.session, search, desk=False)
        for name, search in cases(words).items():
            timings = []
            total = 0
            for run in range(args.runs):
                db.session.remove()
                started = time.perf_counter()
                result = search_quotes(db.session, search, desk=False, page=1 if run % 2 == 0 else 5)
                timings.append((time.perf_counter() - started) * 1000)
                total = result.total
            timings.sort()
            p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
            worst = max(worst, p99)
            print(f"{name:34} {('>' if total >= 10_000 else '') + str(total):>8} "
                  f"{statistics.median(timings):7.1f} {timings[round(0.95 * (len(timings) - 1))]:7.1f} "
                  f"{p99:7.1f} {timings[-1]:7.1f}")
        print(f"worst p99: {worst:.1f} ms")


if __name__ == "__main__":
    main()
