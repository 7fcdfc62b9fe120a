"""What every page served from the cache costs the database: the content version read
through the pool (checkout, with PostgreSQL's pre-ping, and the rollback on return) against
the page cache's own connection (per thread on SQLite, per process on PostgreSQL), in one
process, in turns, on the same database.

    .venv/bin/python bench/version_read.py                                  # SQLite, in a temporary file
    .venv/bin/python bench/version_read.py --database-url postgresql:///fc_reads

The PostgreSQL database gets the app's tables if it has none (``createdb fc_reads`` first).
Prints microseconds per read (wall clock, and this process's CPU: the server's share on
PostgreSQL is the difference, spent by its backend while this process waits) and the
ratio of the two ways.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.app import create_app  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.pagecache import VERSION_READ, _read_number, number_reader  # noqa: E402


def timed(read, count: int) -> tuple[float, float]:
    """Microseconds per read: wall clock, and this process's CPU."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        read()
    return ((time.perf_counter() - wall) / count * 1e6, (time.process_time() - cpu) / count * 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary file")
    parser.add_argument("--reads", type=int, default=5000, help="reads per turn")
    parser.add_argument("--turns", type=int, default=5)
    args = parser.parse_args()

    folder = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(folder.name) / 'reads.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SCHEMA_CHECK": False})
    with app.app_context():
        engine = db.engine
        db.create_all()
        pooled = lambda: _read_number(engine, VERSION_READ, ())  # noqa: E731
        own = number_reader(engine)
        own_read = lambda: own(VERSION_READ, ())  # noqa: E731
        assert pooled() == own_read()
        timed(pooled, 500), timed(own_read, 500)  # connections made, statements prepared
        rows: dict[str, list[tuple[float, float]]] = {"through the pool": [], "the cache's own connection": []}
        for _ in range(args.turns):
            rows["through the pool"].append(timed(pooled, args.reads))
            rows["the cache's own connection"].append(timed(own_read, args.reads))

    print(f"content version read, {engine.dialect.name}: {args.turns} turns of {args.reads} reads each way, "
          "medians of the turns")
    print(f"{'':28} {'wall us':>8} {'CPU us':>8}")
    medians = {}
    for name, turns in rows.items():
        wall = statistics.median(t[0] for t in turns)
        cpu = statistics.median(t[1] for t in turns)
        medians[name] = wall
        print(f"{name:28} {wall:8.1f} {cpu:8.1f}")
    ratio = medians["through the pool"] / medians["the cache's own connection"]
    print(f"the pool's read takes {ratio:.2f} times as long (wall clock)")


if __name__ == "__main__":
    main()
