"""Quotes: the list, and one quote as readers see it (verdict, evidence, history, related quotes)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for

from ..db import db
from ..services import browse
from ..services.claimreview import Organization, claim_review
from .helpers import page_arg, per_page
from .search import is_desk

bp = Blueprint("quotes", __name__, url_prefix="/quotes")


@bp.get("")
def index():
    page = browse.quotes_newest_first(db.session, desk=is_desk(), page=page_arg(), per_page=per_page())
    return render_template("quotes/index.html", page=page)


@bp.get("/<int:quote_id>")
def show(quote_id: int):
    desk = is_desk()
    quote = browse.quote_for_page(db.session, quote_id, desk=desk)
    if quote is None:
        abort(404)
    return render_template(
        "quotes/show.html",
        quote=quote,
        desk=desk,
        related=browse.related_quotes(db.session, quote, desk=desk),
        history=browse.public_history(db.session, quote),
        claim_review=claim_review(
            quote,
            url=url_for("quotes.show", quote_id=quote.id, _external=True),
            article_url=article_url(quote.article),
            organization=organization(),
            rating_scale=current_app.config["RATING_SCALE"],
        ),
        rating_label=dict((key, label) for key, label, _ in current_app.config["RATING_SCALE"]),
    )


def article_url(article) -> str:
    """Where the words appeared: the original when we know it, else the article's page here."""
    return article.url or url_for("articles.show", article_id=article.id, _external=True)


def organization() -> Organization:
    config = current_app.config
    return Organization(config["ORGANIZATION_NAME"], config["ORGANIZATION_URL"])
