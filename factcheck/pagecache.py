"""Rendered public pages kept for anonymous readers, never older than the last commit.

Every transaction that writes to a table pages show bumps one number, the
content version (table ``content_version``), inside the same transaction, so
a reader who sees the new data also sees the new version. Pages are cached
under (URL, version): the first request after a commit misses and renders
afresh; nothing has to be invalidated by hand, and no service has to
remember to. The write is noticed at the SQL level (INSERT/UPDATE/DELETE on
the app's engine), so Core statements and bulk loads through the app count too.

Only requests without any cookie and without an Authorization header are
served from, or stored into, the cache (a kept page is sent by a WSGI
middleware in front of Flask, so a hit costs about what ``/healthz`` does): a signed-in user's page (or one with a
flash message, or a CSRF token) is never shown to anyone else. Cached pages
carry a content-hash ETag and answer ``If-None-Match`` with 304; pages for
signed-in users are marked ``private``. Last-Modified is deliberately not
sent: HTTP dates have one-second resolution, so two changes in the same second
could leave a stale verdict looking fresh.

The annotated article page, the page readers open most, is finer: it is keyed
by its own article's page version, which database triggers move only when the
article, its quotes and segments, or its speakers' names change (page_versions.py).
An article ingested or a verdict on another article's quote leaves it kept.

The cache lives in each process (an LRU bounded in bytes) and, when Redis is
configured, in Redis as well, shared by every process and app server of the
same database and release. Elsewhere invalidation is coarse: any content change
empties it in effect, which is always correct and costs one render per page after
each change.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import Flask, Response, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_etags, quote_etag
from werkzeug.routing import Map

from . import page_versions, stored_pages
from .db import db
from .middleware import SECURITY_HEADERS, log_request, request_id_from

log = logging.getLogger("factcheck.pagecache")

# Endpoints whose anonymous pages are the same for every reader.
DEFAULT_ENDPOINTS = (
    "articles.index", "articles.show", "quotes.index", "quotes.show", "speakers.index",
    "speakers.show", "search.index",
    # The API's reads without a token are the readers' view too.
    "api.list_quotes", "api.get_quote", "api.get_article", "api.list_speakers", "api.get_speaker",
)
# Kept under its own article's page version (page_versions.py); the rest under the content version.
ARTICLE_PAGE = "articles.show"
# Writes to these do not change what readers see (job bookkeeping, token use,
# derived matching index) or are the version itself; alembic_version means a
# migration is running, whose connection must not touch a table it may not have.
UNTRACKED_TABLES = frozenset({"jobs", "api_tokens", "content_version", "match_terms",
                              "match_postings", "article_pages", "alembic_version"})
_WRITE = re.compile(
    r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|"
    r"COPY|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?\"?(\w+)",
    re.IGNORECASE,
)
# An upsert: the row may be missing (a table emptied by hand, or by tests).
# The first version is the clock in microseconds, not 1: a database made afresh under
# the same address (a restore, a test run) never repeats a version whose pages Redis
# may still hold.
_BUMP = {
    dialect: (f"INSERT INTO content_version (id, version) VALUES (1, {clock}) "
              "ON CONFLICT (id) DO UPDATE SET version = content_version.version + 1")
    for dialect, clock in page_versions.CLOCK.items()
}
_CHANGED = "factcheck_content_changed"
_MIGRATING = "factcheck_migrating"


# --- noticing writes ---------------------------------------------------------

def track_writes(engine: Engine) -> None:
    """Bump the content version in every transaction on ``engine`` that changes content."""
    if event.contains(engine, "before_cursor_execute", _note_write):
        return
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", _bump_before_commit)
    event.listen(engine, "rollback", _forget)


def _note_write(connection, cursor, statement, parameters, context, executemany) -> None:
    match = _WRITE.match(statement)
    if match is None:
        return
    table = match.group(1).lower()
    if table == "alembic_version":
        connection.info[_MIGRATING] = True
    elif table not in UNTRACKED_TABLES:
        connection.info[_CHANGED] = True


def _bump_before_commit(connection) -> None:
    """Runs just before COMMIT, still inside the transaction."""
    changed = connection.info.pop(_CHANGED, False)
    if connection.info.pop(_MIGRATING, False) or not changed:
        return
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_BUMP[connection.dialect.name])
    finally:
        cursor.close()


def _forget(connection) -> None:
    connection.info.pop(_CHANGED, None)
    connection.info.pop(_MIGRATING, None)


VERSION_READ = "SELECT version FROM content_version WHERE id = 1"


def content_version(engine: Engine) -> int:
    """The current content version (0 before the first change)."""
    return _read_number(engine, VERSION_READ, ()) or 0


def _read_number(engine: Engine, sql: str, params: tuple) -> int | None:
    """One number, read on a pooled driver connection outside the ORM session (the
    fallback for databases without a reader of their own below)."""
    row = _read_row(engine, sql, params)
    return row[0] if row else None


def _read_row(engine: Engine, sql: str, params: tuple) -> tuple | None:
    connection = engine.raw_connection()
    try:
        return _fetch_row(connection, _in_paramstyle(engine.dialect.paramstyle, sql, params), params)
    finally:
        connection.close()  # back to the pool, which ends the read transaction


def _fetch_row(connection, sql: str, params: tuple) -> tuple | None:
    """The first row, on a driver connection."""
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchone()
    finally:
        cursor.close()


def _in_paramstyle(paramstyle: str, sql: str, params: tuple) -> str:
    """The statements are written with "?" (SQLite's style); psycopg takes "%s"."""
    return sql.replace("?", "%s") if params and paramstyle != "qmark" else sql


class _OwnReads:
    """The numbers read on driver connections of the cache's own, outside the pool, in autocommit.

    Every page served from the cache costs one such read. Through the pool it cost
    more than the read itself: the checkout (on PostgreSQL with its ``SELECT 1``
    pre-ping) and the rollback on return are round trips of their own, where this
    takes one. SQLite gets a connection per thread (opening one is a file open);
    PostgreSQL one per process, shared by its threads one read at a time (a read
    takes about a tenth of a millisecond, and every connection counts against
    ``max_connections``). None of them holds a transaction between reads.

    A connection that fails (the server restarted, the connection was cut: the
    DB-API's operational and interface errors) is dropped and the read tried once
    more on a new one, as the pool's pre-ping would; other errors (no schema yet) go
    to the caller as they are.
    A forked child never uses or closes its parent's connections (closing a
    PostgreSQL one from the child would end it for the parent too). They are closed
    with the engine (``dispose()``).
    """

    def __init__(self, engine: Engine, connect: Callable[[], object], *, per_thread: bool) -> None:
        self.connect = connect
        self.per_thread = per_thread
        dbapi = engine.dialect.loaded_dbapi
        self.error = dbapi.Error
        self.lost = (dbapi.OperationalError, dbapi.InterfaceError)  # the DB-API's "connection" errors
        self.paramstyle = engine.dialect.paramstyle
        self._slot = threading.local() if per_thread else _Slot()
        self._in_use = contextlib.nullcontext() if per_thread else threading.Lock()
        self._opened: list[tuple[int, object]] = []
        self._lock = threading.Lock()
        event.listen(engine, "engine_disposed", self.close)

    def __call__(self, sql: str, params: tuple) -> int | None:
        row = self.row(sql, params)
        return row[0] if row else None

    def row(self, sql: str, params: tuple) -> tuple | None:
        sql = _in_paramstyle(self.paramstyle, sql, params)
        with self._in_use:
            connection = self.connection()
            if connection is not None:
                try:
                    return _fetch_row(connection, sql, params)
                except self.lost:
                    self._drop(connection)  # then once more, on a new connection
            return _fetch_row(self._open(), sql, params)

    def connection(self):
        """This thread's (or process's) connection, None before the first read."""
        if getattr(self._slot, "pid", None) != os.getpid():
            return None  # none yet, or the parent's, inherited by a fork
        return self._slot.connection

    def _open(self):
        connection = self.connect()
        with self._lock:
            self._opened.append((os.getpid(), connection))
        self._slot.connection, self._slot.pid = connection, os.getpid()
        return connection

    def _drop(self, connection) -> None:
        self._slot.connection = self._slot.pid = None
        with self._lock:
            self._opened = [(pid, kept) for pid, kept in self._opened if kept is not connection]
        try:
            connection.close()
        except self.error:
            pass

    def close(self, engine: Engine | None = None) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for pid, connection in opened:
            if pid == os.getpid():
                connection.close()
        self._slot = threading.local() if self.per_thread else _Slot()


class _Slot:
    """Where a process-wide connection is kept (the per-thread kind is a threading.local)."""

    connection: object = None
    pid: int | None = None


class _PooledReads:
    """Reads through the engine's pool (databases without a reader of their own)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, sql: str, params: tuple) -> int | None:
        return _read_number(self.engine, sql, params)

    def row(self, sql: str, params: tuple) -> tuple | None:
        return _read_row(self.engine, sql, params)


def number_reader(engine: Engine, connect_args: dict | None = None) -> _OwnReads | _PooledReads:
    """How the cache reads one number (``reader(sql, params)``, ``?`` parameters) or one row
    (``reader.row(sql, params)``) from ``engine``: the quickest way it has.

    ``connect_args`` are the engine's own (SQLALCHEMY_ENGINE_OPTIONS): the cache's
    connections are made with them, as the pool's are (SSL, timeouts, search_path).
    """
    database = engine.url.database
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    cparams = {**cparams, **(connect_args or {})}
    if engine.dialect.name == "sqlite" and database and database != ":memory:" \
            and not database.startswith("file:"):
        cparams.update(isolation_level=None, check_same_thread=False)
        return _OwnReads(engine, lambda: sqlite3.connect(*cargs, **cparams), per_thread=True)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        dbapi = engine.dialect.loaded_dbapi
        return _OwnReads(engine, lambda: dbapi.connect(*cargs, **cparams, autocommit=True), per_thread=False)
    return _PooledReads(engine)


# --- the cache ---------------------------------------------------------------

#: A page's address and the version of what it shows: "g<content version>", or for an
#: article's page "a<its article page version>".
PageKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CachedPage:
    body: bytes
    content_type: str
    etag: str
    vary: str | None


class PageCache:
    """A thread-safe LRU of rendered pages, bounded by the bytes it holds."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[PageKey, CachedPage] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: PageKey) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: PageKey, page: CachedPage) -> None:
        size = len(page.body) + len(key[0])
        if size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body) + len(key[0])
            self._pages[key] = page
            self._bytes += size
            # Least recently used first: pages of an older version are never asked
            # for again, so they are the first to go.
            while self._bytes > self.max_bytes and self._pages:
                dropped_key, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped.body) + len(dropped_key[0])

    def __len__(self) -> int:
        return len(self._pages)


