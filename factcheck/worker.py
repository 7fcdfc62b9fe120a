"""Running jobs: on an RQ worker when Redis is configured, inline otherwise.

This is an edge like a view or a command: it owns the transactions. A job is
marked running in one commit; its work and its "done" state are committed
together; a failure rolls the work back and records the reason.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import time

from flask import Flask, current_app

from .content import IngestError
from .content.fetch import FetchOptions
from . import stored_pages
from .db import db, reading_only
from .models import Job, JobState
from .services import jobs

log = logging.getLogger("factcheck.jobs")
QUEUE_NAME = "factcheck"
#: Rendering readers' pages ahead: taken only while no job of the desk's waits (RQ workers
#: empty their queues in the order given).
PAGES_QUEUE_NAME = "factcheck-pages"
# Set by `flask worker` so forked work horses reuse the parent's configured app.
_worker_app: Flask | None = None
_worker_pid: int | None = None  # the `flask worker` process itself (not a forked work horse)


def job_context() -> jobs.JobContext:
    return jobs.JobContext(fetch_options=FetchOptions.from_config(current_app.config),
                           max_bytes=current_app.config["MAX_ARTICLE_BYTES"])


def dispatch(job: Job) -> None:
    """Hand a committed job to the queue, or run it now when there is no queue."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        run(job.id)
        return
    from redis.exceptions import RedisError

    try:
        queue(redis_url).enqueue(
            "factcheck.worker.perform", job.id,
            job_id=f"factcheck-job-{job.id}-{job.attempts}",
            job_timeout=current_app.config.get("JOB_TIMEOUT", 600),
            result_ttl=3600, failure_ttl=7 * 24 * 3600,
        )
    except RedisError as error:
        # Failed, not left "queued" for ever: the user sees why and can retry it later.
        _record_failure(job.id, "The job queue (Redis) could not be reached "
                                f"({error.__class__.__name__}); retry the job once it is back.")


def queue(redis_url: str, name: str = QUEUE_NAME):
    from redis import Redis
    from rq import Queue

    # Bounded waits: a request must not hang on an unreachable queue.
    return Queue(name, connection=Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=10))


def pages_queue(redis_url: str):
    return queue(redis_url, PAGES_QUEUE_NAME)


def run(job_id: int, *, pages_later: bool = False) -> Job | None:
    """Carry out one job in the current app context; then render the pages of the articles
    it created, now, or (``pages_later``, on a queue) in a job of the pages queue."""
    session = db.session
    job = session.get(Job, job_id)
    if job is None or job.state.value == "done":
        return job  # already carried out by an earlier attempt: nothing to repeat
    jobs.mark_running(job)
    session.commit()
    log.info("job started", extra={"fields": {"job_id": job.id, "kind": job.kind,
                                              "attempt": job.attempts}})
    try:
        jobs.perform(session, job, job_context())
        articles = _stored_articles(job.result)
        _failpoint("before-commit")
        session.commit()
    except (IngestError, jobs.JobError) as error:
        _record_failure(job_id, str(error))
    except Exception as error:  # the reason is kept on the job for the user to see
        log.exception("job failed", extra={"fields": {"job_id": job_id}})
        _record_failure(job_id, f"{error.__class__.__name__}: {error}")
    else:
        if job.state is JobState.FAILED:  # a batch with failed articles: the rest is stored
            log.warning("job failed", extra={"fields": {"job_id": job.id, "reason": job.error}})
        else:
            result = {k: v for k, v in (job.result or {}).items() if k != "articles"}
            log.info("job done", extra={"fields": {"job_id": job.id, "result": result}})
        # Reading the job back began a transaction (on SQLite, one holding the write lock):
        # ended before the pages are stored on another connection.
        session.rollback()
        if pages_later:
            _queue_pages(articles)
        else:
            stored_pages.render_new_articles(articles)
    return session.get(Job, job_id)


def _queue_pages(article_ids: list[int]) -> None:
    """Queue the rendering of new articles' pages behind the desk's waiting jobs: a bulk
    load's articles are all stored and matched first. A queue that cannot be reached
    leaves them to their first readers."""
    from redis.exceptions import RedisError

    if not article_ids or not current_app.config.get("STORE_ARTICLE_PAGES", True):
        return
    try:
        _enqueue_pages(pages_queue(current_app.config["REDIS_URL"]), "render_new_pages", sorted(set(article_ids)))
    except RedisError as error:
        log.warning("stored pages: not queued (%s)", error)


def _enqueue_pages(pages, function: str, *args) -> None:
    """A job of this module's ``function`` on the pages queue (in an app context: its timeout)."""
    pages.enqueue(f"factcheck.worker.{function}", *args, result_ttl=0,
                  job_timeout=current_app.config.get("JOB_TIMEOUT", 600))


def render_new_pages(article_ids: list[int]) -> None:
    """RQ entry point (pages queue): the pages of articles a job has just created."""
    with _job_app().app_context():
        _forget_parent_connections()
        stored_pages.render_new_articles(article_ids)


def _stored_articles(result: dict | None) -> list[int]:
    """The articles a finished job created (one, or a batch's), whose pages are rendered next."""
    result = result or {}
    found = [result, *(result.get("articles") or ())]
    return [item["article_id"] for item in found if isinstance(item.get("article_id"), int) and item.get("created")]


def _failpoint(name: str) -> None:
    """Crash tests stop a worker here (FACTCHECK_FAILPOINT=before-commit) to kill it."""
    if os.environ.get("FACTCHECK_FAILPOINT") == name:
        log.warning("failpoint reached", extra={"fields": {"failpoint": name}})
        time.sleep(float(os.environ.get("FACTCHECK_FAILPOINT_SECONDS", "60")))


