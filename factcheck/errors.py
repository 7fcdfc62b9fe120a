"""Error pages for people and problem+json responses for the API."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from .schema import SchemaNotCurrent


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def problem(status: int, title: str, detail: str | None = None, **extra):
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if wants_json():
            return problem(error.code or 500, error.name, error.description)
        return (
            render_template("errors/error.html", code=error.code, name=error.name,
                            description=error.description),
            error.code,
        )

    @app.errorhandler(SchemaNotCurrent)
    def schema_not_current(error: SchemaNotCurrent):
        if wants_json():
            return problem(503, "Database not ready", str(error))
        return (
            render_template("errors/error.html", code=503, name="Database not ready",
                            description=str(error)),
            503,
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
        wrapped = InternalServerError()
        if wants_json():
            return problem(500, wrapped.name, "Something went wrong on our side; it has been logged.")
        return (
            render_template("errors/error.html", code=500, name=wrapped.name,
                            description="Something went wrong on our side; it has been logged. "
                                        "Nothing you submitted was half-saved."),
            500,
        )