class SharedPages:
    """The same pages in Redis, shared by every process and app server (a second level).

    Redis is optional for pages: after an error it is left alone for a while and
    pages are rendered as if it were not there.

    A page is read from Redis in the request that wants it, but written by a thread of
    the process's own, which wakes every WRITE_EVERY seconds and sends what was queued
    meanwhile in one pipeline: a page missed everywhere (most of them, for readers
    spread over a large archive) cost a second round trip to Redis before the request
    could end, and on a busy machine each round trip waits its turn for the CPU. The
    request only appends to a queue: waking the writer for each page (a condition's
    notify) cost more than the write it saved, a thread hand-over per page. A write
    still queued when the process ends is lost, as is one that finds the queue full
    (PENDING_MAX): the page is rendered again by whoever asks next, nothing worse.
    """

    PREFIX = "factcheck:page:"
    RETRY_AFTER = 30.0  # seconds without Redis after an error
    WRITE_EVERY = 0.05  # seconds between the writer's rounds
    PENDING_MAX = 1024  # pages waiting to be written; more are not kept in Redis

    def __init__(self, redis_url: str, *, ttl: int, database: str, release: str = "") -> None:
        from redis import Redis

        # Two deployments sharing a Redis (staging and production) never see each other's
        # pages, nor does a new release see the pages its predecessor rendered.
        scope = hashlib.blake2b(f"{database}\n{release}".encode(), digest_size=6).hexdigest()
        self.prefix = f"{self.PREFIX}{scope}:"

        # Short timeouts: a page must never wait long on its cache.
        self.redis = Redis.from_url(redis_url, socket_connect_timeout=0.2, socket_timeout=0.5)
        self.ttl = ttl
        self._down_until = 0.0
        self._pending: deque[tuple[str, bytes]] = deque()
        self._writing = 0  # 1 while the writer sends a batch (flush() waits for it)
        self._writer_lock = threading.Lock()
        self._writer_pid: int | None = None

    def _key(self, key: PageKey) -> str:
        return f"{self.prefix}{key[1]}:{hashlib.blake2b(key[0].encode(), digest_size=16).hexdigest()}"

    def get(self, key: PageKey) -> CachedPage | None:
        raw = self._call(self.redis.get, self._key(key))
        if not raw:
            return None
        head, _, body = raw.partition(b"\n")
        content_type, etag, vary = json.loads(head)
        return CachedPage(body, content_type, etag, vary)

    def put(self, key: PageKey, page: CachedPage) -> None:
        """Queue the page for the writer thread (started in each process on its first page)."""
        if time.monotonic() < self._down_until or len(self._pending) >= self.PENDING_MAX:
            return
        if self._writer_pid != os.getpid():  # none yet, or the parent's (gone with the fork)
            self._start_writer()
        head = json.dumps([page.content_type, page.etag, page.vary]).encode()
        self._pending.append((self._key(key), head + b"\n" + page.body))

    def _start_writer(self) -> None:
        with self._writer_lock:
            if self._writer_pid == os.getpid():
                return
            self._pending, self._writing = deque(), 0
            threading.Thread(target=self._write_pending, name="factcheck-page-writer", daemon=True).start()
            self._writer_pid = os.getpid()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every queued page has been sent (tests; a process about to end)."""
        deadline = time.monotonic() + timeout
        while self._pending or self._writing:
            if time.monotonic() >= deadline:
                return False
            time.sleep(self.WRITE_EVERY / 5)
        return True

    def _write_pending(self) -> None:
        pending = self._pending
        while True:
            time.sleep(self.WRITE_EVERY)
            if not pending:
                continue
            batch = []
            self._writing = 1
            try:
                while pending:
                    batch.append(pending.popleft())
                pipeline = self.redis.pipeline(transaction=False)
                for name, value in batch:
                    pipeline.set(name, value, ex=self.ttl)
                self._call(pipeline.execute)
            except Exception:  # noqa: BLE001 - the writer outlives any one batch; those pages are lost
                log.exception("page cache: %d pages not written to Redis", len(batch))
            finally:
                self._writing = 0

    def _call(self, method, *args, **kwargs):
        from redis.exceptions import RedisError

        if time.monotonic() < self._down_until:
            return None
        try:
            return method(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + self.RETRY_AFTER
            log.warning("page cache: Redis unavailable, pages rendered without it for %.0f s (%s)",
                        self.RETRY_AFTER, error)
            return None


def _is_anonymous_request() -> bool:
    return not request.cookies and "Authorization" not in request.headers


def _etag_matches(etag: str) -> bool:
    return request.if_none_match.contains_weak(etag) if request.if_none_match else False


def _stored_version(environ: dict, key: PageKey, root: str) -> int | None:
    """The article page version an article page at this address is stored under, or None
    when it is not stored: kept by the content version (no page version triggers), with a
    query string, or at another script root than the stored pages'."""
    if not key[1].startswith("a") or environ.get("QUERY_STRING") \
            or environ.get("SCRIPT_NAME", "").rstrip("/") != root:
        return None
    return int(key[1][1:])


