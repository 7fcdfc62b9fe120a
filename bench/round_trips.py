"""How many round trips to PostgreSQL a reader's page makes, counted from libpq's own
protocol trace, in one process, with the page cache off (so every page is rendered).

    .venv/bin/python bench/round_trips.py --database-url postgresql:///fc_loadtest

Any factcheck database with quotes will do (``bench/load.py --database-url ...`` builds
one). For each kind of page it prints the round trips (a simple query, or one
Parse/Bind/Execute/Sync exchange) of a request made after a first one to the same page
(connections and statements warm), and the statements they carried. On a machine whose
cores are shared by the server and the app, each round trip also waits for the other
process's turn on a core: that, more than the bytes, is what they cost under load.
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database with factcheck's tables")
    parser.add_argument("--search", default="economy", help="the search to count (default: economy)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("round trips are PostgreSQL's cost: SQLite runs inside the process")
    os.environ.update(FACTCHECK_DATABASE_URL=args.database_url, FACTCHECK_SECRET_KEY="bench-round-trips",
                      FACTCHECK_PAGE_CACHE_BYTES="0")
    os.environ.pop("FACTCHECK_REDIS_URL", None)

    from sqlalchemy import event, text

    from factcheck.app import create_app
    from factcheck.db import db

    app = create_app()
    logging.getLogger("factcheck.access").setLevel(logging.WARNING)
    trace = tempfile.TemporaryFile("w+")
    with app.app_context():
        engine = db.engine
        quiet = db.session.execute(text(
            "SELECT q.id FROM quotes q WHERE NOT EXISTS (SELECT 1 FROM quote_matches m "
            "WHERE q.id IN (m.quote_id, m.earlier_id)) AND q.attribution <> 'not_a_quote' "
            "ORDER BY q.id LIMIT 1")).scalar()
        matched = db.session.execute(text(
            "SELECT m.quote_id FROM quote_matches m JOIN quotes q ON q.id = m.quote_id "
            "WHERE q.attribution <> 'not_a_quote' ORDER BY m.quote_id LIMIT 1")).scalar()
        article = db.session.execute(text("SELECT min(id) FROM articles")).scalar()
    engine.dispose()  # every connection from here on is traced

    @event.listens_for(engine, "connect")
    def traced(dbapi_connection, record):
        dbapi_connection.pgconn.trace(trace.fileno())

    pages = [("quote page, no matches", f"/quotes/{quiet}"), ("quote page, with matches", f"/quotes/{matched}"),
             ("article page", f"/articles/{article}"), ("search", f"/search?q={args.search}"),
             ("API quote", f"/api/v1/quotes/{quiet}")]
    client = app.test_client()
    print(f"Round trips to PostgreSQL per reader's page ({args.database_url}, page cache off, "
          "second request to each page)")
    for label, path in pages:
        if path.endswith("/None"):
            print(f"{label:26} (none in this database)")
            continue
        client.get(path)
        trace.seek(0)
        trace.truncate()
        status = client.get(path).status_code
        trace.flush()
        trace.seek(0)
        sent = [line.split("\t") for line in trace.read().splitlines()]
        sent = [fields for fields in sent if len(fields) > 3 and fields[1] == "F"]
        kinds = collections.Counter(fields[3].split(" ")[0] for fields in sent)
        statements = [fields[4].strip('"').split('" "')[-1][:70].replace("\\n", " ")
                      for fields in sent if fields[3] in ("Query", "Parse") and len(fields) > 4]
        print(f"{label:26} {kinds['Query'] + kinds['Sync']:2d} round trips (HTTP {status}): {path}")
        for statement in statements:
            print(f"{'':29}{statement}")


if __name__ == "__main__":
    main()
