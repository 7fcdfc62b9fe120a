"""The JSON API, under /api/v1. Errors are application/problem+json."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import routes  # noqa: E402,F401  (registers the routes on bp)
from . import quotes  # noqa: E402,F401  (GET/PATCH /quotes/<id>: review state and changes)
