"""The page cache: anonymous readers get kept pages, never stale ones, never a desk member's."""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import event, text, update

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import ArticleSource, Job, Quote, ReviewStatus, Verdict
from factcheck import page_versions, stored_pages
from factcheck.pagecache import VERSION_READ as READ
from factcheck.pagecache import CachedPage, CachedPages, SharedPages, content_version, number_reader
from factcheck.services.ingestion import ArticleInput, ingest_article

TEXT = ("The council met on Tuesday.\n\n"
        "“We will open the bridge in the spring,” said Maria Lopez, the mayor.\n\n"
        "Others disagreed. “The budget does not allow it,” said Tom Baker.")


@pytest.fixture
def article(app):
    with app.app_context():
        result = ingest_article(db.session, ArticleInput(source=ArticleSource.PASTE, text=TEXT,
                                                         title="Bridge <b>plans</b>"))
        db.session.commit()
        return result.article.id, [q.id for q in result.article.quotes]


def reader(app):
    """A fresh browser with no cookies."""
    return app.test_client()


def page_cache_middleware(app) -> CachedPages:
    middleware = app.wsgi_app
    while not isinstance(middleware, CachedPages):  # the page cache sits under the other middleware
        middleware = middleware.wsgi_app
    return middleware


def version(app) -> int:
    with app.app_context():
        return content_version(db.engine)


def test_second_anonymous_request_is_served_from_the_cache(app, article):
    article_id, _ = article
    first = reader(app).get(f"/articles/{article_id}")
    second = reader(app).get(f"/articles/{article_id}")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
    assert "Cookie" in second.headers["Vary"] and second.headers["Cache-Control"] == "no-cache"
    assert "Content-Security-Policy" in second.headers and "X-Request-Id" in second.headers


def test_a_kept_page_is_answered_like_any_other_request(app, article, caplog):
    """A hit skips Flask: it must still carry the request id, the headers and one log line."""
    article_id, _ = article
    url = f"/articles/{article_id}"
    reader(app).get(url)
    with caplog.at_level("INFO", logger="factcheck.access"):
        hit = reader(app).get(url, headers={"X-Request-Id": "desk-check-42"})
    assert hit.headers["X-Page-Cache"] == "hit" and hit.headers["X-Request-Id"] == "desk-check-42"
    assert hit.headers["X-Frame-Options"] == "SAMEORIGIN" and hit.headers["X-Content-Type-Options"] == "nosniff"
    assert int(hit.headers["Content-Length"]) == len(hit.get_data()) and hit.mimetype == "text/html"
    (line,) = [record for record in caplog.records if record.name == "factcheck.access"]
    assert line.fields["request_id"] == "desk-check-42" and line.fields["status"] == 200
    assert line.fields["path"] == url
    forged = reader(app).get(url, headers={"X-Request-Id": "<script>"})
    assert forged.headers["X-Request-Id"] != "<script>"


def test_a_request_with_any_cookie_is_never_answered_from_the_cache(app, article):
    article_id, _ = article
    url = f"/articles/{article_id}"
    reader(app).get(url)
    assert reader(app).get(url).headers["X-Page-Cache"] == "hit"
    with_cookie = app.test_client()
    with_cookie.set_cookie("tracking", "1")
    assert "X-Page-Cache" not in with_cookie.get(url).headers


