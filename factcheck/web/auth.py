"""Signing in and out, and the role check every write goes through."""

from __future__ import annotations

import os
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..db import db
from ..extensions import limiter, login_manager
from ..forms import LoginForm
from ..models import Role, User
from ..services.accounts import authenticate

bp = Blueprint("auth", __name__)


@bp.record_once
def _secure_sign_in(state) -> None:
    """Rate limits and cookie security, set up once the app's config is final."""
    app = state.app
    limiter.init_app(app)
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(name) is None:
            app.config[name] = secure_cookies_by_default(app.debug, app.testing)


def secure_cookies_by_default(debug: bool, testing: bool) -> bool:
    """HTTPS-only cookies, except under the `flask` command (its dev server), debug and tests.

    Applies when SESSION_COOKIE_SECURE is left at None; gunicorn in production gets True.
    """
    return not (debug or testing or os.environ.get("FLASK_RUN_FROM_CLI") == "true")


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Only sign-in attempts (POST) are limited; reads skip the limiter's bookkeeping."""
    return request.method in ("GET", "HEAD", "OPTIONS")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response) -> bool:
    """Only failed sign-ins count against the limit (a success redirects)."""
    return response.status_code != 302


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def role_required(role: Role):
    """Let through signed-in users with at least ``role``; others sign in or get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(role):
                abort(403, description=f"This needs the {role.value} role or above.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed,
               error_message="Too many sign-in attempts from here. Wait a minute and try again.")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.username.data, form.password.data)
        if user is not None:
            db.session.commit()
            login_user(user)
            flash(f"Signed in as {user.username}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = ["Wrong user name or password, or the account is disabled."]
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash("Signed out.", "info")
    return redirect(url_for("articles.index"))


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so a crafted link cannot send people elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("articles.index")
