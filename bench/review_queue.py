"""How long the review queue takes to answer, by number of stored quotes.

    .venv/bin/python bench/review_queue.py [--quotes 100000] [--url postgresql:///bench_review]

Builds synthetic articles and quotes (one in 20 repeated elsewhere, one in 200 a
possible misattribution) in a throwaway SQLite file (or the database given, which
it empties), then times the queue's first page with and without filters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402

from factcheck.app import create_app, database_url  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.models import Article, Quote, QuoteMatch, ReviewStatus, Speaker  # noqa: E402
from factcheck.services.review import QueueFilters, review_queue  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def build(count: int) -> None:
    rng = random.Random(5)
    speakers = [{"id": n + 1, "name": f"Speaker {n}", "key": f"speaker {n}", "kind": "person",
                 "created_at": START} for n in range(max(10, count // 50))]
    db.session.execute(insert(Speaker), speakers)
    articles, quotes, matches = [], [], []
    statuses = [s.value for s in ReviewStatus]
    for n in range(count):
        at = START + timedelta(minutes=n)
        articles.append({"id": n + 1, "title": f"Article {n}", "text": f"Article {n} text.",
                         "content_hash": f"{n:064d}", "source": "cli", "created_at": at,
                         "published_at": at, "outlet": f"Outlet {n % 40}"})
        quotes.append({"id": n + 1, "article_id": n + 1, "speaker_id": rng.randrange(len(speakers)) + 1,
                       "text": f"words of quote {n}", "start": 0, "end": 5, "created_at": at,
                       "updated_at": at, "status": rng.choice(statuses), "verdict": "unverified",
                       "kind": "full", "confidence": 0.9, "resolution": "direct", "public_note": "",
                       "internal_note": "", "attribution": "unchecked", "flagged": False, "version": 1})
        if n and n % 20 == 0:
            matches.append({"quote_id": n + 1, "earlier_id": rng.randrange(n) + 1, "relation": "repeat",
                            "score": 100.0, "misattribution": n % 200 == 0, "created_at": at})
    for table, rows in ((Article, articles), (Quote, quotes), (QuoteMatch, matches)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])
    db.session.commit()


def timed(filters: QueueFilters, runs: int = 5) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        page = review_queue(db.session, filters, page=1, per_page=25)
        times.append(time.perf_counter() - started)
        db.session.rollback()
    return statistics.median(times), page.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--url", help="a database to empty and use (default: a temporary SQLite file)")
    args = parser.parse_args()
    uri = database_url(args.url, "") if args.url else f"sqlite:///{tempfile.mkdtemp()}/queue.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench", "TESTING": True,
                      "SCHEMA_CHECK": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        build(args.quotes)
        print(f"{uri.split(':')[0]}: {args.quotes} quotes built in {time.perf_counter() - started:.1f}s")
        if uri.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        for label, filters in (
            ("open quotes (default)", QueueFilters()),
            ("any status", QueueFilters(statuses=())),
            ("speaker contains", QueueFilters(speaker="Speaker 1")),
            ("outlet + date range", QueueFilters(outlet="Outlet 7", said_from=(START + timedelta(days=10)).date(),
                                                 said_to=(START + timedelta(days=40)).date())),
        ):
            seconds, total = timed(filters)
            print(f"  {label:<24} first page {seconds * 1000:7.1f} ms  ({total} quotes match)")
        db.drop_all()


if __name__ == "__main__":
    main()
