"""Article pages rendered ahead and kept in the database, for readers who are not signed in.

The page cache (pagecache.py) keeps pages a reader has asked for, in each process and
in Redis. An article nobody has opened since it changed still costs its first reader a
render, and readers spread over a large archive rarely hit those caches. So the
annotated article page is also stored in ``article_pages``, one row per article:

- a worker renders the pages of the articles it has just stored, right after its job
  commits, and so does ``flask ingest`` after each batch (``render_new_articles``): the
  first readers of a new article, often many at once, find it rendered;
- a page rendered for a reader is stored as well, after the response has gone out,
  so a page that changed (a verdict published) is rendered once for every app server;
- ``flask --app wsgi pages render`` renders every missing or outdated page (after a
  bulk load, a migration, or a release that changes what pages look like).

A row carries the article's page version (page_versions.py) read *before* the page
was rendered, and the release that rendered it (pagecache.release_digest). The page
cache serves a row only when both still match: a change committed while the page was
being rendered moves the version on, so that row is never served. Nothing ever has to
be deleted by hand; a deleted article takes its row with it.

Only pages at the app's own script root are stored (a deployment under a path prefix
renders links with that prefix, and the stored page must be the page a request gets).
"""

from __future__ import annotations

import hashlib
import logging
import time
import zlib
from typing import Iterable

from flask import Flask, current_app
from sqlalchemy import bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import NotFound

from . import page_versions
from .db import db, reading_only, utcnow
from .models import StoredArticlePage

log = logging.getLogger("factcheck.stored_pages")

ENDPOINT = "articles.show"
#: What an anonymous article page is sent with; the middleware sends a stored page the same way.
CONTENT_TYPE = "text/html; charset=utf-8"
VARY = "Authorization, Cookie"
#: What the page cache reads for a stored page (``?`` parameters: article id, version, release).
READ = "SELECT etag, body FROM article_pages WHERE article_id = ? AND version = ? AND release = ?"
# Fast compression: a page is 4.7 times smaller; compressing one takes about 130 µs,
# expanding it about 50 µs (the bench's pages, 17 KB on average).
_LEVEL = 1
# SQLite: a reader's page is stored only if the write lock is free within this long.
_SQLITE_WAIT_MS = 100

_table = StoredArticlePage.__table__
_OUTDATED = ("FROM article_page_versions v JOIN articles a ON a.id = v.article_id "
             "LEFT JOIN article_pages p ON p.article_id = v.article_id "
             "WHERE (p.article_id IS NULL OR p.version <> v.version OR p.release <> :release)")
