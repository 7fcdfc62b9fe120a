"""Who may write what: every write route of the app and the API x every kind of caller.

Write routes are discovered from ``app.url_map``, so a new route has to be added
to WRITE_ROUTES below (saying who may use it) before this file passes, and any
write route that lets readers or disabled accounts through fails here.
Also: CSRF on every form, the sign-in rate limit, and secure session cookies.
"""

from __future__ import annotations

import os
import uuid

import pytest

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import Evidence, Job, ReviewStatus, Verdict
from factcheck.services import accounts
from tests.conftest import PASSWORD, FormClient, make_config
from tests.review_data import match, quote

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CALLERS = ("anonymous", "disabled", "reviewer", "editor", "admin")
ACCOUNT = {"disabled": "dan", "reviewer": "rita", "editor": "ed", "admin": "ada"}

# What each caller gets: SIGN_IN (sent to the sign-in page), UNAUTHORIZED (API 401),
# FORBIDDEN (403), or OK (the request reaches the view: 2xx, 3xx, or 400/404/409/422
# about the input, never 401/403).
SIGN_IN, UNAUTHORIZED, FORBIDDEN, OK = "sign in", "401", "403", "ok"


def web(minimum: str) -> dict[str, str]:
    rank = {"reviewer": 1, "editor": 2, "admin": 3}
    return {caller: SIGN_IN if caller in ("anonymous", "disabled")
            else OK if rank[caller] >= rank[minimum] else FORBIDDEN for caller in CALLERS}


def api(minimum: str) -> dict[str, str]:
    return {caller: UNAUTHORIZED if outcome == SIGN_IN else outcome
            for caller, outcome in web(minimum).items()}


PUBLIC = {caller: OK for caller in CALLERS}

WRITE_ROUTES: dict[str, dict[str, str]] = {
    "auth.login": PUBLIC,   # anyone may try to sign in (rate-limited)
    "auth.logout": PUBLIC,  # signing out needs no account
    "articles.create_pasted": web("reviewer"),
    "articles.create_from_url": web("reviewer"),
    "articles.create_from_upload": web("reviewer"),
    "review.save": web("reviewer"),
    "review.reuse": web("reviewer"),
    "review.add_evidence": web("reviewer"),
    "review.remove_evidence": web("reviewer"),
    "review.assign": web("reviewer"),
    "review.bulk": web("reviewer"),
    "review.fix_speaker": web("editor"),
    "check.decide": web("editor"),
    "check.flag": web("reviewer"),
    "jobs.retry": web("reviewer"),
    "speakers.rename": web("editor"),
    "speakers.add_alias": web("editor"),
    "speakers.remove_alias": web("editor"),
    "speakers.merge": web("editor"),
    "speakers.move_quote": web("editor"),
    "speakers.undo": web("editor"),
    "speakers.accept": web("editor"),
    "speakers.reject": web("editor"),
    "api.create_article": api("reviewer"),
    "api.patch_quote": api("reviewer"),
}


@pytest.fixture
def world(app, users):
    """One of each record a write route can name, with ids to put in URLs."""
    with app.app_context():
        earlier = quote(db.session, "The port will double its capacity", status=ReviewStatus.PUBLISHED,
                        verdict=Verdict.ACCURATE)
        newer = quote(db.session, "The port will double its capacity")
        match(db.session, newer, earlier)
        evidence = Evidence(quote_id=newer.id, url="https://example.org/port", added_by_id=users["rita"])
        job = Job(kind="ingest_url", payload={"url": "https://example.org/a"})
        db.session.add_all([evidence, job])
        tokens = {name: accounts.create_token(db.session, name) for name in ACCOUNT.values()}
        db.session.commit()
        ids = {"quote_id": newer.id, "source_id": earlier.id, "evidence_id": evidence.id,
               "job_id": job.id, "article_id": newer.article_id, "speaker_id": newer.speaker_id}
    return {"ids": ids, "tokens": tokens}


def write_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules() if rule.methods & WRITE_METHODS),
                  key=lambda rule: rule.endpoint)


def build_url(app, rule, ids: dict[str, int]) -> str:
    with app.test_request_context():
        from flask import url_for

        # Arguments this file does not know yet get 1: the first record of any table.
        return url_for(rule.endpoint, **{arg: ids.get(arg, 1) for arg in rule.arguments})


def client_for(app, caller: str, users) -> FormClient:
    client = FormClient(app.test_client())
    if caller == "disabled":
        # Signed in before the account was disabled: the session must stop working.
        with client.session_transaction() as session:
            session["_user_id"] = str(users["dan"])
            session["_fresh"] = True
    elif caller != "anonymous":
        client.login(ACCOUNT[caller])
    return client


def call(app, client: FormClient, rule, url: str, caller: str, tokens: dict[str, str]):
    method = sorted(rule.methods & WRITE_METHODS)[0]
    if rule.endpoint.startswith("api."):
        headers = {"Authorization": f"Bearer {tokens[ACCOUNT[caller]]}"} if caller != "anonymous" else {}
        return client.open(url, method=method, json={}, headers=headers)
    data = {"csrf_token": client.csrf_token("/login")}
    return client.open(url, method=method, data=data)


