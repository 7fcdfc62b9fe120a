"""Quotes: the list and one quote with its matches."""

from flask import Blueprint, render_template

from ..db import db
from ..models import Quote
from ..services import browse
from .helpers import get_or_404, page_arg, per_page

bp = Blueprint("quotes", __name__, url_prefix="/quotes")


@bp.get("")
def index():
    page = browse.quotes_newest_first(db.session, page=page_arg(), per_page=per_page())
    return render_template("quotes/index.html", page=page)


@bp.get("/<int:quote_id>")
def show(quote_id: int):
    quote = get_or_404(Quote, quote_id)
    earlier, later = browse.matches_of(db.session, quote.id)
    return render_template("quotes/show.html", quote=quote, earlier=earlier, later=later)
