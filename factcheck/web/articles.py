"""Articles: the list, the annotated article, and the three ways to add one."""

from __future__ import annotations

from datetime import datetime, time, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..content import ArticleTooLarge, IngestError
from ..content.clean import decode_bytes
from ..db import db
from ..forms import PasteArticleForm, UploadArticleForm, UrlArticleForm
from ..models import ArticleSource, JobState, Role
from ..services import browse
from ..services.ingestion import ArticleInput, IngestResult, ingest_article
from ..services.jobs import submit_job
from ..worker import dispatch
from .auth import role_required
from .helpers import page_arg, per_page
from .search import is_desk

bp = Blueprint("articles", __name__, url_prefix="/articles")


@bp.get("")
def index():
    page = browse.articles_newest_first(db.session, page=page_arg(), per_page=per_page())
    counts = browse.quote_counts_for(db.session, [a.id for a in page.items], desk=is_desk())
    return render_template("articles/index.html", page=page, counts=counts)


@bp.get("/<int:article_id>")
def show(article_id: int):
    article = browse.article_for_page(db.session, article_id, desk=is_desk())
    if article is None:
        abort(404)
    return render_template("articles/show.html", article=article)


@bp.get("/new")
@role_required(Role.REVIEWER)
def new():
    return _render_new()


@bp.post("/new/paste")
@role_required(Role.REVIEWER)
def create_pasted():
    form = PasteArticleForm()
    if not form.validate_on_submit():
        return _render_new(paste=form, active="paste"), 400
    data = ArticleInput(
        source=ArticleSource.PASTE,
        text=form.text.data,
        title=form.title.data,
        url=form.url.data or None,
        outlet=form.outlet.data or None,
        published_at=_day(form.published_on.data),
    )
    return _ingest_or_show_error(lambda: ingest_article(db.session, data, max_bytes=_max_bytes()),
                                 form, form.text, "paste")


@bp.post("/new/url")
@role_required(Role.REVIEWER)
def create_from_url():
    """Fetching runs as a job: on a worker when a queue is configured, else right here."""
    form = UrlArticleForm()
    if not form.validate_on_submit():
        return _render_new(url=form, active="url"), 400
    job = submit_job(db.session, "fetch_url", {"url": form.url.data}, user=current_user)
    db.session.commit()
    dispatch(job)
    if job.state is JobState.FAILED:
        form.url.errors = [*form.url.errors, job.error]
        return _render_new(url=form, active="url"), 422
    if job.state is JobState.DONE:
        return _show_result(job.result["article_id"], job.result["created"])
    flash("The page is being fetched in the background; this page shows when it is done.", "info")
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/new/upload")
@role_required(Role.REVIEWER)
def create_from_upload():
    form = UploadArticleForm()
    if not form.validate_on_submit():
        return _render_new(upload=form, active="upload"), 400

    def ingest() -> IngestResult:
        raw = form.file.data.read(_max_bytes() + 1)
        if len(raw) > _max_bytes():
            raise ArticleTooLarge("The file is larger than the size limit.")
        body = decode_bytes(raw)
        is_html = form.file.data.filename.lower().endswith((".html", ".htm"))
        data = ArticleInput(
            source=ArticleSource.UPLOAD,
            html=body if is_html else None,
            text=None if is_html else body,
            title=form.title.data or None,
            outlet=form.outlet.data or None,
        )
        return ingest_article(db.session, data, max_bytes=_max_bytes())

    return _ingest_or_show_error(ingest, form, form.file, "upload")


def _ingest_or_show_error(ingest, form, field, active: str):
    try:
        result = ingest()
    except IngestError as error:
        db.session.rollback()
        field.errors = [*field.errors, str(error)]
        return _render_new(**{active: form}, active=active), 422
    db.session.commit()
    return _show_result(result.article.id, result.created)


def _show_result(article_id: int, created: bool):
    if created:
        count = len(browse.article_with_quotes(db.session, article_id).quotes)
        flash(f"Article added with {count} quote{'' if count == 1 else 's'}.", "success")
    else:
        flash("This article was already here; you are looking at the stored copy.", "info")
    return redirect(url_for("articles.show", article_id=article_id))


def _render_new(*, paste=None, url=None, upload=None, active: str = "paste"):
    return render_template(
        "articles/new.html",
        paste=paste or PasteArticleForm(formdata=None),
        url_form=url or UrlArticleForm(formdata=None),
        upload=upload or UploadArticleForm(formdata=None),
        active=active,
    )


def _max_bytes() -> int:
    return current_app.config["MAX_ARTICLE_BYTES"]


def _day(value) -> datetime | None:
    return datetime.combine(value, time(12, 0), tzinfo=timezone.utc) if value else None
