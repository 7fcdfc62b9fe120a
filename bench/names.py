"""Speaker lookups by part of a name: the indexed condition against the plain LIKE scan
it replaced, measured in the same run on the same generated speakers.

    .venv/bin/python bench/names.py                                  # SQLite, in a temporary file
    .venv/bin/python bench/names.py --database-url postgresql:///fc_names --count 100000

The PostgreSQL database is emptied and filled (``createdb fc_names`` first). Prints the
median milliseconds per lookup of each, their ratio, and how many speakers each found
(the two must agree, except on SQLite for words beyond ASCII, which its LIKE does not
fold: the index does). On PostgreSQL the old names-only statement, ``lower(name) LIKE``,
is served by the new trigram index as it is, so those rows come out even there; the
name-or-alias rows compare the old statement (an OR with a subquery per word, which reads
every speaker) with the new one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from factcheck.app import create_app, database_url  # noqa: E402
from factcheck.db import db  # noqa: E402
from factcheck.models import Speaker, SpeakerAlias  # noqa: E402
from factcheck.services.name_lookup import name_has_words  # noqa: E402

FIRST_NAMES = "Ana Ben Carla Dev Elif Farid Greta Hugo Ines Jonas Kavya Liam Mira Nils Omar Priya Łukasz Zoë Xi".split()
SYLLABLES = "ka ro mi ne sa to lu be vi da go ha ri zo ul en ar is om ek ży ño".split()
LOOKUPS = (["karomi"], ["łukasz"], ["ana", "kane"], ["xi"], ["xi", "zoka"], ["minister"], ["nosuchname"])


def scan(words: list[str], aliases: bool):
    """The condition before the index: every speaker's name (and aliases) read with LIKE."""
    conditions = []
    for word in words:
        found = func.lower(Speaker.name).contains(word, autoescape=True)
        if aliases:
            found = found | select(SpeakerAlias.id).where(
                SpeakerAlias.speaker_id == Speaker.id,
                func.lower(SpeakerAlias.alias).contains(word, autoescape=True)).exists()
        conditions.append(found)
    return conditions


def indexed(words: list[str], aliases: bool):
    return [name_has_words(db.session, words, aliases=aliases)]


def lookup(condition, words: list[str], aliases: bool) -> list[int]:
    """Live speakers found, as the search filter (shortest name first, 50) or the speakers list (all) asks."""
    query = select(Speaker.id).where(Speaker.merged_into_id.is_(None), *condition(words, aliases))
    if not aliases:
        query = query.order_by(func.length(Speaker.name), Speaker.name, Speaker.id).limit(50)
    return list(db.session.scalars(query))


def median_ms(run, repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def fill(count: int, rng: random.Random) -> int:
    names: set[str] = set()
    while len(names) < count:
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        names.add(f"{rng.choice(FIRST_NAMES)} {surname}")
    rows = [{"id": i, "name": name, "key": name.lower(), "kind": "person"}
            for i, name in enumerate(sorted(names), 1)]
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(Speaker), rows[start:start + 10_000])
    aliases = [{"speaker_id": rng.randint(1, count), "key": f"minister-{i}",
                "alias": f"Minister {rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}{i}"} for i in range(count // 5)]
    db.session.execute(insert(SpeakerAlias), aliases)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE")
    return len(aliases)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temporary directory")
    parser.add_argument("--count", type=int, default=100_000, help="speaker names")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url(args.database_url, scratch) if args.database_url else f"sqlite:///{scratch}/names.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            db.drop_all()
            db.create_all()
            aliases = fill(args.count, random.Random(7))
            print(f"{db.engine.dialect.name}: {args.count:,} speakers, {aliases:,} aliases; "
                  f"median ms per lookup, LIKE scan / indexed (ratio), speakers found")
            for aliases_too in (False, True):
                print("name or an alias has every word:" if aliases_too else "name has every word:")
                for words in LOOKUPS:
                    before = lookup(scan, words, aliases_too)
                    after = lookup(indexed, words, aliases_too)
                    old = median_ms(lambda: lookup(scan, words, aliases_too), args.repeat)
                    new = median_ms(lambda: lookup(indexed, words, aliases_too), args.repeat)
                    print(f"  {' '.join(words):14} {old:8.2f} / {new:6.2f} ms  (x{old / new:5.1f})  "
                          f"found {len(before)} / {len(after)}")
            db.drop_all()
            db.session.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
