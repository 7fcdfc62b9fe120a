"""GET and PATCH /api/v1/quotes/<id>: a quote's review state, and review changes by token.

PATCH follows the desk's rules (factcheck.services.review): 401 without a valid
token, 403 for a role that may not, 409 with the current state for a stale
version, 422 with a message per field for invalid values.
"""

from __future__ import annotations

from flask import abort, current_app, jsonify, request

from ..db import db
from ..errors import problem
from ..models import Role
from ..services import browse, review
from ..services.review import DeskRules, InvalidReview, NotAllowed, StaleVersion
from . import bp
from .auth import api_user, bearer_sent, token_required, unauthorized
from .serializers import event_to_json, quote_detail_to_json, quote_to_json


@bp.get("/quotes/<int:quote_id>")
def get_quote(quote_id: int):
    """Readers see the published verdict only; a token holder sees the desk's state."""
    if bearer_sent() and api_user() is None:
        return unauthorized()
    desk = api_user() is not None
    response = jsonify(_detail(quote_id, desk=desk))
    response.headers["Vary"] = "Authorization"
    if desk:
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.patch("/quotes/<int:quote_id>")
@token_required(Role.REVIEWER)
def patch_quote(quote_id: int):
    """Apply ``{"version", "verdict"?, "rating"?, "status"?, "public_note"?, "internal_note"?, "note"?}``."""
    quote = _quote_or_404(quote_id)
    body = request.get_json(silent=True)
    if body is None:
        return problem(422, "Invalid review change", "Send a JSON object (Content-Type: application/json).",
                       errors={"body": "Send a JSON object."})
    rules = DeskRules.from_config(current_app.config)
    try:
        version, change = review.change_from_json(body, rules)
        review.apply_review(db.session, quote, api_user(), change, version=version, rules=rules)
    except InvalidReview as error:
        db.session.rollback()
        return problem(422, "Invalid review change", "Some fields are not valid; see errors.",
                       errors=error.errors)
    except NotAllowed as error:
        db.session.rollback()
        return problem(403, "Forbidden", str(error))
    except StaleVersion as error:
        db.session.rollback()
        current = _quote_or_404(quote_id)
        return problem(
            409, "Conflict",
            f"The quote changed since version {error.expected}; nothing was saved. "
            "Check the current state and the changes, then send again with its version.",
            current=quote_to_json(current, desk=True),
            changes=[event_to_json(e) for e in review.changes_since(db.session, quote_id, error.expected)],
        )
    db.session.commit()
    response = jsonify(_detail(quote_id, desk=True))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _detail(quote_id: int, *, desk: bool) -> dict:
    """The quote as the caller may see it: readers get no quote (nor match) judged not a quote."""
    quote = _quote_or_404(quote_id)
    if not desk and quote.is_not_a_quote:
        abort(404, description=f"No quote {quote_id}.")
    earlier, later = browse.matches_of(db.session, quote.id)
    if not desk:
        earlier = [match for match in earlier if not match.earlier.is_not_a_quote]
        later = [match for match in later if not match.quote.is_not_a_quote]
    return quote_detail_to_json(quote, desk=desk, earlier=earlier, later=later)


def _quote_or_404(quote_id: int):
    quote = review.desk_quote(db.session, quote_id)
    if quote is None:
        abort(404, description=f"No quote {quote_id}.")
    return quote
