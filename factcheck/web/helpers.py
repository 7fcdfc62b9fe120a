"""Small things every view needs."""

from __future__ import annotations

from flask import abort, current_app, request

from ..db import db
from ..services.pagination import MAX_PAGE


def page_arg() -> int:
    try:
        return min(max(1, int(request.args.get("page", 1))), MAX_PAGE)
    except ValueError:
        return 1


def per_page() -> int:
    return current_app.config["PER_PAGE"]


def get_or_404(model, ident):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
