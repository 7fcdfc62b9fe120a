from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.db import utcnow
from factcheck.models import Article, Job, JobState
from factcheck.services import jobs
from factcheck.worker import dispatch
from tests.httpserver import ARTICLE_HTML, html

TEXT = '"We cannot keep patching this structure," said Mayor Ingrid Halvorsen on Tuesday.'


def articles(session) -> int:
    return session.scalar(select(func.count()).select_from(Article))


def test_inline_job_runs_at_once_and_records_result(session):
    job = jobs.submit_job(session, "ingest_article", {"text": TEXT, "title": "Bridge"})
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.state is JobState.DONE
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert job.result["created"] is True
    assert session.get(Article, job.result["article_id"]).title == "Bridge"


def test_failed_job_keeps_reason_and_writes_nothing(session, http_server):
    job = jobs.submit_job(session, "fetch_url", {"url": http_server.url("/missing")})
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.state is JobState.FAILED
    assert "404" in job.error
    assert articles(session) == 0


def test_retry_after_failure_succeeds_once_page_exists(session, http_server):
    job = jobs.submit_job(session, "fetch_url", {"url": http_server.url("/later")})
    session.commit()
    dispatch(job)
    assert job.state is JobState.FAILED and jobs.can_retry(job)
    http_server.routes["/later"] = html(ARTICLE_HTML)
    jobs.requeue(job)
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.state is JobState.DONE and job.attempts == 2
    assert articles(session) == 1


def test_running_the_same_job_twice_creates_no_duplicate(session):
    job = jobs.submit_job(session, "ingest_article", {"text": TEXT})
    session.commit()
    dispatch(job)
    job.state = JobState.FAILED  # as if the result were lost and the job retried
    jobs.requeue(job)
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.result["created"] is False
    assert articles(session) == 1


def test_idempotency_key_maps_to_one_job(session):
    first = jobs.submit_job(session, "ingest_article", {"text": TEXT}, idempotency_key="k1")
    second = jobs.submit_job(session, "ingest_article", {"text": TEXT}, idempotency_key="k1")
    assert first.id == second.id
    assert session.scalar(select(func.count()).select_from(Job)) == 1


@pytest.mark.parametrize("state, started_ago, retry", [
    (JobState.QUEUED, None, False),
    (JobState.DONE, timedelta(minutes=30), False),
    (JobState.FAILED, timedelta(minutes=1), True),
    (JobState.RUNNING, timedelta(minutes=1), False),
    (JobState.RUNNING, timedelta(minutes=11), True),
])
def test_which_jobs_can_be_retried(session, state, started_ago, retry):
    job = Job(kind="fetch_url", payload={}, state=state,
              started_at=utcnow() - started_ago if started_ago else None)
    assert jobs.can_retry(job) is retry
    if not retry:
        with pytest.raises(jobs.JobError):
            jobs.requeue(job)


def test_unknown_kind_refused(session):
    with pytest.raises(jobs.JobError):
        jobs.submit_job(session, "mine_bitcoin", {})


def test_a_batch_job_keeps_the_good_articles_and_names_the_bad_one(session):
    payload = {"articles": [
        {"text": TEXT, "title": "Bridge", "label": "feed.jsonl:1"},
        {"text": "   ", "label": "feed.jsonl:2"},
        {"text": TEXT.replace("Tuesday", "Friday"), "label": "feed.jsonl:3"},
    ]}
    job = jobs.submit_job(session, "ingest_articles", payload)
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.state is JobState.FAILED and jobs.can_retry(job)
    assert job.error.startswith("1 of 3 articles failed: feed.jsonl:2: ")
    assert (job.result["created"], job.result["present"]) == (2, 0)
    assert articles(session) == 2

    jobs.requeue(job)
    session.commit()
    dispatch(job)
    session.refresh(job)
    assert job.state is JobState.FAILED and job.attempts == 2
    assert (job.result["created"], job.result["present"]) == (0, 2), "a retry stores nothing twice"
    assert articles(session) == 2


def test_a_worker_collects_cyclic_garbage_less_often_and_never_scans_what_start_up_made():
    import gc

    from factcheck.worker import GC_THRESHOLDS, tune_collector

    before = gc.get_threshold()
    try:
        tune_collector()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[0] > before[0]
        assert gc.get_freeze_count() > 0
        cycle: list = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1  # cycles are still collected
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
