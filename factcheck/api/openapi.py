"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand beside the routes. The served document lists the operations
that are live in this app; tests/api/test_openapi.py fails when a live route is
missing here (or a described one is gone), so the two cannot drift apart.
"""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, jsonify

from ..models import AttributionState, MatchRelation, QuoteKind, ReviewStatus, SpeakerKind, Verdict
from . import bp

PREFIX = "/api/v1"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _string(description: str = "", **extra) -> dict[str, Any]:
    return {"type": "string", **({"description": description} if description else {}), **extra}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": _ref("Problem")}}}


def _json(description: str, schema: dict[str, Any], headers: dict | None = None) -> dict[str, Any]:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def _id_parameter(name: str, what: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"},
            "description": f"The {what}'s id."}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema or {"type": "string"},
            "description": description}


PAGE_PARAMETERS = [
    _query("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    _query("per_page", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}),
]
READ_SECURITY = [{}, {"bearerAuth": []}]   # anonymous readers, or a desk token for the full state
LINK_HEADER = {"Link": {"description": "RFC 8288 first/prev/next/last links.", "schema": {"type": "string"}}}
BAD_TOKEN = _problem("A token was sent and is not valid (send none to read as the public).")
NOT_FOUND = _problem("No such record.")

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object", "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": _string(), "title": _string(), "status": {"type": "integer"}, "detail": _string(),
            "errors": {"type": "object", "additionalProperties": {"type": "string"},
                       "description": "What is wrong with each field or parameter."},
        },
    },
    "SpeakerRef": {
        "type": "object", "required": ["id", "name", "kind", "url"],
        "properties": {"id": {"type": "integer"}, "name": _string(),
                       "kind": _string(enum=[k.value for k in SpeakerKind]),
                       "url": _string("The speaker's page.", format="uri")},
    },
    "SpeakerListItem": {"allOf": [_ref("SpeakerRef"), {
        "type": "object", "properties": {"quotes": {"type": "integer", "description": "Quotes recorded."}}}]},
    "Speaker": {"allOf": [_ref("SpeakerRef"), {
        "type": "object",
        "properties": {
            "aliases": {"type": "array", "items": _string()},
            "quote_count": {"type": "integer"},
            "verdicts": {"type": "object", "additionalProperties": {"type": "integer"},
                         "description": "Quotes per verdict, as the caller may see them "
                                        "(readers: unpublished verdicts count as unverified)."},
            "links": {"type": "object", "properties": {
                "quotes": _string(format="uri"), "feed": _string(format="uri"), "page": _string(format="uri")}},
        },
    }]},
    "ArticleRef": {
        "type": "object", "required": ["id", "title", "page"],
        "properties": {
            "id": {"type": "integer"}, "title": _string(),
            "url": _nullable(_string("Where it was published.", format="uri")),
            "outlet": _nullable(_string()), "published_at": _nullable(_string(format="date-time")),
            "page": _string("The annotated article here.", format="uri"),
        },
    },
    "Quote": {
        "type": "object",
        "description": "A quote and its verdict. Readers see published verdicts only: otherwise "
                       "verdict is \"unverified\" and status, rating and notes are null. Fields "
                       "marked desk-only appear for token holders.",
        "required": ["id", "url", "text", "kind", "verdict", "article"],
        "properties": {
            "id": {"type": "integer"}, "url": _string("The quote page.", format="uri"), "text": _string(),
            "kind": _string(enum=[k.value for k in QuoteKind]),
            "speaker": _nullable(_ref("SpeakerRef")), "speaker_as_written": _nullable(_string()),
            "role": _nullable(_string("The speaker's role as the article wrote it.")),
            "article": _ref("ArticleRef"),
            "verdict": _string("Did they say it?", enum=[v.value for v in Verdict]),
            "misattributed_to": _nullable(_ref("SpeakerRef")),
            "rating": _nullable(_string("Is it true? (the desk's rating scale)")),
            "rating_label": _nullable(_string()), "rating_value": _nullable({"type": "number"}),
            "status": _nullable(_string(enum=[s.value for s in ReviewStatus])),
            "public_note": _nullable(_string("Markdown.")), "public_note_html": _nullable(_string()),
            "published_at": _nullable(_string(format="date-time")),
            "version": {"type": "integer", "description": "Send it back with PATCH (optimistic locking)."},
            "internal_note": _string("Desk only."), "assignee": _nullable(_string("Desk only.")),
            "verdict_author": _nullable(_string("Desk only.")), "signed_off_by": _nullable(_string("Desk only.")),
            "attribution": _string("Desk only.", enum=[a.value for a in AttributionState]),
            "review_url": _string("Desk only.", format="uri"),
        },
    },
    "ArticleQuote": {"allOf": [_ref("Quote"), {
        "type": "object",
        "properties": {"start": {"type": "integer"}, "end": {"type": "integer"},
                       "segments": {"type": "array", "description": "[start, end) offsets into text.",
                                    "items": {"type": "array", "items": {"type": "integer"},
                                              "minItems": 2, "maxItems": 2}}},
    }]},
    "Article": {"allOf": [_ref("ArticleRef"), {
        "type": "object",
        "properties": {
            "authors": _nullable(_string()), "source": _string(), "created_at": _string(format="date-time"),
            "text": _string("The cleaned article text the quote offsets point into."),
            "quotes": {"type": "array", "items": _ref("ArticleQuote")},
        },
    }]},
    "NewArticle": {
        "type": "object", "additionalProperties": False,
        "description": 'Exactly one of "text" and "html"; or only "url", which is then fetched.',
        "properties": {
            "text": _string("The article as plain text."), "html": _string("The article page as HTML."),
            "url": _string("Where it was published; fetched when no text or html is sent.", format="uri",
                           maxLength=2000),
            "title": _string(maxLength=500), "outlet": _string(maxLength=200),
            "published_at": _string("ISO 8601 date or date-time (UTC when no zone).", examples=["2026-10-02"]),
        },
    },
    "QuoteDetail": {"allOf": [_ref("Quote"), {
        "type": "object",
        "properties": {
            "evidence": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "url": _string(format="uri"), "title": _string(),
                "archive_url": _nullable(_string(format="uri")), "accessed_on": _nullable(_string(format="date")),
                "shows": _string()}}},
            "matches": {"type": "array", "items": {"type": "object", "properties": {
                "quote_id": {"type": "integer"}, "direction": _string(enum=["earlier", "later"]),
                "relation": _string(enum=[r.value for r in MatchRelation]), "score": {"type": "number"},
                "misattribution": {"type": "boolean"}, "text": _string(),
                "speaker": _nullable(_ref("SpeakerRef")), "verdict": _string(),
                "status": _nullable(_string())}}},
            "history": {"type": "array", "description": "Readers: when the verdict was published and "
                        "corrected. Desk: every change.", "items": {"type": "object"}},
        },
    }]},
    "ReviewChange": {
        "type": "object", "required": ["version"],
        "properties": {
            "version": {"type": "integer", "description": "The version the change was based on."},
            "verdict": _string(enum=[v.value for v in Verdict]), "rating": _nullable(_string()),
            "status": _string(enum=[s.value for s in ReviewStatus]),
            "public_note": _string("Markdown."), "internal_note": _string(),
            "note": _string("Why (kept in the history)."),
        },
    },
    "Links": {"type": "object", "properties": {
        rel: _string(format="uri") for rel in ("self", "first", "prev", "next", "last")}},
}


def _page_of(item: dict[str, Any], **extra) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "page", "per_page", "total", "pages", "links"],
            "properties": {"items": {"type": "array", "items": item}, "page": {"type": "integer"},
                           "per_page": {"type": "integer"}, "total": {"type": "integer"},
                           "pages": {"type": "integer"}, **extra, "links": _ref("Links")}}


OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/", "get"): {
        "summary": "What this API is", "operationId": "index", "security": [{}],
        "responses": {"200": _json("Name and version.", {"type": "object"})},
    },
    ("/openapi.json", "get"): {
        "summary": "This document", "operationId": "openapi", "security": [{}],
        "responses": {"200": _json("OpenAPI 3.1.", {"type": "object"})},
    },
    ("/articles", "post"): {
        "summary": "Take in an article and find its quotes", "operationId": "createArticle",
        "security": [{"bearerAuth": []}],
        "description": "Needs a token of a reviewer or above. A URL alone is fetched (synchronously, "
                       "within the configured time-outs, public addresses only).",
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("NewArticle")}}},
        "responses": {
            "201": _json("Stored; Location names it.", _ref("Article"),
                         {"Location": {"schema": {"type": "string", "format": "uri"}}}),
            "200": _json("Already stored (same URL or same text): the stored copy.", _ref("Article")),
            "400": _problem("The body is not a JSON object."),
            "401": _problem("No valid token."), "403": _problem("The token's user is not a reviewer or above."),
            "422": _problem("A field is invalid, or the content cannot be an article (errors says which)."),
        },
    },
    ("/articles/{article_id}", "get"): {
        "summary": "An article with its quotes", "operationId": "getArticle", "security": READ_SECURITY,
        "parameters": [_id_parameter("article_id", "article")],
        "responses": {"200": _json("The article.", _ref("Article")), "401": BAD_TOKEN, "404": NOT_FOUND},
    },
    ("/quotes", "get"): {
        "summary": "Search and filter quotes", "operationId": "listQuotes", "security": READ_SECURITY,
        "description": "Full text over the words and the speakers' names (all words must match; "
                       "\"phrase\", -word). Counting stops at 10,000 (total_capped).",
        "parameters": [
            _query("q", "Words to find."),
            _query("speaker", "A speaker id, or words of a name."),
            _query("verdict", "Readers match published verdicts only.", _string(enum=[v.value for v in Verdict])),
            _query("outlet", "The outlet, any case."),
            _query("from", "Said on or after (article date).", _string(format="date")),
            _query("to", "Said on or before.", _string(format="date")),
            _query("sort", "Best match needs q; otherwise newest first.",
                   _string(enum=["relevance", "newest", "oldest"], default="relevance")),
            *PAGE_PARAMETERS,
        ],
        "responses": {
            "200": _json("One page.", _page_of(_ref("Quote"), total_capped={"type": "boolean"},
                                               sort=_string(),
                                               speakers={"type": "array", "items": _ref("SpeakerRef")}),
                         LINK_HEADER),
            "400": _problem("A parameter is invalid (errors says which)."), "401": BAD_TOKEN,
        },
    },
    ("/quotes/{quote_id}", "get"): {
        "summary": "A quote with its verdict, evidence, matches and history", "operationId": "getQuote",
        "security": READ_SECURITY, "parameters": [_id_parameter("quote_id", "quote")],
        "responses": {"200": _json("The quote.", _ref("QuoteDetail")), "401": BAD_TOKEN,
                      "404": _problem("No such quote; for readers (no token), also one editors judged "
                                      "not a quote, which no reader-facing answer includes.")},
    },
    ("/quotes/{quote_id}", "patch"): {
        "summary": "Change a quote's review", "operationId": "patchQuote", "security": [{"bearerAuth": []}],
        "description": "Follows the desk's rules: who may set which status, sign-off by an editor.",
        "parameters": [_id_parameter("quote_id", "quote")],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ReviewChange")}}},
        "responses": {
            "200": _json("Saved: the quote as it is now.", _ref("QuoteDetail")),
            "401": _problem("No valid token."), "403": _problem("This role may not make this change."),
            "404": NOT_FOUND,
            "409": _problem("Stale version: nothing saved; current and changes show what happened."),
            "422": _problem("Invalid values (errors says which)."),
        },
    },
    ("/speakers", "get"): {
        "summary": "Find speakers by name or alias", "operationId": "listSpeakers", "security": READ_SECURITY,
        "parameters": [_query("q", "Words of the name (all must appear)."), *PAGE_PARAMETERS],
        "responses": {"200": _json("One page, most quoted first.", _page_of(_ref("SpeakerListItem")),
                                   LINK_HEADER),
                      "400": _problem("A parameter is invalid."), "401": BAD_TOKEN},
    },
    ("/speakers/{speaker_id}", "get"): {
        "summary": "A speaker and the verdicts on their quotes", "operationId": "getSpeaker",
        "security": READ_SECURITY, "parameters": [_id_parameter("speaker_id", "speaker")],
        "responses": {"200": _json("The speaker.", _ref("Speaker")),
                      "301": {"description": "Merged into another speaker: Location names it."},
                      "401": BAD_TOKEN, "404": NOT_FOUND},
    },
}


def rule_path(rule: str) -> str:
    """The OpenAPI path of a Flask rule under the API: /api/v1/quotes/<int:quote_id> -> /quotes/{quote_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule[len(PREFIX):] or "/")


def live_operations() -> set[tuple[str, str]]:
    """(path, method) of every API route this app serves."""
    found = set()
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.rule.startswith(PREFIX):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((rule_path(rule.rule), method.lower()))
    return found


def document() -> dict[str, Any]:
    """The OpenAPI document for the operations live in this app."""
    live = live_operations()
    paths: dict[str, dict[str, Any]] = {}
    for (path, method), operation in sorted(OPERATIONS.items()):
        if (path, method) in live:
            paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "factcheck API",
            "version": "1",
            "description": "Quotes, who said them, and the desk's verdicts. Without a token you read "
                           "as the public (published verdicts only); with one you see the desk's state. "
                           "Errors are application/problem+json.",
            "contact": {"name": current_app.config["ORGANIZATION_NAME"],
                        "url": current_app.config["ORGANIZATION_URL"]},
        },
        "servers": [{"url": PREFIX}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer",
                "description": "A token from `flask --app wsgi tokens create NAME`."}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    response = jsonify(document())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
