"""Article pages stored in the database for readers (stored_pages.py), on both databases:
the stored page is byte for byte the page Flask renders, is served only while its article's
version and the release match, and never carries a signed-in user's view."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from flask_login import login_user
from sqlalchemy import select, update

from factcheck import stored_pages
from factcheck.db import db
from factcheck.models import Job, Quote, ReviewStatus, StoredArticlePage, User, Verdict
from factcheck.pagecache import PageCache, release_digest
from factcheck.services.jobs import submit_job
from factcheck.worker import dispatch
from tests.web.test_article_page_versions import BRIDGE, WATER, article_version, ingest
from tests.web.test_pagecache import page_cache_middleware


@pytest.fixture
def bridge(app):
    return ingest(app, BRIDGE, "Bridge plans")


def page(app, article_id: int, query: str = "", **kwargs):
    """What a reader with no cookies gets, sent and closed as a WSGI server does: what runs
    after the response (storing the page just rendered) has run on return."""
    response = app.test_client().get(f"/articles/{article_id}{query}", **kwargs)
    response.get_data()
    response.close()
    return response


def forget_kept_pages(app) -> None:
    """As another app server would be: nothing in this process's page cache."""
    page_cache_middleware(app).cache = PageCache(64 * 1024 * 1024)


def render(app, *article_ids: int) -> int:
    with app.app_context():
        return stored_pages.render(app, article_ids, release=release_digest(app))


def stored_row(app, article_id: int) -> StoredArticlePage | None:
    with app.app_context():
        row = db.session.get(StoredArticlePage, article_id)
        if row is not None:
            db.session.expunge(row)
        return row


def test_a_stored_page_is_exactly_the_page_flask_renders(app, bridge):
    article_id, _ = bridge
    assert render(app, article_id) == 1
    forget_kept_pages(app)
    served = page(app, article_id)
    assert served.status_code == 200 and served.headers["X-Page-Cache"] == "stored"
    # A query string is never answered from the store: Flask renders this one afresh.
    rendered = page(app, article_id, "?from=feed")
    assert rendered.headers["X-Page-Cache"] == "miss"
    assert served.get_data() == rendered.get_data()
    for header in ("Content-Type", "ETag", "Vary"):
        assert served.headers[header] == rendered.headers[header], header
    assert served.headers["ETag"] == f'"{hashlib.blake2b(served.get_data(), digest_size=16).hexdigest()}"'
    # The stored page answers a revalidation like any kept page.
    again = page(app, article_id, headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304


def test_a_change_is_never_served_from_the_older_stored_page(app, bridge):
    article_id, quote_ids = bridge
    render(app, article_id)
    before = stored_row(app, article_id)
    assert before.version == article_version(app, article_id)
    with app.app_context():
        db.session.execute(update(Quote).where(Quote.id == quote_ids[0]).values(
            verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED, public_note="Said in **May**."))
        db.session.commit()
    forget_kept_pages(app)
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Misquoted" in after.get_data(as_text=True)
    # The page just rendered for that reader was stored under the new version on the way out.
    now = stored_row(app, article_id)
    assert now.version == article_version(app, article_id) > before.version
    forget_kept_pages(app)
    next_reader = page(app, article_id)
    assert next_reader.headers["X-Page-Cache"] == "stored"
    assert next_reader.get_data() == after.get_data()


def test_an_older_version_never_replaces_a_newer_one(app, bridge):
    article_id, _ = bridge
    render(app, article_id)
    current = stored_row(app, article_id)
    with app.app_context(), db.engine.begin() as connection:
        stored_pages.store(connection, article_id, current.version - 1, current.release, b"<p>older</p>")
    kept = stored_row(app, article_id)
    assert (kept.version, kept.etag) == (current.version, current.etag)


def test_a_page_stored_by_another_release_is_rendered_again(app, bridge):
    article_id, _ = bridge
    version = article_version(app, article_id)
    with app.app_context(), db.engine.begin() as connection:
        stored_pages.store(connection, article_id, version, "an-earlier-release", b"<p>old template</p>")
    forget_kept_pages(app)
    served = page(app, article_id)
    assert served.headers["X-Page-Cache"] == "miss" and "old template" not in served.get_data(as_text=True)
    assert stored_row(app, article_id).release == release_digest(app)  # replaced on the way out
    forget_kept_pages(app)
    assert page(app, article_id).headers["X-Page-Cache"] == "stored"


def test_signed_in_users_never_get_a_stored_page(app, bridge, client, users):
    article_id, _ = bridge
    render(app, article_id)
    client.login("rita")
    desk = client.get(f"/articles/{article_id}")
    assert "X-Page-Cache" not in desk.headers
    assert "Review queue" in desk.get_data(as_text=True)


def test_a_job_run_in_a_signed_in_request_stores_the_readers_page(app, users):
    """Without a queue, jobs run inside the request that submitted them: the page rendered
    afterwards must be the anonymous reader's, not the signed-in reviewer's."""
    with app.test_request_context("/articles/new/paste", method="POST"):
        login_user(db.session.get(User, users["rita"]))
        job = submit_job(db.session, "ingest_article", {"source": "paste", "text": WATER, "title": "Water"})
        db.session.commit()
        job_id = job.id
        dispatch(job)
    with app.app_context():
        article_id = db.session.get(Job, job_id).result["article_id"]
    row = stored_row(app, article_id)
    assert row is not None and row.version == article_version(app, article_id)
    html = stored_pages.expand(row.body).decode()
    assert "Sign in" in html and "rita" not in html and "Review queue" not in html
    forget_kept_pages(app)
    served = page(app, article_id)
    assert served.headers["X-Page-Cache"] == "stored" and served.get_data(as_text=True) == html


def test_a_batch_job_stores_every_article_page(app):
    records = [{"source": "cli", "text": BRIDGE, "title": "Bridge"}, {"source": "cli", "text": WATER, "title": "Water"},
               {"source": "cli", "text": "", "title": "Empty"}]
    with app.app_context():
        job = submit_job(db.session, "ingest_articles", {"articles": records})
        db.session.commit()
        dispatch(job)
        ids = [item["article_id"] for item in db.session.get(Job, job.id).result["articles"] if "article_id" in item]
    assert len(ids) == 2
    for article_id in ids:
        assert stored_row(app, article_id).version == article_version(app, article_id)


def test_pages_render_fills_what_is_missing_or_outdated(app, runner, bridge):
    article_id, quote_ids = bridge
    water_id, _ = ingest(app, WATER, "Water")
    assert "0 of 2 article pages stored" in runner.invoke(args=["pages", "status"]).output
    first = runner.invoke(args=["pages", "render"])
    assert first.exit_code == 0 and first.output.startswith("2 article pages rendered"), first.output
    assert "2 of 2 article pages stored and current; 0 to render" in runner.invoke(args=["pages", "status"]).output
    assert runner.invoke(args=["pages", "render"]).output.startswith("0 article pages rendered")
    with app.app_context():
        db.session.execute(update(Quote).where(Quote.id == quote_ids[0]).values(role="the town's mayor"))
        db.session.commit()
    again = runner.invoke(args=["pages", "render"])
    assert again.output.startswith("1 article pages rendered"), again.output
    assert "the town&#39;s mayor" in stored_pages.expand(stored_row(app, article_id).body).decode()
    assert stored_row(app, water_id).version == article_version(app, water_id)


def test_nothing_is_stored_when_turned_off(app, bridge, tmp_path, request):
    from factcheck.app import create_app
    from tests.conftest import make_config

    config = make_config(request.node.callspec.params["app"], tmp_path, request)
    config.update(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], STORE_ARTICLE_PAGES=False)
    off = create_app(config)
    article_id, _ = bridge
    render(app, article_id)
    served = off.test_client().get(f"/articles/{article_id}")
    assert served.headers["X-Page-Cache"] == "miss"
    refused = off.test_cli_runner().invoke(args=["pages", "render"])
    assert refused.exit_code == 1 and "STORE_ARTICLE_PAGES is off" in refused.output
    with off.app_context():
        db.engine.dispose()


