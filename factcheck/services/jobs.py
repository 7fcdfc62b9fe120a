"""Background work: what a job is, and what each kind of job does.

A job row is written (and committed by the caller) before anything runs, so
its state is visible at once. Each handler does its work with flushes only;
the runner in :mod:`factcheck.worker` commits the work and the job's "done"
state together, so a worker killed half-way leaves no half-written article,
and a retried job finds what a finished attempt stored (ingestion is
idempotent by URL and text fingerprint).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..content.fetch import FetchOptions
from ..db import utcnow
from ..models import ArticleSource, Job, JobState, User
from .ingestion import ArticleInput, IngestFailure, ingest_article, ingest_articles, ingest_url
from .pagination import Page, paginate

# A job still "running" after this long lost its worker (killed, machine gone).
STALE_AFTER = timedelta(minutes=10)


class JobError(ValueError):
    """A job request that cannot be carried out; the message says why."""


@dataclass(frozen=True, slots=True)
class JobContext:
    """What handlers need from the configuration, without knowing Flask."""

    fetch_options: FetchOptions
    max_bytes: int


Handler = Callable[[Session, dict[str, Any], JobContext], dict[str, Any]]


def submit_job(session: Session, kind: str, payload: dict[str, Any], *, user: User | None = None,
               idempotency_key: str | None = None) -> Job:
    """A new queued job, or the existing one with the same idempotency key."""
    if kind not in HANDLERS:
        raise JobError(f"Unknown kind of job: {kind!r}.")
    if idempotency_key:
        existing = session.scalars(select(Job).where(Job.idempotency_key == idempotency_key)).first()
        if existing is not None:
            return existing
    job = Job(kind=kind, payload=payload, idempotency_key=idempotency_key,
              user_id=user.id if user else None)
    session.add(job)
    session.flush()
    return job


def mark_running(job: Job) -> None:
    job.state = JobState.RUNNING
    job.started_at = utcnow()
    job.attempts += 1
    job.error = None


def perform(session: Session, job: Job, context: JobContext) -> None:
    """Run the job's handler and record its result (flushes; the caller commits).

    A batch whose articles partly failed keeps what succeeded: the job is recorded
    as failed, its error naming each failed article and why, so it can be retried
    (the articles stored already are found, not stored twice).
    """
    job.result = HANDLERS[job.kind](session, dict(job.payload or {}), context)
    failures = job.result.get("failures") if isinstance(job.result, dict) else None
    if failures:
        mark_failed(job, f"{len(failures)} of {len(job.result['articles'])} articles failed: "
                         + "; ".join(f"{f['label']}: {f['error']}" for f in failures))
    else:
        job.state = JobState.DONE
        job.finished_at = utcnow()
    session.flush()


def mark_failed(job: Job, reason: str) -> None:
    job.state = JobState.FAILED
    job.error = reason[:2000]
    job.finished_at = utcnow()


def can_retry(job: Job) -> bool:
    if job.state is JobState.FAILED:
        return True
    return job.state is JobState.RUNNING and job.started_at is not None and \
        utcnow() - job.started_at > STALE_AFTER


def requeue(job: Job) -> Job:
    if not can_retry(job):
        raise JobError("Only a failed job, or one whose worker was lost, can be retried.")
    job.state = JobState.QUEUED
    job.error = None
    job.finished_at = None
    return job


def recent_jobs(session: Session, *, page: int, per_page: int) -> Page[Job]:
    return paginate(session, select(Job).order_by(Job.id.desc()), page=page, per_page=per_page)


def _fetch_url(session: Session, payload: dict[str, Any], context: JobContext) -> dict[str, Any]:
    result = ingest_url(session, payload["url"], options=context.fetch_options,
                        title=payload.get("title"), outlet=payload.get("outlet"))
    return {"article_id": result.article.id, "created": result.created}


def _ingest_article(session: Session, payload: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """One article given as text or HTML."""
    result = ingest_article(session, _article_input(payload), max_bytes=context.max_bytes)
    return {"article_id": result.article.id, "created": result.created}


def _ingest_articles(session: Session, payload: dict[str, Any], context: JobContext) -> dict[str, Any]:
    """A batch of articles (``flask ingest --background``), stored in one transaction;
    each article's outcome is in the result, a failed one with its label and reason."""
    records = payload.get("articles") or []
    outcomes = ingest_articles(session, [_article_input(record) for record in records],
                               max_bytes=context.max_bytes)
    articles, failures = [], []
    for number, (record, outcome) in enumerate(zip(records, outcomes), 1):
        if isinstance(outcome, IngestFailure):
            failure = {"label": record.get("label") or f"article {number}", "error": outcome.reason}
            failures.append(failure)
            articles.append(failure)
        else:
            articles.append({"article_id": outcome.article.id, "created": outcome.created})
    created = sum(1 for a in articles if a.get("created"))
    return {"articles": articles, "created": created,
            "present": len(articles) - created - len(failures), "failures": failures}


def _article_input(payload: dict[str, Any]) -> ArticleInput:
    return ArticleInput(
        source=ArticleSource(payload.get("source", "cli")),
        text=payload.get("text"),
        html=payload.get("html"),
        title=payload.get("title"),
        url=payload.get("url"),
        outlet=payload.get("outlet"),
        published_at=_parse(payload.get("published_at")),
    )


def _rematch(session: Session, payload: dict[str, Any], context: JobContext) -> dict[str, Any]:
    from . import matching

    rematch = getattr(matching, "rematch_all", None)
    if rematch is None:
        raise JobError("Re-matching is not available in this version.")
    outcome = rematch(session)
    return outcome if isinstance(outcome, dict) else {"matches": outcome}


def _parse(value):
    from ..content.html import parse_date

    return parse_date(value) if isinstance(value, str) else None


HANDLERS: dict[str, Handler] = {
    "fetch_url": _fetch_url,
    "ingest_article": _ingest_article,
    "ingest_articles": _ingest_articles,
    "rematch": _rematch,
}