def test_matching_etag_gets_304(app, article):
    article_id, _ = article
    etag = reader(app).get(f"/articles/{article_id}").headers["ETag"]
    for _ in range(2):  # the miss path, then the hit path
        again = reader(app).get(f"/articles/{article_id}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag


@pytest.mark.parametrize("how", ["orm", "core"])
def test_a_committed_verdict_is_shown_at_once(app, article, how):
    _, quote_ids = article
    url = f"/quotes/{quote_ids[0]}"
    before = reader(app).get(url)
    assert reader(app).get(url).headers["X-Page-Cache"] == "hit"
    assert "Misquoted" not in before.get_data(as_text=True)
    with app.app_context():
        if how == "orm":
            quote = db.session.get(Quote, quote_ids[0])
            quote.verdict, quote.status = Verdict.MISQUOTED, ReviewStatus.PUBLISHED
            quote.published_at = quote.created_at
        else:
            db.session.execute(update(Quote).where(Quote.id == quote_ids[0]).values(
                verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED, published_at=Quote.created_at))
        db.session.commit()
    after = reader(app).get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["X-Page-Cache"] == "miss"
    assert "Misquoted" in after.get_data(as_text=True)


def test_versions_move_only_with_committed_content(app, article):
    start = version(app)
    with app.app_context():
        db.session.add(Job(kind="rematch", payload={}))
        db.session.commit()
    assert version(app) == start  # job bookkeeping is not content
    with app.app_context():
        db.session.execute(update(Quote).values(flagged=True))
        db.session.rollback()
    assert version(app) == start
    with app.app_context():
        db.session.execute(update(Quote).values(flagged=True))
        db.session.execute(update(Quote).values(flagged=False))
        db.session.commit()
    assert version(app) == start + 1  # one transaction, one bump


def test_the_quick_version_read_agrees_with_the_database(app, article):
    """The cache's own read (a connection per thread outside the pool) sees every
    commit at once, and survives the engine being disposed."""
    with app.app_context():
        read = number_reader(db.engine)
        assert read(READ, ()) == content_version(db.engine)
        db.session.execute(update(Quote).values(flagged=True))
        db.session.commit()
        assert read(READ, ()) == content_version(db.engine)
        db.engine.dispose()
        assert read(READ, ()) == content_version(db.engine)


def _reader_connection(read):
    connection = read.connection()
    assert connection is not None
    return connection


def test_the_version_read_holds_no_transaction_and_survives_a_cut_connection(app, article):
    """PostgreSQL: the reader's own connection sits idle between reads (autocommit: no
    snapshot kept, nothing for VACUUM to wait on), and when the server ends it the next
    read opens a new one instead of failing."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the server cutting a connection is PostgreSQL's case (SQLite has no server)")
    with app.app_context():
        read = number_reader(db.engine)
        expected = content_version(db.engine)
        assert read(READ, ()) == expected
        pid = _reader_connection(read).info.backend_pid
        state = db.session.execute(
            text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar()
        assert state == "idle"
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
        assert read(READ, ()) == expected
        assert _reader_connection(read).info.backend_pid != pid
        read.close()


def test_the_version_read_connects_with_the_engines_own_connect_args(app, article):
    """Whatever the deployment gives its engine (SSL, timeouts, search_path) holds for
    the cache's own connection too: here PostgreSQL's application_name, or SQLite's
    busy timeout."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            read = number_reader(db.engine, {"application_name": "factcheck page versions"})
            assert read(READ, ()) == content_version(db.engine)
            pid = read.connection().info.backend_pid
            name = db.session.execute(text("SELECT application_name FROM pg_stat_activity WHERE pid = :pid"),
                                      {"pid": pid}).scalar()
            assert name == "factcheck page versions"
        else:
            read = number_reader(db.engine, {"timeout": 7.5})
            assert read(READ, ()) == content_version(db.engine)
            assert read.connection().execute("PRAGMA busy_timeout").fetchone()[0] == 7500
        read.close()


def test_threads_reading_at_once_each_get_the_version(app, article):
    """Eight threads reading at once all get the right number: on SQLite each on a
    connection of its own, on PostgreSQL one at a time on the process's one connection."""
    with app.app_context():
        read = number_reader(db.engine)
        expected = content_version(db.engine)
        results, connections = [], []

        def reader_thread():
            results.extend(read(READ, ()) for _ in range(50))
            connections.append(read.connection())

        threads = [threading.Thread(target=reader_thread) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [expected] * 400
        assert len({id(connection) for connection in connections}) == (
            1 if db.engine.dialect.name == "postgresql" else 8)
        read.close()


def test_a_forked_child_leaves_its_parents_reading_connections_open(app, article, monkeypatch):
    """A worker process forked after the parent read (RQ's job processes) disposes the
    engine it inherited; closing the parent's connections from there would end them
    for the parent too (a PostgreSQL connection's socket is shared)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the pool empty, so the child's dispose drops no pooled connection
        read = number_reader(db.engine)
        expected = read(READ, ())
        connection = _reader_connection(read)
        parent = os.getpid()
        monkeypatch.setattr(os, "getpid", lambda: parent + 1)  # as seen from a child
        db.engine.dispose(close=False)
        monkeypatch.undo()
        cursor = connection.cursor()
        cursor.execute(READ)
        assert cursor.fetchall()[0][0] == expected  # still open
        cursor.close()
        connection.close()


def test_signed_in_pages_are_never_kept_or_shown_to_readers(app, client, users, article):
    article_id, _ = article
    url = f"/articles/{article_id}"
    anonymous = reader(app).get(url)
    client.login("ed")
    desk = client.get(url)
    assert desk.status_code == 200 and "X-Page-Cache" not in desk.headers
    assert "Sign out" in desk.get_data(as_text=True)
    assert "private" in desk.headers["Cache-Control"]
    for _ in range(2):  # signing in wrote last_login_at: a miss, then a hit
        again = reader(app).get(url)
        assert again.get_data() == anonymous.get_data()
        assert "Sign out" not in again.get_data(as_text=True)
    assert again.headers["X-Page-Cache"] == "hit"


def test_api_reads_without_a_token_are_kept_too(app, article):
    _, quote_ids = article
    first = reader(app).get(f"/api/v1/quotes/{quote_ids[0]}")
    second = reader(app).get(f"/api/v1/quotes/{quote_ids[0]}")
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert second.mimetype == "application/json" and second.get_json() == first.get_json()


def test_a_bearer_token_bypasses_the_cache(app, article):
    article_id, _ = article
    reader(app).get(f"/articles/{article_id}")
    response = reader(app).get(f"/articles/{article_id}", headers={"Authorization": "Bearer x"})
    assert "X-Page-Cache" not in response.headers


def test_missing_pages_are_not_kept(app):
    assert reader(app).get("/articles/999").status_code == 404
    assert reader(app).get("/articles/999").headers.get("X-Page-Cache") != "hit"


REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL")


def app_server(app, redis_url: str):
    """Another app server on the same database, with a Redis for its page cache."""
    keep = ("TESTING", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "SCHEMA_CHECK", "RATELIMIT_ENABLED")
    return create_app({**{name: app.config[name] for name in keep}, "REDIS_URL": redis_url})


def test_readers_pages_are_read_in_autocommit_on_postgresql(app, article, users, client):
    """No BEGIN and no ROLLBACK round trips for a reader's page; a signed-in user's page
    and every write still run in a transaction, and the pool gets its connections back
    as they were."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL's case: SQLite runs in the process, a BEGIN costs no round trip")
    article_id, quote_ids = article
    with app.app_context():
        engine = db.engine
    seen = []

    def note(connection, cursor, statement, parameters, context, executemany):
        seen.append(connection.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", note)
    try:
        for url in (f"/quotes/{quote_ids[0]}", f"/articles/{article_id}", "/search?q=bridge",
                    f"/api/v1/quotes/{quote_ids[0]}"):
            seen.clear()
            assert reader(app).get(url).status_code == 200, url
            assert seen and all(seen), url
        client.login("ed")
        seen.clear()
        assert client.get(f"/quotes/{quote_ids[0]}").status_code == 200
        assert seen and not any(seen)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.autocommit is False


@pytest.mark.skipif(not REDIS_URL, reason="FACTCHECK_TEST_REDIS_URL is not set")
def test_app_servers_share_pages_through_redis_and_a_commit_reaches_all(app, article):
    _, quote_ids = article
    url = f"/quotes/{quote_ids[0]}"
    one, two = app_server(app, REDIS_URL), app_server(app, REDIS_URL)
    first = one.test_client().get(url)
    assert one.extensions["factcheck_shared_pages"].flush()  # written to Redis by a thread of its own
    second = two.test_client().get(url)
    assert (first.headers["X-Page-Cache"], second.headers["X-Page-Cache"]) == ("miss", "hit")
    assert first.get_data() == second.get_data()
    with one.app_context():
        quote = db.session.get(Quote, quote_ids[0])
        quote.verdict, quote.status = Verdict.MISATTRIBUTED, ReviewStatus.PUBLISHED
        quote.published_at = quote.created_at
        db.session.commit()
    after = two.test_client().get(url)
    assert after.headers["X-Page-Cache"] == "miss" and "Misattributed" in after.get_data(as_text=True)
    for server in (one, two):
        with server.app_context():
            db.engine.dispose()


@pytest.mark.skipif(not REDIS_URL, reason="FACTCHECK_TEST_REDIS_URL is not set")
def test_pages_are_written_to_redis_by_a_thread_of_their_own():
    shared = SharedPages(REDIS_URL, ttl=60, database=f"test-{os.getpid()}-{time.monotonic()}")
    pages = {(f"http://localhost/quotes/{n}", "g7"): CachedPage(f"page {n}".encode(), "text/html", f"e{n}", None)
             for n in range(300)}
    for key, page in pages.items():
        shared.put(key, page)
    assert shared.flush()
    assert all(shared.get(key) == page for key, page in pages.items())
    assert [thread.name for thread in threading.enumerate()].count("factcheck-page-writer") >= 1
    # Another version of the same address is another page.
    assert shared.get(("http://localhost/quotes/0", "g8")) is None
    shared.redis.delete(*(shared._key(key) for key in pages))


@pytest.mark.skipif(not REDIS_URL, reason="FACTCHECK_TEST_REDIS_URL is not set")
def test_the_redis_writer_outlives_a_batch_that_fails_unexpectedly(monkeypatch):
    shared = SharedPages(REDIS_URL, ttl=60, database=f"test-{os.getpid()}-{time.monotonic()}")
    page = CachedPage(b"page", "text/html", "e", None)
    real = shared.redis.pipeline
    calls = []

    def pipeline_failing_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise ValueError("not a Redis error")
        return real(**kwargs)

    monkeypatch.setattr(shared.redis, "pipeline", pipeline_failing_once)
    shared.put(("http://localhost/quotes/1", "g1"), page)
    assert shared.flush()
    shared.put(("http://localhost/quotes/2", "g1"), page)
    assert shared.flush()
    assert shared.get(("http://localhost/quotes/1", "g1")) is None  # that batch was lost
    assert shared.get(("http://localhost/quotes/2", "g1")) == page
    shared.redis.delete(shared._key(("http://localhost/quotes/2", "g1")))


def test_a_page_put_while_redis_is_down_never_holds_up_the_request():
    shared = SharedPages("redis://127.0.0.1:1/0", ttl=60, database="nowhere")
    page = CachedPage(b"page", "text/html", "e", None)
    started = time.monotonic()
    for n in range(200):
        shared.put((f"http://localhost/quotes/{n}", "g1"), page)
    assert time.monotonic() - started < 0.5
    assert shared.flush()
    assert shared.get(("http://localhost/quotes/1", "g1")) is None  # left alone for a while after the error
    assert time.monotonic() - started < 3


def test_pages_are_served_without_redis_when_it_is_down(app, article):
    article_id, _ = article
    server = app_server(app, "redis://127.0.0.1:1/0")  # nothing listens there
    client = server.test_client()
    started = time.monotonic()
    for _ in range(3):
        response = client.get(f"/articles/{article_id}")
        assert response.status_code == 200
    assert response.headers["X-Page-Cache"] == "hit"  # the process's own cache still works
    assert time.monotonic() - started < 3
    with server.app_context():
        db.engine.dispose()


def test_addresses_that_are_never_kept_skip_the_cache_entirely(app, article, monkeypatch):
    """A health probe, a static file or an unknown address costs no version read and no look in Redis."""
    middleware = page_cache_middleware(app)
    reads = []
    read = middleware.read

    class Spy:
        def __call__(self, sql, params):
            reads.append(sql)
            return read(sql, params)

        def row(self, sql, params):
            reads.append(sql)
            return read.row(sql, params)

    monkeypatch.setattr(middleware, "read", Spy())
    for path in ("/healthz", "/static/style.css", "/login", "/no-such-page"):
        with reader(app).get(path) as response:  # a static file's body is an open file
            assert "X-Page-Cache" not in response.headers, path
    assert reads == []
    article_id, quote_ids = article
    assert reader(app).get(f"/articles/{article_id}").headers["X-Page-Cache"] == "miss"
    assert reader(app).get(f"/quotes/{quote_ids[0]}").headers["X-Page-Cache"] == "miss"
    # Whether the page version triggers are in place (first look), the article's own
    # version, its stored page (none yet); the content version.
    assert reads == [page_versions.installed_check(middleware.engine.dialect.name)[0], page_versions.READ,
                     stored_pages.READ, READ]