def outcome_of(response) -> str:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return SIGN_IN
    if response.status_code == 401:
        return UNAUTHORIZED
    if response.status_code == 403:
        return FORBIDDEN
    return OK


def test_every_write_route_is_in_the_matrix(app):
    found = {rule.endpoint for rule in write_rules(app)}
    assert found - set(WRITE_ROUTES) == set(), "new write routes: add them to WRITE_ROUTES"
    assert set(WRITE_ROUTES) - found == set(), "routes gone: remove them from WRITE_ROUTES"


@pytest.mark.parametrize("caller", CALLERS)
def test_role_matrix(app, users, world, caller):
    client = client_for(app, caller, users)
    wrong = {}
    for rule in write_rules(app):
        expected = WRITE_ROUTES.get(rule.endpoint)
        url = build_url(app, rule, world["ids"])
        got = outcome_of(call(app, client, rule, url, caller, world["tokens"]))
        if expected is None:  # unknown route: at least readers and disabled accounts stay out
            if caller in ("anonymous", "disabled") and got == OK:
                wrong[rule.endpoint] = (got, "refused")
        elif got != expected[caller]:
            wrong[rule.endpoint] = (got, expected[caller])
        if rule.endpoint == "auth.logout" and caller not in ("anonymous", "disabled"):
            client.login(ACCOUNT[caller])  # signed out by that call: sign in again
    assert wrong == {}, f"{caller}: endpoint -> (got, expected)"


def test_forms_without_a_csrf_token_are_rejected(app, users, world):
    client = FormClient(app.test_client())
    client.login("ada")
    for rule in write_rules(app):
        if rule.endpoint.startswith("api."):
            continue
        url = build_url(app, rule, world["ids"])
        response = client.open(url, method=sorted(rule.methods & WRITE_METHODS)[0], data={})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        assert "CSRF" in response.get_data(as_text=True), rule.endpoint


def test_a_wrong_csrf_token_is_rejected(client, users):
    response = client.post("/login", data={"csrf_token": "forged", "username": "ada", "password": PASSWORD})
    assert response.status_code == 400


def test_the_api_ignores_session_cookies(app, users, world):
    client = FormClient(app.test_client())
    client.login("ada")  # a signed-in browser, no token: no CSRF door into the API
    response = client.patch(f"/api/v1/quotes/{world['ids']['quote_id']}", json={"version": 1})
    assert response.status_code == 401


# --- sign-in rate limit -------------------------------------------------------------------

REDIS_URL = os.environ.get("FACTCHECK_TEST_REDIS_URL")


@pytest.fixture(params=[
    pytest.param("memory://", id="memory"),
    pytest.param(REDIS_URL, id="redis", marks=pytest.mark.skipif(
        not REDIS_URL, reason="FACTCHECK_TEST_REDIS_URL is not set")),
])
def limited_app(request, tmp_path):
    config = make_config("sqlite", tmp_path, request) | {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": request.param,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        accounts.create_user(db.session, "rita", PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def from_somewhere_new(app) -> FormClient:
    """A client at an address of its own: counters (in a shared Redis too) start at zero."""
    client = FormClient(app.test_client())
    client.client.environ_base["REMOTE_ADDR"] = f"fd00::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    return client


def test_failed_sign_ins_are_rate_limited_per_address(limited_app):
    client = from_somewhere_new(limited_app)
    for _ in range(3):
        assert client.submit("/login", {"username": "rita", "password": "wrong password!"}).status_code == 401
    blocked = client.submit("/login", {"username": "rita", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Too many sign-in attempts" in blocked.get_data(as_text=True)
    assert int(blocked.headers["Retry-After"]) > 0
    elsewhere = from_somewhere_new(limited_app)
    assert elsewhere.submit("/login", {"username": "rita", "password": PASSWORD}).status_code == 302


def test_successful_sign_ins_do_not_use_up_the_limit(limited_app):
    client = from_somewhere_new(limited_app)
    for _ in range(5):
        assert client.login("rita").status_code == 302
    assert client.get("/login").status_code == 200  # looking at the form is never limited


# --- secure cookies -----------------------------------------------------------------------


@pytest.mark.parametrize(("testing", "configured", "from_cli", "secure"), [
    (False, None, False, True),    # production (gunicorn): HTTPS-only cookies
    (False, None, True, False),    # `flask run`: the development server speaks plain HTTP
    (True, None, False, False),    # tests
    (False, False, False, False),  # FACTCHECK_SESSION_COOKIE_SECURE=false
    (True, True, False, True),
])
def test_session_cookies_are_secure_in_production(request, tmp_path, monkeypatch, testing, configured,
                                                  from_cli, secure):
    if from_cli:
        monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    else:
        monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    config = make_config("sqlite", tmp_path, request) | {
        "TESTING": testing, "SESSION_COOKIE_SECURE": configured, "LOG_JSON": False}
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    cookie = app.test_client().get("/login", base_url="https://localhost").headers["Set-Cookie"]
    assert ("Secure" in cookie) is secure and "HttpOnly" in cookie and "SameSite=Lax" in cookie