_KEY = "factcheck.page_cache_key"  # in the WSGI environ: the key a missed page is kept under


def _page_url(environ: dict) -> str:
    """The address as the client asked for it (scheme, host, path, query), the cache's key."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    url = (f"{environ.get('wsgi.url_scheme', 'http')}://{host}"
           f"{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}")
    query = environ.get("QUERY_STRING")
    return f"{url}?{query}" if query else url


class CachedPages:
    """WSGI middleware in front of Flask: answers an anonymous GET from the cache.

    A kept page is sent before Flask builds a request, opens a session or
    matches a URL, so a hit costs about what ``/healthz`` does. The address is
    matched to its endpoint first (a few microseconds): requests for endpoints
    that are never kept go straight to Flask, without reading a version or
    asking Redis. A miss carries its key in the environ, read once here, to the
    Flask side, which keeps the rendered page under it.

    The version in the key is read before the page is rendered, so a change
    committed meanwhile leaves the page under an older version, never asked for again.
    """

    #: How often to look again whether the page version triggers are in place.
    TRIGGER_CHECK_SECONDS = 60.0

    def __init__(self, wsgi_app, engine: Engine, cache: PageCache, shared: SharedPages | None, *,
                 url_map: Map, endpoints: frozenset[str], connect_args: dict | None = None,
                 stored: tuple[str, str] | None = None) -> None:
        self.wsgi_app = wsgi_app
        self.engine = engine
        self.read = number_reader(engine, connect_args)
        self.cache = cache
        self.shared = shared
        # (script root, release) of the article pages kept in the database; None: not used.
        self.stored = stored
        self.url_map = url_map
        self.endpoints = endpoints
        self._triggers_checked_at: float | None = None
        self._triggers_found = False

    def version(self) -> int:
        """The content version: what every kept page but an article's is keyed by."""
        return self.read(VERSION_READ, ()) or 0

    def article_version(self, article_id: int) -> int | None:
        """The article's page version, or None when the article has none (missing, or
        the triggers keeping the versions are not in place)."""
        if not self._page_version_triggers_found():
            return None
        return self.read(page_versions.READ, (article_id,))

    def __call__(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("HTTP_COOKIE") \
                or "HTTP_AUTHORIZATION" in environ:
            return self.wsgi_app(environ, start_response)
        kept = self._kept_endpoint(environ)
        if kept is None:
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        try:
            key = (_page_url(environ), self._version_of(*kept))
        except (self.engine.dialect.loaded_dbapi.Error, DBAPIError) as error:
            # No schema yet, or no database: Flask answers (the schema check or the error page says so).
            log.warning("page cache: no version read (%s: %s)", type(error).__name__, error)
            return self.wsgi_app(environ, start_response)
        page, source = self.cache.get(key), "hit"
        if page is None and self.shared is not None:
            page = self.shared.get(key)
            if page is not None:
                self.cache.put(key, page)
        if page is None and self.stored is not None and kept[0] == ARTICLE_PAGE:
            page, source = self._stored_page(environ, kept[1]["article_id"], key), "stored"
            if page is not None:
                self.cache.put(key, page)
        if page is None:
            environ[_KEY] = key
            return self.wsgi_app(environ, start_response)
        return self._send(environ, start_response, page, started, source)

    def _stored_page(self, environ: dict, article_id: int, key: PageKey) -> CachedPage | None:
        """The article's page as kept in the database, if it was rendered at its current
        version by this release for this address."""
        root, release = self.stored
        version = _stored_version(environ, key, root)
        if version is None:
            return None
        try:
            row = self.read.row(stored_pages.READ, (article_id, version, release))
        except (self.engine.dialect.loaded_dbapi.Error, DBAPIError) as error:  # no table yet: render
            log.warning("page cache: no stored page read (%s: %s)", type(error).__name__, error)
            return None
        if row is None:
            return None
        etag, body = row
        return CachedPage(stored_pages.expand(bytes(body)), stored_pages.CONTENT_TYPE, etag, stored_pages.VARY)

    def _kept_endpoint(self, environ: dict) -> tuple[str, dict] | None:
        """The endpoint and its arguments when the address is one of the kept endpoints'
        (a health probe, a static file or the sign-in page never is): only those cost
        a version read and a look in Redis."""
        try:
            endpoint, args = self.url_map.bind_to_environ(environ).match(method="GET")
        except HTTPException:  # not found, or a redirect: Flask answers, nothing is kept
            return None
        return (endpoint, args) if endpoint in self.endpoints else None

    def _version_of(self, endpoint: str, args: dict) -> str:
        if endpoint == ARTICLE_PAGE:
            version = self.article_version(args["article_id"])
            if version is not None:
                return f"a{version}"
        return f"g{self.version()}"

    def _page_version_triggers_found(self) -> bool:
        """Whether the triggers moving article page versions are in place, looked up again
        every TRIGGER_CHECK_SECONDS: a batch-mode migration on SQLite drops a rebuilt
        table's triggers while app servers run (``flask search rebuild`` puts them back)."""
        now = time.monotonic()
        if self._triggers_checked_at is not None and now - self._triggers_checked_at < self.TRIGGER_CHECK_SECONDS:
            return self._triggers_found
        # On the cache's own reading connection: the engine's would begin a write
        # transaction on SQLite (see db.py), and this runs for every worker thread.
        check = page_versions.installed_check(self.engine.dialect.name)
        self._triggers_found = check is not None and self.read(check[0], ()) == check[1]
        self._triggers_checked_at = now  # only once the check has answered
        if not self._triggers_found:
            log.error("page cache: the article page version triggers are missing; article pages are "
                      "kept by the content version until `flask --app wsgi search rebuild` restores them")
        return self._triggers_found

    @staticmethod
    def _send(environ: dict, start_response, page: CachedPage, started: float, source: str):
        given = environ.get("HTTP_IF_NONE_MATCH")
        if given and parse_etags(given).contains_weak(page.etag):
            status, body, headers = 304, b"", []
        else:
            status, body = 200, page.body
            headers = [("Content-Type", page.content_type), ("Content-Length", str(len(body)))]
            if page.vary:
                headers.append(("Vary", page.vary))
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))
        headers += (("ETag", quote_etag(page.etag)), ("Cache-Control", "no-cache"), ("X-Page-Cache", source),
                    *SECURITY_HEADERS, ("X-Request-Id", request_id))
        start_response("200 OK" if status == 200 else "304 NOT MODIFIED", headers)
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        log_request(request_id, "GET", path, status, started)
        return [body]


