"""The OpenAPI document describes exactly the API routes this app serves."""

from __future__ import annotations

import re

import pytest

from factcheck.api import openapi

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def live_routes(app) -> set[tuple[str, str]]:
    """Straight from the url_map: every /api rule and method, in OpenAPI's path syntax."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1")) or "/"
            found |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def documented(document) -> set[tuple[str, str]]:
    return {(path, method) for path, item in document["paths"].items() for method in item if method in METHODS}


def test_every_live_route_is_documented_and_nothing_else(app, document):
    live = live_routes(app)
    assert live, "no API routes at all?"
    assert live - documented(document) == set(), "routes missing from the OpenAPI document"
    assert documented(document) - live == set(), "the document describes routes that do not exist"
    # Nothing served under /api is outside the API blueprint's prefix.
    assert all(rule.rule.startswith("/api/v1") for rule in app.url_map.iter_rules() if rule.rule.startswith("/api"))


def test_hand_written_descriptions_cover_every_live_route(app):
    with app.app_context():
        assert openapi.live_operations() <= set(openapi.OPERATIONS)


def test_the_issue_routes_are_there(app, document):
    live = live_routes(app)
    for route in [("/articles", "post"), ("/articles/{article_id}", "get"), ("/quotes", "get"),
                  ("/speakers", "get"), ("/speakers/{speaker_id}", "get"), ("/openapi.json", "get")]:
        assert route in live and route in documented(document)


def test_document_is_well_formed(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["servers"] == [{"url": "/api/v1"}]
    schemas = document["components"]["schemas"]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', __import__("json").dumps(document)))
    assert refs <= set(schemas), f"dangling $ref: {refs - set(schemas)}"
    for path, item in document["paths"].items():
        params = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            assert operation["operationId"] and operation["summary"] and operation["responses"]
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == params, f"{method.upper()} {path}: path parameters {declared} != {params}"
            for status, response in operation["responses"].items():
                assert re.fullmatch(r"[1-5]\d\d", status) and response["description"]
                if status[0] in "45":
                    assert "application/problem+json" in response["content"], f"{method} {path} {status}"
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_index_points_at_the_document(client):
    assert client.get("/api/v1/").get_json()["openapi"] == "http://localhost/api/v1/openapi.json"
