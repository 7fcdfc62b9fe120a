"""Jobs on a real Redis queue, carried out by real `flask worker` processes.

Skipped (with the reason) when FACTCHECK_TEST_REDIS_URL is not set; `.ci/run`
sets it to this machine's Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factcheck.db import db, reading_only
from factcheck.models import Article, Job, JobState, Quote, StoredArticlePage
from factcheck.services import jobs
from factcheck.worker import dispatch

REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="FACTCHECK_TEST_REDIS_URL is not set")
TEXT = ('"We cannot keep patching this structure," said Mayor Ingrid Halvorsen. '
        '"This is the cheapest day to fix it," she added.')


@pytest.fixture
def queued_app(app):
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()
    app.config["REDIS_URL"] = REDIS_URL
    return app


def worker(app, *extra_args, **extra_env) -> subprocess.Popen:
    env = {
        **os.environ,
        "FACTCHECK_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "FACTCHECK_REDIS_URL": REDIS_URL,
        "FACTCHECK_SECRET_KEY": "test",
        "FACTCHECK_SCHEMA_CHECK": "false",
        **extra_env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker", *extra_args],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def kill_with_children(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse (RQ gives the horse its own session)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == process.pid:
            children.append(int(stat.parent.name))
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)


def wait_for(predicate, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def job_state(app, job_id: int) -> JobState:
    # A read-only unit: on SQLite any other unit takes the write lock, which the
    # worker holds while it sits at the failpoint.
    with app.app_context(), reading_only():
        db.session.remove()
        return db.session.get(Job, job_id).state


def counts(app) -> tuple[int, int]:
    with app.app_context(), reading_only():
        db.session.remove()
        return (db.session.scalar(select(func.count()).select_from(Article)),
                db.session.scalar(select(func.count()).select_from(Quote)))


def submit(app, text: str = TEXT) -> int:
    with app.app_context():
        job = jobs.submit_job(db.session, "ingest_article", {"text": text, "title": "Bridge"})
        db.session.commit()
        dispatch(job)
        assert job.state is JobState.QUEUED, "with a queue configured nothing runs inline"
        return job.id


MODES = pytest.mark.parametrize("mode", [(), ("--no-fork",)], ids=["fork", "no-fork"])


@MODES
def test_worker_carries_out_queued_jobs(queued_app, mode):
    ids = [submit(queued_app, TEXT + f" Story number {n}.") for n in range(3)]
    process = worker(queued_app, "--burst", *mode)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode()
    assert [job_state(queued_app, i) for i in ids] == [JobState.DONE] * 3
    assert counts(queued_app)[0] == 3
    # The worker rendered each article's page for readers once its job had committed,
    # at the version the article is at now.
    with queued_app.app_context():
        stored = {row.article_id: row.version for row in db.session.scalars(select(StoredArticlePage))}
        current = dict(db.session.execute(text("SELECT article_id, version FROM article_page_versions")).all())
    assert len(stored) == 3 and stored == current
    # The pages were rendered on the pages queue, only once no job of the desk's waited.
    lines = output.decode().splitlines()
    done = [n for n, line in enumerate(lines) if '"job done"' in line]
    rendered = [n for n, line in enumerate(lines) if '"stored pages rendered"' in line]
    assert len(done) == 3 and rendered and max(done) < min(rendered)


@MODES
def test_killed_worker_leaves_nothing_half_written_and_retry_completes(queued_app, mode):
    job_id = submit(queued_app)
    process = worker(queued_app, *mode, FACTCHECK_FAILPOINT="before-commit", FACTCHECK_FAILPOINT_SECONDS="60")
    try:
        wait_for(lambda: job_state(queued_app, job_id) is JobState.RUNNING)
        time.sleep(2.0)  # the article and its quotes are flushed, not committed
        assert counts(queued_app) == (0, 0)
    finally:
        kill_with_children(process)
    assert counts(queued_app) == (0, 0), "a killed worker left part of an article behind"
    assert job_state(queued_app, job_id) is JobState.RUNNING

    with queued_app.app_context():
        job = db.session.get(Job, job_id)
        job.started_at -= jobs.STALE_AFTER + timedelta(minutes=1)  # its worker is gone
        jobs.requeue(job)
        db.session.commit()
        dispatch(job)
    process = worker(queued_app, "--burst", *mode)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode()
    assert job_state(queued_app, job_id) is JobState.DONE
    articles, quotes = counts(queued_app)
    assert articles == 1 and quotes >= 1


def _ingest_inline(app, count: int) -> None:
    """Articles stored without a job, so no page of theirs is stored (a bulk load, or a deploy's outdated pages)."""
    from factcheck.models import ArticleSource
    from factcheck.services.ingestion import ArticleInput, ingest_article

    with app.app_context():
        for n in range(count):
            ingest_article(db.session, ArticleInput(source=ArticleSource.PASTE, text=TEXT + f" Story {n}.",
                                                    title=f"Bridge {n}"))
        db.session.commit()


@MODES
def test_a_starting_worker_renders_every_missing_or_outdated_page_a_batch_at_a_time(queued_app, mode):
    from factcheck.pagecache import release_digest

    _ingest_inline(queued_app, 5)
    with queued_app.app_context():
        db.session.add(StoredArticlePage(article_id=db.session.scalar(select(func.min(Article.id))), version=1,
                                         release="the release before", etag="e", body=b"x"))
        db.session.commit()
    process = worker(queued_app, "--burst", *mode, FACTCHECK_STORED_PAGES_BATCH="2")
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode()
    with queued_app.app_context():
        stored = {row.article_id: (row.version, row.release) for row in db.session.scalars(select(StoredArticlePage))}
        current = dict(db.session.execute(text("SELECT article_id, version FROM article_page_versions")).all())
        release = release_digest(queued_app)
    assert stored == {article_id: (version, release) for article_id, version in current.items()}
    assert len(stored) == 5
    assert output.decode().count("stored pages rendered") >= 3  # 2 + 2 + 1: three batches, one job each


def test_one_worker_of_a_release_queues_the_rendering_and_another_release_leaves_it(queued_app, monkeypatch):
    from redis import Redis
    from rq import Queue

    from factcheck import worker as worker_module

    _ingest_inline(queued_app, 2)
    redis = Redis.from_url(REDIS_URL)
    assert worker_module.queue_outdated_pages(queued_app, redis)
    assert not worker_module.queue_outdated_pages(queued_app, redis)  # a second worker starting
    assert len(Queue(worker_module.PAGES_QUEUE_NAME, connection=redis)) == 1
    monkeypatch.setattr(worker_module, "_worker_app", queued_app)
    monkeypatch.setattr(worker_module, "_worker_pid", os.getpid())
    assert worker_module.render_outdated_pages("another release", 0) == 0
    with queued_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredArticlePage)) == 0


def test_a_worker_starts_even_when_the_outdated_pages_cannot_be_queued(queued_app, caplog):
    from redis import Redis

    from factcheck import worker as worker_module

    _ingest_inline(queued_app, 1)
    unreachable = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    worker_module._queue_outdated_pages_or_log(queued_app, unreachable)  # no exception
    assert "outdated pages not queued" in caplog.text
