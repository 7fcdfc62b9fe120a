"""Speakers: the list and one speaker with their quotes."""

from flask import Blueprint, redirect, render_template, url_for

from ..db import db
from ..models import Speaker
from ..services import attribution, browse
from .helpers import get_or_404, page_arg, per_page

bp = Blueprint("speakers", __name__, url_prefix="/speakers")


@bp.get("")
def index():
    page = browse.speakers_by_quote_count(db.session, page=page_arg(), per_page=per_page())
    return render_template("speakers/index.html", page=page)


@bp.get("/<int:speaker_id>")
def show(speaker_id: int):
    speaker = get_or_404(Speaker, speaker_id)
    if speaker.merged_into_id:
        return redirect(url_for("speakers.show", speaker_id=speaker.merged_into_id), 301)
    quotes = browse.quotes_by_speaker(db.session, speaker.id)
    checked = attribution.editor_confirmed(attribution.attribution_counts(db.session, speaker.id))
    return render_template("speakers/show.html", speaker=speaker, quotes=quotes, editor_confirmed=checked)
