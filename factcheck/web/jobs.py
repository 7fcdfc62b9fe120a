"""Background jobs: their state, and retrying a failed one."""

from flask import Blueprint, flash, redirect, render_template, url_for

from ..db import db
from ..forms import RetryJobForm
from ..models import Job, Role
from ..services import jobs
from ..worker import dispatch
from .auth import role_required
from .helpers import get_or_404, page_arg, per_page

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("")
@role_required(Role.REVIEWER)
def index():
    page = jobs.recent_jobs(db.session, page=page_arg(), per_page=per_page())
    return render_template("jobs/index.html", page=page, can_retry=jobs.can_retry, form=RetryJobForm())


@bp.get("/<int:job_id>")
@role_required(Role.REVIEWER)
def show(job_id: int):
    job = get_or_404(Job, job_id)
    return render_template("jobs/show.html", job=job, can_retry=jobs.can_retry(job), form=RetryJobForm())


@bp.post("/<int:job_id>/retry")
@role_required(Role.REVIEWER)
def retry(job_id: int):
    job = get_or_404(Job, job_id)
    if not RetryJobForm().validate_on_submit():
        flash("The form expired; please try again.", "error")
        return redirect(url_for("jobs.show", job_id=job.id))
    try:
        jobs.requeue(job)
    except jobs.JobError as error:
        flash(str(error), "error")
        return redirect(url_for("jobs.show", job_id=job.id))
    db.session.commit()
    dispatch(job)
    flash("The job was sent again.", "info")
    return redirect(url_for("jobs.show", job_id=job.id))
