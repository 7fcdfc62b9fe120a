"""Search: full text over quotes, with filters, for readers and the desk."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import Blueprint, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from ..db import db
from ..forms import SearchForm
from ..models import Role, Verdict
from ..services.search import BadSearch, QuoteSearch, SearchSort, search_for_page
from .helpers import page_arg, per_page

bp = Blueprint("search", __name__)


@bp.get("/search")
def index():
    form = SearchForm(request.args)
    results = None
    status = 200
    if request.args and form.validate():
        try:
            results = search_for_page(db.session, search_from(form), desk=is_desk(),
                                      page=page_arg(), per_page=per_page())
        except BadSearch as error:
            getattr(form, error.field).errors = [str(error)]
            status = 400
    elif request.args:
        status = 400
    return render_template("search/index.html", form=form, results=results), status


def search_from(form: SearchForm) -> QuoteSearch:
    return QuoteSearch(
        text=form.q.data or "",
        speaker=form.speaker.data or "",
        verdict=Verdict(form.verdict.data) if form.verdict.data else None,
        outlet=form.outlet.data or "",
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        sort=SearchSort(form.sort.data or "relevance"),
    )


def is_desk() -> bool:
    """Signed-in desk members see (and filter on) verdicts before they are published."""
    return bool(current_user.is_authenticated and current_user.can(Role.REVIEWER))


@bp.app_template_filter("highlight")
def highlight(text: str, words) -> Markup:
    """``text`` escaped, with the searched words (and their endings) in <mark>.

    Close to what the stemming index matched: "vote" marks "voted" and "votes".
    """
    pattern = _highlighting(tuple(words or ()))
    if pattern is None:
        return escape(text)
    # Plain strings joined once: Markup objects per piece cost more than the matching.
    out = []
    position = 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[position:match.start()])))
        out.append(f"<mark>{str(escape(match.group(0)))}</mark>")
        position = match.end()
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


@lru_cache(maxsize=256)
def _highlighting(words: tuple[str, ...]) -> re.Pattern | None:
    """The pattern marking ``words`` (built once per search: a page highlights 50 texts)."""
    stems = sorted({_stem(word) for word in words if word}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE)


def _stem(word: str) -> str:
    return word[: max(4, len(word) - 2)] if len(word) > 5 else word