def test_a_reader_never_waits_on_sqlites_write_lock_to_store_a_page(app, bridge):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the write lock is SQLite's (PostgreSQL locks rows)")
    article_id, _ = bridge
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a worker in the middle of a batch
    try:
        served = page(app, article_id)
        assert served.status_code == 200 and served.headers["X-Page-Cache"] == "miss"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert stored_row(app, article_id) is None  # given up, not waited for
    with app.app_context(), db.engine.connect() as connection:
        # The connection went back to the pool with its usual wait for the lock.
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_a_deleted_article_takes_its_stored_page_with_it(app):
    article_id, _ = ingest(app, "Nothing is quoted here.", "Quiet")
    render(app, article_id)
    assert stored_row(app, article_id) is not None
    with app.app_context():
        from factcheck.models import Article

        db.session.delete(db.session.get(Article, article_id))
        db.session.commit()
        assert db.session.scalar(select(StoredArticlePage.article_id)) is None


def test_an_article_deleted_while_pages_are_rendered_leaves_the_others_stored(app, monkeypatch):
    from factcheck.models import Article

    first, _ = ingest(app, "Nothing is quoted here.", "Quiet")
    second, _ = ingest(app, "Nor here.", "Quieter")
    render_page = stored_pages.render_page

    def deleting_the_first(app_, article_id):
        if article_id == second:  # the first one is rendered, not stored yet
            with app.app_context():
                db.session.delete(db.session.get(Article, first))
                db.session.commit()
        return render_page(app_, article_id)

    monkeypatch.setattr(stored_pages, "render_page", deleting_the_first)
    assert render(app, first, second) == 1
    assert stored_row(app, first) is None and stored_row(app, second) is not None


def test_flask_ingest_stores_the_pages_of_the_articles_it_created(app, runner, tmp_path):
    (tmp_path / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (tmp_path / "water.txt").write_text(WATER, encoding="utf-8")
    result = runner.invoke(args=["ingest", str(tmp_path / "bridge.txt"), str(tmp_path / "water.txt")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = {row.article_id: row.version for row in db.session.scalars(select(StoredArticlePage))}
    assert len(stored) == 2
    assert all(version == article_version(app, article_id) for article_id, version in stored.items())
