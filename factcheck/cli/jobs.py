"""`flask worker` and `flask jobs ...`: background work."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..db import db
from ..services import jobs
from ..worker import dispatch, start_worker
from . import needs_schema, reads_only


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--fork/--no-fork", default=True, show_default=True,
              help="Run each job in a forked process (isolated) or in the worker (faster).")
@needs_schema
def worker_command(burst: bool, fork: bool) -> None:
    """Carry out queued jobs (needs FACTCHECK_REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("No queue is configured: set FACTCHECK_REDIS_URL to run a worker.")
    start_worker(current_app._get_current_object(), burst=burst, fork=fork)


jobs_cli = AppGroup("jobs", help="Background jobs.")


@jobs_cli.command("list")
@click.option("--limit", default=20, show_default=True)
@reads_only
@needs_schema
def jobs_list(limit: int) -> None:
    for job in jobs.recent_jobs(db.session, page=1, per_page=limit).items:
        detail = job.error or (job.result or "")
        click.echo(f"{job.id}\t{job.kind}\t{job.state.value}\t{detail}")


@jobs_cli.command("retry")
@click.argument("job_id", type=int)
@needs_schema
def jobs_retry(job_id: int) -> None:
    from ..models import Job

    job = db.session.get(Job, job_id)
    if job is None:
        raise click.ClickException(f"No job {job_id}.")
    try:
        jobs.requeue(job)
    except jobs.JobError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    dispatch(job)
    click.echo(f"job {job.id}: {job.state.value}")
