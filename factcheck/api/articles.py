"""POST /api/v1/articles (ingest by token) and GET /api/v1/articles/<id>."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, jsonify, request, url_for

from ..content import IngestError
from ..content.fetch import FetchOptions
from ..db import db
from ..errors import problem
from ..models import ArticleSource, Role
from ..services import browse
from ..services.ingestion import ArticleInput, ingest_article, ingest_url
from . import bp
from .auth import token_required
from .common import bad_token, caller_is_desk, private
from .serializers import article_to_json, quote_to_json

FIELDS = {"text": None, "html": None, "url": 2000, "title": 500, "outlet": 200, "published_at": 40}


class InvalidArticle(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@bp.post("/articles")
@token_required(Role.REVIEWER)
def create_article():
    """Take in an article: 201 with it and its quotes, or 200 with the copy already stored."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return problem(400, "Bad Request", "Send a JSON object with Content-Type: application/json.")
    try:
        ingest = _ingestion(body)
    except InvalidArticle as error:
        return problem(422, "Invalid article", "Some fields are not valid; see errors.", errors=error.errors)
    try:
        result = ingest()
    except IngestError as error:
        db.session.rollback()
        field = "html" if body.get("html") else "text" if body.get("text") else "url"
        return problem(422, "Article not taken in", str(error), errors={field: str(error)})
    db.session.commit()
    response = private(_article_response(result.article.id, desk=True), desk=True)
    if result.created:
        response.status_code = 201
        response.headers["Location"] = url_for("api.get_article", article_id=result.article.id, _external=True)
    return response


@bp.get("/articles/<int:article_id>")
def get_article(article_id: int):
    """An article with its quotes; verdicts (and quotes judged not a quote) as the caller may see them."""
    desk = caller_is_desk()
    if desk is None:
        return bad_token()
    return private(_article_response(article_id, desk=desk), desk=desk)


def _article_response(article_id: int, *, desk: bool):
    article = browse.article_with_quotes(db.session, article_id)
    if article is None:
        return problem(404, "Not Found", f"No article {article_id}.")
    data = article_to_json(article)
    data.update({
        "authors": article.authors,
        "source": article.source.value,
        "created_at": _iso(article.created_at),
        "text": article.text,
        "quotes": [quote_to_json(quote, desk=desk) | {
            "start": quote.start, "end": quote.end,
            "segments": [[segment.start, segment.end] for segment in quote.segments],
        } for quote in article.quotes if desk or not quote.is_not_a_quote],
    })
    return jsonify(data)


def _ingestion(body: dict[str, Any]):
    """Check the request body; return the call that ingests it. Raises InvalidArticle."""
    errors: dict[str, str] = {}
    for name in body:
        if name not in FIELDS:
            errors[name] = "Unknown field. Known: " + ", ".join(FIELDS) + "."
    values: dict[str, str | None] = {}
    for name, limit in FIELDS.items():
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            errors[name] = "Must be a string."
        elif value is not None and limit and len(value) > limit:
            errors[name] = f"At most {limit} characters."
        else:
            values[name] = value.strip() if isinstance(value, str) and name not in ("text", "html") else value
    text, html, url = values.get("text"), values.get("html"), values.get("url")
    if text and html:
        errors["html"] = 'Send "text" or "html", not both.'
    if not (text or html or url):
        errors["text"] = 'Send the article as "text" or "html", or give a "url" to fetch it from.'
    if url and urlsplit(url).scheme not in ("http", "https"):
        errors["url"] = "Must be an http or https address."
    published_at = None
    if values.get("published_at"):
        try:
            published_at = _moment(values["published_at"])
        except ValueError:
            errors["published_at"] = "Must be an ISO 8601 date or date and time, like 2026-10-02."
    if errors:
        raise InvalidArticle(errors)
    metadata = {"title": values.get("title") or None, "outlet": values.get("outlet") or None,
                "published_at": published_at}
    max_bytes = current_app.config["MAX_ARTICLE_BYTES"]
    if text or html:
        data = ArticleInput(source=ArticleSource.API, text=text or None, html=html or None, url=url or None,
                            **metadata)
        return lambda: ingest_article(db.session, data, max_bytes=max_bytes)
    options = FetchOptions.from_config(current_app.config)
    return lambda: ingest_url(db.session, url, options=options, source=ArticleSource.API, **metadata)


def _moment(raw: str) -> datetime:
    """A date (noon UTC, as the paste form does) or a date and time (UTC when no zone is given)."""
    if len(raw) == 10:
        return datetime.combine(date.fromisoformat(raw), time(12, 0), tzinfo=timezone.utc)
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None

