"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from ..db import db
from ..errors import problem
from ..models import Role, User
from ..services.accounts import user_for_token


def api_user() -> User | None:
    """The user behind ``Authorization: Bearer <token>``, or None (cached per request)."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        g.api_user = user_for_token(db.session, secret.strip()) if scheme.lower() == "bearer" else None
    return g.api_user


def token_required(role: Role):
    """401 without a valid token, 403 when the token's user lacks ``role``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = api_user()
            if user is None:
                return unauthorized()
            if not user.can(role):
                return problem(403, "Forbidden", f"This needs the {role.value} role or above.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def bearer_sent() -> bool:
    """The request carries an Authorization header (a bad one is a 401, not anonymity)."""
    return bool(request.headers.get("Authorization", "").strip())


def unauthorized():
    response = problem(401, "Unauthorized", "Send a valid API token as 'Authorization: Bearer <token>'.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
    return response
