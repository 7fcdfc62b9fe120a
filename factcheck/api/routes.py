"""API routes. The reader and desk capabilities add theirs here."""

from flask import jsonify, url_for

from . import bp


@bp.get("/")
def index():
    return jsonify({"name": "factcheck", "version": 1,
                    "openapi": url_for("api.openapi", _external=True)})


# The reader-facing routes: articles (and ingestion by token), quote search, speakers, this API's description.
from . import articles, listing, openapi  # noqa: E402,F401
