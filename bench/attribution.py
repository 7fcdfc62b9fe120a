"""How fast is the attribution check's list at scale? Prints milliseconds per page.

    .venv/bin/python bench/attribution.py --quotes 100000
    .venv/bin/python bench/attribution.py --quotes 100000 --database postgresql:///bench_attribution

Fills a fresh database (a temporary SQLite file, or the PostgreSQL database
given, whose tables are dropped first) with synthetic quotes: ten per article,
2,000 speakers, confidences and resolutions spread like the extractor's on the
dev split, one quote in 350 in a possible misattribution. Then times the calls
behind /check/list (count and first page) and /check?at=N.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from factcheck.app import create_app, database_url  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.models import Article, Quote, QuoteMatch, Speaker  # noqa: E402
from factcheck.services import attribution  # noqa: E402

CONFIDENCES = [0.6, 0.7, 0.7, 0.86, 0.86, 0.92, 0.96, 0.96, 0.96, 0.96]
RESOLUTIONS = ["direct"] * 6 + ["surname", "surname", "pronoun", "continuation", "description", "none"]


def fill(session, quotes: int, rng: random.Random) -> None:
    session.execute(insert(Speaker), [dict(id=i, name=f"Person {i}", key=f"person {i}")
                                      for i in range(1, 2001)])
    session.execute(insert(Article), [
        dict(id=i, title=f"Article {i}", text="x" * 200, source="cli",
             content_hash=hashlib.sha256(str(i).encode()).hexdigest())
        for i in range(1, quotes // 10 + 2)])
    rows = []
    for i in range(1, quotes + 1):
        start = (i % 10) * 15
        rows.append(dict(id=i, article_id=(i - 1) // 10 + 1, speaker_id=rng.randint(1, 2000),
                         text=f"quote {i}", start=start, end=start + 10,
                         confidence=rng.choice(CONFIDENCES), resolution=rng.choice(RESOLUTIONS)))
        if len(rows) == 20_000:
            session.execute(insert(Quote), rows)
            rows = []
    if rows:
        session.execute(insert(Quote), rows)
    session.execute(insert(QuoteMatch), [
        dict(quote_id=i, earlier_id=i - 5, relation="repeat", score=99.0, misattribution=i % 7 == 0)
        for i in range(100, quotes, 50)])
    session.commit()


def timed(call, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--database", help="a PostgreSQL URL (its tables are dropped)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = database_url(args.database, "") if args.database else \
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-attribution-')}/bench.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                      "SCHEMA_CHECK": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        fill(db.session, args.quotes, random.Random(8))
        print(f"{db.engine.dialect.name}: {args.quotes} quotes stored in {time.perf_counter() - started:.1f} s")
        session = db.session
        total = attribution.check_list(session, per_page=1).total
        print(f"on the list at the default threshold: {total} ({total / args.quotes:.0%})")
        for label, call in (
            ("/check/list (count + first 25)", lambda: attribution.check_list(session, per_page=25)),
            ("/check?at=1", lambda: attribution.check_item_at(session, 1)),
            ("/check?at=5000", lambda: attribution.check_item_at(session, 5000)),
        ):
            times = timed(call, args.repeat)
            print(f"{label:32} median {statistics.median(times):7.0f} ms   max {max(times):7.0f} ms")
        db.session.remove()  # let go of the read transaction before dropping the tables
        db.drop_all()


if __name__ == "__main__":
    main()
