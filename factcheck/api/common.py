"""What the reader-facing API routes share: who is asking, query parameters, pagination links."""

from __future__ import annotations

from datetime import date
from typing import Any, Callable

from flask import jsonify, request, url_for

from ..errors import problem
from ..services.pagination import MAX_PAGE, MAX_PER_PAGE, Page
from .auth import api_user

DEFAULT_PER_PAGE = 25


class BadParameters(ValueError):
    """Query parameters that cannot be used; ``errors`` maps each one to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def caller_is_desk() -> bool | None:
    """True for a valid token, False for no token at all, None for a token that is not valid."""
    if not request.headers.get("Authorization", "").strip():
        return False
    return True if api_user() is not None else None


def bad_token():
    response = problem(401, "Unauthorized", "The API token is not valid. Send none to read as the public.")
    response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck", error="invalid_token"'
    return response


def bad_parameters(error: BadParameters):
    return problem(400, "Bad Request", "Some query parameters are not valid; see errors.", errors=error.errors)


class Params:
    """Typed reading of ``request.args``; every problem is collected, then raised at once."""

    def __init__(self):
        self.errors: dict[str, str] = {}

    def text(self, name: str, *, max_length: int = 500) -> str:
        value = request.args.get(name, "").strip()
        if len(value) > max_length:
            self.errors[name] = f"At most {max_length} characters."
            return ""
        return value

    def integer(self, name: str, default: int, *, low: int, high: int | None = None) -> int:
        raw = request.args.get(name)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors[name] = "Must be a whole number."
            return default
        if value < low or (high is not None and value > high):
            self.errors[name] = f"Must be between {low} and {high}." if high else f"Must be {low} or more."
            return default
        return value

    def choice(self, name: str, convert: Callable[[str], Any], allowed: list[str]):
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        try:
            return convert(raw)
        except ValueError:
            self.errors[name] = "Must be one of: " + ", ".join(allowed) + "."
            return None

    def day(self, name: str) -> date | None:
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = "Must be a date like 2026-10-02."
            return None

    def page(self) -> tuple[int, int]:
        return (min(self.integer("page", 1, low=1), MAX_PAGE),
                self.integer("per_page", DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE))

    def check(self) -> None:
        if self.errors:
            raise BadParameters(self.errors)


def page_links(page: Page, endpoint: str, **values) -> dict[str, str]:
    """Absolute first/prev/self/next/last links that keep the request's other parameters."""
    args = {key: value for key, value in request.args.items() if key != "page"}
    args.update(values)

    def link(number: int) -> str:
        return url_for(endpoint, **args, page=number, _external=True)

    links = {"self": link(page.page), "first": link(1), "last": link(page.pages)}
    if page.has_prev:
        links["prev"] = link(min(page.page - 1, page.pages))
    if page.has_next:
        links["next"] = link(page.page + 1)
    return links


def paged_response(page: Page, items: list[dict[str, Any]], endpoint: str, *, desk: bool, **extra):
    """The JSON body and headers of one page of a list: items, counts, links (body and Link header)."""
    links = page_links(page, endpoint)
    response = jsonify({
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        **extra,
        "links": links,
    })
    response.headers["Link"] = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if rel != "self")
    private(response, desk=desk)
    return response


def private(response, *, desk: bool):
    """Answers differ by token: caches must keep them apart, and keep desk answers to themselves."""
    response.vary.add("Authorization")
    if desk:
        response.headers["Cache-Control"] = "private, no-store"
    return response
