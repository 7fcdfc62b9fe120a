"""Atom feeds of newly published verdicts: all of them, and per speaker."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, url_for

from ..db import db
from ..services import browse

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
FEED_LENGTH = 50
ATOM = "application/atom+xml; charset=utf-8"


@bp.get("/verdicts.atom")
def verdicts():
    quotes = browse.published_verdicts(db.session, limit=FEED_LENGTH)
    return _feed(quotes, title="Newly published verdicts", self_url=url_for("feeds.verdicts", _external=True),
                 page_url=url_for("search.index", _external=True), feed_id="verdicts")


@bp.get("/speakers/<int:speaker_id>.atom")
def speaker(speaker_id: int):
    found = browse.live_speaker(db.session, speaker_id)
    if found is None:
        abort(404)
    if found.id != speaker_id:
        return redirect(url_for("feeds.speaker", speaker_id=found.id), 301)
    quotes = browse.published_verdicts(db.session, speaker_id=found.id, limit=FEED_LENGTH)
    return _feed(quotes, title=f"Verdicts on quotes by {found.name}",
                 self_url=url_for("feeds.speaker", speaker_id=found.id, _external=True),
                 page_url=url_for("speakers.show", speaker_id=found.id, _external=True),
                 feed_id=f"speaker-{found.id}")


def _feed(quotes, *, title: str, self_url: str, page_url: str, feed_id: str):
    updated = browse.last_public_change(db.session, quotes)
    body = render_template(
        "feeds/verdicts.xml", quotes=quotes, updated=updated, title=title, self_url=self_url,
        page_url=page_url, feed_id=feed_id, organization=current_app.config["ORGANIZATION_NAME"],
        feed_updated=max(updated.values(), default=None),
    )
    response = current_app.make_response(body)
    response.mimetype = "application/atom+xml"
    response.headers["Content-Type"] = ATOM
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