_STALE = text(f"SELECT v.article_id {_OUTDATED} AND v.article_id > :after ORDER BY v.article_id LIMIT :limit")
_STALE_COUNT = text(f"SELECT count(*) {_OUTDATED}")
_VERSIONS = text("SELECT article_id, version FROM article_page_versions WHERE article_id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def page_etag(body: bytes) -> str:
    """The ETag of a page: the page cache gives the same to the same bytes."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def script_root(app: Flask) -> str:
    """The script root pages are stored for (``APPLICATION_ROOT`` without its trailing slash)."""
    return (app.config.get("APPLICATION_ROOT") or "/").rstrip("/")


def expand(body: bytes) -> bytes:
    return zlib.decompress(body)


def store(connection: Connection, article_id: int, version: int, release: str, body: bytes) -> None:
    """Keep ``body`` as the article's page at ``version``, unless a newer one is kept already."""
    values = {"article_id": article_id, "version": version, "release": release, "etag": page_etag(body),
              "body": zlib.compress(body, _LEVEL), "rendered_at": utcnow()}
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(_table)
    statement = insert.values(**values)
    excluded = statement.excluded
    connection.execute(statement.on_conflict_do_update(
        index_elements=[_table.c.article_id],
        set_={name: excluded[name] for name in values if name != "article_id"},
        # Never back to an older version; the same version is replaced by another release's.
        where=(excluded.version > _table.c.version)
        | ((excluded.version == _table.c.version) & (excluded.release != _table.c.release)),
    ))


def store_rendered(engine: Engine, article_id: int, version: int, release: str, body: bytes) -> bool:
    """Keep a page just rendered for a reader (called after the response has been sent).

    Best effort: on SQLite it waits at most _SQLITE_WAIT_MS for the write lock (a worker
    may hold it for a whole batch), and any database error leaves the page unstored.
    """
    try:
        with engine.connect() as connection:
            # On the driver's connection, outside any transaction of SQLAlchemy's.
            driver = connection.connection.dbapi_connection if connection.dialect.name == "sqlite" else None
            if driver is not None:
                timeout = driver.execute("PRAGMA busy_timeout").fetchone()[0]
                driver.execute(f"PRAGMA busy_timeout = {_SQLITE_WAIT_MS}")
            try:
                with connection.begin():
                    store(connection, article_id, version, release, body)
            finally:
                if driver is not None:
                    driver.execute(f"PRAGMA busy_timeout = {int(timeout)}")
        return True
    except SQLAlchemyError as error:
        log.info("stored pages: article %s not stored (%s: %s)", article_id, type(error).__name__, error)
        return False


def render_page(app: Flask, article_id: int) -> bytes | None:
    """The article's page exactly as a reader who is not signed in gets it (None: no such
    article): the page's own view, called in a request with no cookie."""
    root = script_root(app)
    with app.test_request_context(f"{root}/articles/{article_id}", base_url=f"http://localhost{root}/"):
        try:
            return app.make_response(app.view_functions[ENDPOINT](article_id=article_id)).get_data()
        except NotFound:
            return None


def render(app: Flask, article_ids: Iterable[int], *, release: str) -> int:
    """Render and store the pages of ``article_ids``; how many were stored.

    The versions are read first, the pages rendered after, and all stored in one
    transaction: a change committed in between leaves a row under the older version,
    which the page cache never serves.
    """
    ids = list(article_ids)
    if not ids:
        return 0
    rendered = []
    # An app context of its own: its own session and ``g``, so a page rendered while a
    # signed-in user's request runs a job inline is still the anonymous reader's page.
    with app.app_context():
        session = db.session
        with reading_only():
            versions = dict(session.execute(_VERSIONS, {"ids": ids}).all())
            for article_id in ids:
                body = render_page(app, article_id) if article_id in versions else None
                if body is not None:
                    rendered.append((article_id, versions[article_id], body))
            session.rollback()  # ends the read; the rendered objects are let go
        try:
            with db.engine.begin() as connection:
                for article_id, version, body in rendered:
                    store(connection, article_id, version, release, body)
        except IntegrityError:  # an article deleted meanwhile: the others one by one
            return sum(_store_alone(page, release) for page in rendered)
    return len(rendered)


def _store_alone(page: tuple[int, int, bytes], release: str) -> bool:
    try:
        with db.engine.begin() as connection:
            store(connection, *page[:2], release, page[2])
        return True
    except IntegrityError:
        return False


def stale_ids(session, *, release: str, after: int = 0, limit: int = 500) -> list[int]:
    """Articles whose stored page is missing or outdated, by id, after ``after``."""
    with reading_only():
        ids = list(session.execute(_STALE, {"after": after, "release": release, "limit": limit}).scalars())
        session.rollback()
    return ids


def stale_count(session, *, release: str) -> int:
    """How many articles have no current page stored by ``release``."""
    return session.execute(_STALE_COUNT, {"release": release}).scalar() or 0


def render_stale(app: Flask, *, release: str, batch: int = 500, progress=None) -> int:
    """Render every missing or outdated page, in order of article id; how many were stored."""
    stored, after = 0, 0
    while ids := stale_ids(db.session, release=release, after=after, limit=batch):
        stored += render(app, ids, release=release)
        after = ids[-1]
        if progress is not None:
            progress(stored)
    return stored


def render_new_articles(article_ids: Iterable[int]) -> None:
    """Right after articles were committed (by a job, or `flask ingest`): their pages, so the
    first readers of a new article, often many at once, find it rendered.

    A failure here is logged and never fails the work that stored them: the page is
    rendered for the first reader instead. Call it with no transaction open (on SQLite
    one would hold the write lock the pages are stored with).
    """
    from .pagecache import release_digest

    app = current_app._get_current_object()
    ids = sorted(set(article_ids))
    if not ids or not app.config.get("STORE_ARTICLE_PAGES", True) or not page_versions_ready():
        return
    started = time.perf_counter()
    try:
        stored = render(app, ids, release=release_digest(app))
    except Exception:  # noqa: BLE001 - the articles are stored; their pages can wait for a reader
        db.session.rollback()
        log.exception("stored pages: rendering new articles' pages failed")
        return
    log.info("stored pages rendered", extra={"fields": {
        "pages": stored, "ms": round((time.perf_counter() - started) * 1000, 1)}})


def page_versions_ready() -> bool:
    """Whether article page versions are kept on this database (its triggers in place)."""
    with reading_only(), db.engine.connect() as connection:
        return page_versions.installed(connection)