def _record_failure(job_id: int, reason: str) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    jobs.mark_failed(job, reason)
    db.session.commit()
    log.warning("job failed", extra={"fields": {"job_id": job_id, "reason": reason}})


def perform(job_id: int) -> None:
    """RQ entry point: runs in a forked work horse with its own connections."""
    with _job_app().app_context():
        _forget_parent_connections()
        run(job_id, pages_later=True)


def _job_app() -> Flask:
    """The worker's configured app (a forked work horse inherits it), or a new one."""
    if _worker_app is not None:
        return _worker_app
    from .app import create_app

    return create_app()


def _forget_parent_connections() -> None:
    """In a forked work horse: connections made by the parent before the fork must not be shared."""
    if os.getpid() != _worker_pid:
        db.engine.dispose(close=False)


#: The cyclic garbage collector's thresholds in a worker (Python's default: 700, 10, 10).
GC_THRESHOLDS = (20_000, 20, 20)


def tune_collector() -> None:
    """Make the cyclic garbage collector cheaper for jobs: what start-up made is
    frozen out of its scans, and it runs after 20,000 new objects, not 700.

    An ingestion job makes millions of short-lived objects (it scores tens of
    thousands of text pairs), hardly any in cycles; with the default thresholds the
    collector took about a fifth of a job's Python time (4.5 of 22.7 ms per
    article on the 1M-quote load bench). Memory stays bounded: cycles are still
    collected, in larger batches.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def start_worker(app: Flask, *, burst: bool = False, fork: bool = True) -> None:
    """Serve the queue until stopped (`flask worker`).

    By default each job runs in a forked process, so a crash or a leak in one job
    (a parser on hostile HTML) never takes the worker with it; ``fork=False`` runs
    jobs in the worker itself, reusing its database connection (no fork and no new
    connection per job). Either way a job killed half-way stores nothing.
    """
    global _worker_app, _worker_pid
    from redis import Redis
    from rq import SimpleWorker, Worker

    redis_url = app.config.get("REDIS_URL")
    if not redis_url:
        raise RuntimeError("No queue is configured: set FACTCHECK_REDIS_URL to run a worker.")
    _worker_app = app
    _worker_pid = None if fork else os.getpid()
    tune_collector()
    connection = Redis.from_url(redis_url)
    _queue_outdated_pages_or_log(app, connection)
    worker = (Worker if fork else SimpleWorker)([QUEUE_NAME, PAGES_QUEUE_NAME], connection=connection,
                                                 name=f"factcheck-{os.getpid()}")
    worker.work(burst=burst, logging_level="WARNING")


# --- Stored pages after a deploy ----------------------------------------------

_RENDER_KEY = "factcheck:render-pages:"
#: How long a worker of the same release starting meanwhile leaves the rendering to the first.
RENDER_CLAIM_SECONDS = 3600


def _queue_outdated_pages_or_log(app: Flask, connection) -> None:
    """A worker starts whatever happens here: the pages can wait for their readers."""
    from redis.exceptions import RedisError
    from sqlalchemy.exc import SQLAlchemyError

    try:
        queue_outdated_pages(app, connection)
    except (RedisError, SQLAlchemyError) as error:
        log.warning("stored pages: outdated pages not queued (%s: %s)", type(error).__name__, error)


def queue_outdated_pages(app: Flask, connection) -> bool:
    """At a worker's start: queue the rendering of every stored article page that is
    missing or was rendered by another release (a deploy changes the release digest, so
    every page), once per release whatever the number of workers; True if queued.

    Until a page is rendered again its first reader renders it, as without stored pages.
    """
    from rq import Queue

    from .pagecache import release_digest

    if not app.config.get("STORE_ARTICLE_PAGES", True):
        return False
    with app.app_context():
        if not stored_pages.page_versions_ready():
            return False
        release = release_digest(app)
        with reading_only():
            outdated = stored_pages.stale_count(db.session, release=release)
            db.session.rollback()
        if not outdated:
            return False
        scope = hashlib.blake2b(app.config["SQLALCHEMY_DATABASE_URI"].encode(), digest_size=6).hexdigest()
        if not connection.set(f"{_RENDER_KEY}{scope}:{release}", outdated, nx=True, ex=RENDER_CLAIM_SECONDS):
            return False  # another worker of this release has queued it
        _enqueue_pages(Queue(PAGES_QUEUE_NAME, connection=connection), "render_outdated_pages", release, 0)
    log.info("stored pages: rendering queued", extra={"fields": {"outdated": outdated}})
    return True


def render_outdated_pages(release: str, after: int) -> int:
    """RQ entry point (pages queue): render a batch of missing or outdated pages (article
    ids above ``after``), then queue the next batch, which waits for any job of the desk's
    queued meanwhile. A worker of another release leaves it alone: the pages it would
    store are not the ones its app servers serve. How many pages were stored."""
    from .pagecache import release_digest

    app = _job_app()
    with app.app_context():
        _forget_parent_connections()
        if release != release_digest(app):
            log.info("stored pages: left to the workers of another release")
            return 0
        batch = int(app.config.get("STORED_PAGES_BATCH", 1000))
        ids = stored_pages.stale_ids(db.session, release=release, after=after, limit=batch)
        stored = stored_pages.render(app, ids, release=release)
        if len(ids) == batch:
            _enqueue_pages(pages_queue(app.config["REDIS_URL"]), "render_outdated_pages", release, ids[-1])
        log.info("stored pages rendered", extra={"fields": {
            "pages": stored, "after": after, "more": len(ids) == batch}})
        return stored