def release_digest(app: Flask) -> str:
    """A digest of what renders pages (the package's code, the templates, the static
    files, the installed libraries' versions): pages kept in Redis or stored by one
    release are never served by another."""
    return _release_digest(app.template_folder or "", app.static_folder or "")


@functools.lru_cache(maxsize=8)
def _release_digest(template_folder: str, static_folder: str) -> str:
    """Read once per process (about 25 ms): the code a process runs is the code it loaded."""
    digest = hashlib.blake2b(digest_size=12)
    libraries = sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())
    digest.update("\n".join(libraries).encode())
    roots = [Path(__file__).parent, Path(template_folder), Path(static_folder)]
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _read_readers_pages_without_transaction(app: Flask, endpoints: frozenset[str]) -> None:
    """PostgreSQL: a reader's page is read in autocommit, with no BEGIN and no ROLLBACK.

    Each is a round trip to the server, two of the five or six a quote page made, and
    on a busy machine every round trip waits for the server's turn on a CPU. Nothing is
    lost: under READ COMMITTED, PostgreSQL's default, each statement sees its own
    snapshot inside a transaction too, and these pages only read (what the page cache
    keeps must not depend on who asked). Signed-in users' pages are left in a transaction.
    """

    @app.before_request
    def read_in_autocommit():
        if request.method in ("GET", "HEAD") and request.endpoint in endpoints and _is_anonymous_request() \
                and not db.session().in_transaction():  # (a test's session may have begun one already)
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def register(app: Flask) -> None:
    """Serve and keep anonymous readers' pages (PAGE_CACHE_BYTES; 0 turns it off)."""
    max_bytes = int(app.config.get("PAGE_CACHE_BYTES", 64 * 1024 * 1024))
    endpoints = frozenset(app.config.get("PAGE_CACHE_ENDPOINTS", DEFAULT_ENDPOINTS))
    with app.app_context():
        engine = db.engine
    track_writes(engine)
    if engine.dialect.name == "postgresql":
        _read_readers_pages_without_transaction(app, endpoints)
    if max_bytes <= 0:
        return
    cache = PageCache(max_bytes)
    shared_url = app.config.get("PAGE_CACHE_REDIS_URL", app.config.get("REDIS_URL"))
    shared = SharedPages(shared_url, ttl=int(app.config.get("PAGE_CACHE_TTL", 3600)),
                         database=app.config["SQLALCHEMY_DATABASE_URI"],
                         release=release_digest(app)) if shared_url else None
    # Article pages kept in the database (stored_pages.py): read here, stored after a render.
    stored = (stored_pages.script_root(app), release_digest(app)) \
        if app.config.get("STORE_ARTICLE_PAGES", True) and ARTICLE_PAGE in endpoints else None
    app.extensions["factcheck_page_cache"] = cache
    app.extensions["factcheck_shared_pages"] = shared
    app.wsgi_app = CachedPages(app.wsgi_app, engine, cache, shared, url_map=app.url_map, endpoints=endpoints,
                               connect_args=app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args"),
                               stored=stored)

    @app.after_request
    def keep_page(response: Response) -> Response:
        if request.endpoint not in endpoints or request.method != "GET":
            return response
        if not _is_anonymous_request():
            response.headers.setdefault("Cache-Control", "private, no-cache")
            return response
        key = request.environ.get(_KEY)
        if key is None:
            return response
        response.headers["X-Page-Cache"] = "miss"
        if response.status_code != 200 or response.direct_passthrough or \
                "Set-Cookie" in response.headers or response.is_streamed:
            return response
        body = response.get_data()
        etag = stored_pages.page_etag(body)
        vary = ", ".join(sorted({*response.vary, "Cookie", "Authorization"}))
        page = CachedPage(body, response.content_type, etag, vary)
        cache.put(key, page)
        if shared is not None:
            shared.put(key, page)
        version = _stored_version(request.environ, key, stored[0]) \
            if stored is not None and request.endpoint == ARTICLE_PAGE else None
        if version is not None:
            # After the response has gone out: the reader does not wait for the write.
            article_id = request.view_args["article_id"]
            response.call_on_close(
                lambda: stored_pages.store_rendered(engine, article_id, version, stored[1], body))
        response.set_etag(etag)
        response.headers["Vary"] = vary
        response.headers.setdefault("Cache-Control", "no-cache")
        if _etag_matches(etag):
            return Response(status=304, headers={"ETag": response.headers["ETag"],
                                                 "Cache-Control": response.headers["Cache-Control"],
                                                 "Vary": vary, "X-Page-Cache": "miss"})
        return response
