"""API routes. The reader and desk capabilities add theirs here."""

from flask import jsonify

from . import bp


@bp.get("/")
def index():
    return jsonify({"name": "factcheck", "version": 1})
