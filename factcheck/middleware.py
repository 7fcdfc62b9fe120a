"""What wraps every request: a request id, one JSON log line, security headers, health."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Blueprint, Flask, abort, current_app, g, jsonify, request
from sqlalchemy import text
from werkzeug.datastructures import Headers
from werkzeug.routing import IntegerConverter

from .db import db
from .schema import SchemaNotCurrent, check_schema

# No inline script anywhere: scripts and styles come from the app itself.
# (JSON-LD blocks are data, not script, and are not executed.)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

health = Blueprint("health", __name__)


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in routes: ids beyond a 32-bit integer column match no route (404).

    Without the bound, /quotes/99999999999 reached PostgreSQL, which refuses the
    number for an integer column: a 500 where "not found" is the truth.
    """

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


@health.get("/healthz")
def healthz():
    """The process is up (no database call)."""
    return jsonify(status="ok")


@health.get("/readyz")
def readyz():
    """The database answers and its schema is current."""
    try:
        db.session.execute(text("SELECT 1"))
        check_schema(db.engine)
    except SchemaNotCurrent as error:
        return jsonify(status="unavailable", reason=str(error)), 503
    except Exception as error:  # any database failure means "not ready"
        current_app.logger.warning("readiness check failed: %s", error)
        return jsonify(status="unavailable", reason="database unreachable"), 503
    return jsonify(status="ok")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(app: Flask) -> None:
    if app.config.get("LOG_JSON", True) and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        for name in ("factcheck", app.logger.name):
            logger = logging.getLogger(name)
            logger.handlers[:] = [handler]
            logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
            logger.propagate = False


_access = logging.getLogger("factcheck.access")


def request_id_from(given: str) -> str:
    """The caller's X-Request-Id when it is a sane token, else a new one."""
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


#: What a response carries when its view set none of these (pages kept by the cache included).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "SAMEORIGIN"),  # what frame-ancestors 'self' says, for older browsers
)


def add_security_headers(headers: Headers) -> None:
    """The headers every response carries, unless the view chose its own."""
    for name, value in SECURITY_HEADERS[:3]:
        headers.setdefault(name, value)
    if "frame-ancestors 'self'" in headers.get("Content-Security-Policy", ""):
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")


def log_request(request_id: str, method: str, path: str, status: int, started: float) -> None:
    """The one access-log line of a request."""
    _access.info("request", extra={"fields": {
        "request_id": request_id,
        "method": method,
        "path": path,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 2),
    }})


def register(app: Flask) -> None:
    configure_logging(app)
    app.register_blueprint(health)

    @app.before_request
    def start_request():
        g.request_id = request_id_from(request.headers.get("X-Request-Id", ""))
        g.started = time.perf_counter()

    @app.before_request
    def refuse_nul_characters():
        """A NUL in a parameter or form field is a 400: PostgreSQL cannot store or compare it."""
        fields = [request.args]
        if request.method != "GET" and request.mimetype in _FORM_TYPES:
            fields.append(request.form)
        for multidict in fields:
            for key, values in multidict.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    abort(400, description="Parameters and form fields may not contain NUL characters.")

    @app.after_request
    def finish_request(response):
        add_security_headers(response.headers)
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-Id"] = request_id
            log_request(request_id, request.method, request.path, response.status_code, g.started)
        return response
