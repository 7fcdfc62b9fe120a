"""The application factory: configuration, extensions, blueprints, CLI, errors."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, request

from .db import db, map_sqlite_file
from .extensions import csrf, login_manager, migrate
from .schema import check_schema

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``test_config`` replaces instance/config.py and the environment."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object("factcheck.config")
    if test_config is None:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FACTCHECK")
    else:
        app.config.update(test_config)

    _configure_database(app)
    _configure_secret_key(app)

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            map_sqlite_file(db.engine, int(app.config.get("SQLITE_MMAP_SIZE", 0)))
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)

    from . import errors, middleware, pagecache, templating
    from .api import bp as api_bp
    from .web import register_blueprints

    app.url_map.converters["int"] = middleware.DatabaseIdConverter  # before any route
    register_blueprints(app)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, not cookies
    errors.register(app)
    middleware.register(app)
    pagecache.register(app)  # after middleware: its hooks see the request id
    templating.register(app)

    if app.config.get("SCHEMA_CHECK", True):
        _check_schema_before_requests(app)

    from .cli import register_commands

    register_commands(app)
    return app


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL for a configured database URL.

    ``postgresql://user@host/db`` works as written: it is pointed at psycopg 3,
    the driver this project installs. No URL means SQLite in the instance folder.

    >>> database_url("postgresql://u@h/db", "/i")
    'postgresql+psycopg://u@h/db'
    """
    if not raw:
        return "sqlite:///" + os.path.join(instance_path, "factcheck.sqlite3")
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def _configure_database(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or database_url(
        app.config.get("DATABASE_URL"), app.instance_path
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if url.startswith("sqlite"):
        # Writers wait for each other instead of failing at once.
        options.setdefault("connect_args", {"timeout": 30})
    else:
        options.setdefault("pool_pre_ping", True)


def _configure_secret_key(app: Flask) -> None:
    """Use the configured key, or one generated once into instance/ (never committed)."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _check_schema_before_requests(app: Flask) -> None:
    """Answer 503 with the fix until the database is at the current schema.

    Checked until it passes once per process, so a database upgraded while
    the app runs is picked up without a restart and costs nothing after.
    """
    state = {"current": False}

    @app.before_request
    def require_current_schema():
        if not state["current"] and request.blueprint != "health":
            check_schema(db.engine)
            state["current"] = True
