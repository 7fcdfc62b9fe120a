"""An embeddable verdict card (an iframe-able page) and the oEmbed endpoint that hands it out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from ..db import db
from ..errors import problem
from ..services import browse

bp = Blueprint("embed", __name__)

# Any site may frame the card; it runs no script and loads only the app's own stylesheet.
EMBED_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
             "form-action 'none'; frame-ancestors *")
CARD_WIDTH, CARD_HEIGHT = 480, 260
MIN_WIDTH, MIN_HEIGHT = 200, 120


@bp.get("/quotes/<int:quote_id>/embed")
def card(quote_id: int):
    # Framed on other sites and cached publicly: always the readers' view, whoever asks.
    quote = browse.quote_for_page(db.session, quote_id, desk=False)
    if quote is None:
        abort(404)
    response = current_app.make_response(render_template("embed/card.html", quote=quote))
    response.headers["Content-Security-Policy"] = EMBED_CSP
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/oembed")
def oembed():
    """oEmbed 1.0 (JSON only) for quote pages with a published verdict."""
    if request.args.get("format", "json") != "json":
        return problem(501, "Not Implemented", "Only the json format is offered.")
    quote_id = _quote_id_from(request.args.get("url", ""))
    quote = browse.quote_for_page(db.session, quote_id, desk=False) if quote_id else None
    if quote is None or not quote.status.is_public:
        return problem(404, "Not Found", "No published verdict at that address.")
    width = _bounded(request.args.get("maxwidth"), CARD_WIDTH, MIN_WIDTH)
    height = _bounded(request.args.get("maxheight"), CARD_HEIGHT, MIN_HEIGHT)
    src = url_for("embed.card", quote_id=quote.id, _external=True)
    title = f"{quote.verdict.label}: “{quote.text[:120]}”"
    config = current_app.config
    body = {
        "version": "1.0",
        "type": "rich",
        "provider_name": config["ORGANIZATION_NAME"],
        "provider_url": config["ORGANIZATION_URL"],
        "title": title,
        "html": f'<iframe src="{escape(src)}" width="{width}" height="{height}" '
                f'title="{escape(title)}" style="border:0" loading="lazy"></iframe>',
        "width": width,
        "height": height,
        "cache_age": 3600,
    }
    if quote.speaker is not None:
        body["author_name"] = quote.speaker.name
        body["author_url"] = url_for("speakers.show", speaker_id=quote.speaker.id, _external=True)
    return jsonify(body)


def _quote_id_from(url: str) -> int | None:
    """The quote id in one of this site's quote page addresses, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.path:
        return None
    try:
        endpoint, values = current_app.url_map.bind(parts.netloc or "localhost").match(parts.path, "GET")
    except HTTPException:
        return None
    return values.get("quote_id") if endpoint in ("quotes.show", "embed.card") else None


def _bounded(raw: str | None, default: int, minimum: int) -> int:
    """The default size, shrunk to the consumer's maximum when that is smaller (never below ``minimum``)."""
    try:
        limit = int(raw) if raw else default
    except ValueError:
        return default
    return max(minimum, min(default, limit))
