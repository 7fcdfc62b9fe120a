"""GET and PATCH /api/v1/quotes/<id>: what readers and the desk see, and review changes by token."""

from __future__ import annotations

import pytest

from factcheck.db import db
from factcheck.models import Quote, ReviewStatus, Verdict
from factcheck.services import accounts
from tests.review_data import match, quote

S = ReviewStatus
V = Verdict
PROBLEM = "application/problem+json"


@pytest.fixture
def tokens(app, users):
    with app.app_context():
        made = {name: accounts.create_token(db.session, name) for name in ("rita", "ed", "eve", "ada", "dan")}
        db.session.commit()
    return made


@pytest.fixture
def quotes(app, users):
    with app.app_context():
        draft = quote(db.session, "The tunnel will open in June")
        draft.verdict, draft.rating, draft.status = V.MISQUOTED, "false", S.IN_PROGRESS
        draft.public_note, draft.internal_note = "Draft note.", "Call the engineer back."
        published = quote(db.session, "The tunnel cost less than planned", status=S.PUBLISHED,
                          verdict=V.ACCURATE)
        published.rating, published.public_note = "mostly_true", "The **audit** agrees."
        repeat = quote(db.session, "The tunnel cost less than planned", published_at=None)
        match(db.session, repeat, published)
        db.session.commit()
        return {"draft": draft.id, "published": published.id, "repeat": repeat.id}


def url(quote_id: int) -> str:
    return f"/api/v1/quotes/{quote_id}"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def current_version(app, quote_id: int) -> int:
    with app.app_context():
        return db.session.get(Quote, quote_id).version


# --- GET ----------------------------------------------------------------------------------


def test_readers_see_only_published_verdicts(client, quotes):
    draft = client.get(url(quotes["draft"])).get_json()
    assert draft["verdict"] == "unverified"
    assert draft["status"] is None and draft["rating"] is None and draft["public_note"] is None
    assert "internal_note" not in draft and "assignee" not in draft
    assert draft["version"] >= 1 and draft["text"] == "The tunnel will open in June"

    published = client.get(url(quotes["published"])).get_json()
    assert (published["verdict"], published["status"], published["rating"]) == ("accurate", "published", "mostly_true")
    assert published["rating_label"] == "Mostly true" and published["rating_value"] == 4
    assert published["public_note"] == "The **audit** agrees."
    assert "<strong>audit</strong>" in published["public_note_html"]
    assert published["evidence"] == [] and "internal_note" not in published


def test_token_holders_see_the_desks_full_state(client, quotes, tokens):
    response = client.get(url(quotes["draft"]), headers=bearer(tokens["rita"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    body = response.get_json()
    assert (body["verdict"], body["status"], body["rating"]) == ("misquoted", "in_progress", "false")
    assert body["internal_note"] == "Call the engineer back." and body["review_url"].endswith(
        f"/review/quotes/{quotes['draft']}")


def test_matches_are_listed_with_the_verdict_the_caller_may_see(client, quotes):
    body = client.get(url(quotes["repeat"])).get_json()
    assert [(m["quote_id"], m["direction"], m["relation"], m["verdict"]) for m in body["matches"]] == [
        (quotes["published"], "earlier", "repeat", "accurate")]


@pytest.mark.parametrize("header", ["Bearer fct_not-a-token", "Basic cml0YTpwdw==", "Bearer"])
def test_a_bad_token_is_a_401_not_an_anonymous_read(client, quotes, header):
    response = client.get(url(quotes["draft"]), headers={"Authorization": header})
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_unknown_quote_is_a_problem_404(client):
    response = client.get(url(999_999))
    assert response.status_code == 404 and response.mimetype == PROBLEM


# --- PATCH: who may ------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "body", "status"), [
    (None, {"verdict": "accurate"}, 401),
    ("dan", {"verdict": "accurate"}, 401),            # disabled account: its tokens stop working
    ("rita", {"verdict": "accurate"}, 200),
    ("rita", {"status": "awaiting_signoff"}, 200),
    ("rita", {"status": "published"}, 403),           # reviewers do not sign off
    ("ed", {"status": "published"}, 200),             # the verdict is by someone else
    ("ada", {"status": "published"}, 200),
    ("ed", {"verdict": "accurate", "status": "published"}, 403),  # writing and signing off your own
])
def test_patch_follows_the_role_rules(client, app, quotes, tokens, who, body, status):
    quote_id = quotes["draft"]
    headers = bearer(tokens[who]) if who else {}
    response = client.patch(url(quote_id), json={"version": current_version(app, quote_id), **body},
                            headers=headers)
    assert response.status_code == status, response.get_json()
    if status != 200:
        assert response.mimetype == PROBLEM
        with app.app_context():
            assert db.session.get(Quote, quote_id).status is S.IN_PROGRESS


def test_patch_applies_the_change_and_records_it(client, app, quotes, tokens):
    quote_id = quotes["draft"]
    version = current_version(app, quote_id)
    response = client.patch(url(quote_id), headers=bearer(tokens["rita"]), json={
        "version": version, "verdict": "out_of_context", "rating": None, "public_note": "Cut short.",
        "note": "Full recording found."})
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] > version and body["verdict"] == "out_of_context" and body["rating"] is None
    changed = {(e["field"], e["from"], e["to"], e["user"], e["note"]) for e in body["history"]}
    assert ("verdict", "misquoted", "out_of_context", "rita", "Full recording found.") in changed
    assert ("rating", "false", None, "rita", "Full recording found.") in changed
    assert body["verdict_author"] == "rita"


def test_sign_off_then_correction_over_the_api(client, app, quotes, tokens):
    quote_id = quotes["draft"]
    client.patch(url(quote_id), headers=bearer(tokens["rita"]),
                 json={"version": current_version(app, quote_id), "status": "awaiting_signoff"})
    client.patch(url(quote_id), headers=bearer(tokens["ed"]),
                 json={"version": current_version(app, quote_id), "status": "published"})
    assert client.get(url(quote_id)).get_json()["verdict"] == "misquoted"  # readers see it now
    response = client.patch(url(quote_id), headers=bearer(tokens["eve"]), json={
        "version": current_version(app, quote_id), "verdict": "disputed", "note": "New recording."})
    assert response.get_json()["status"] == "corrected"
    public = client.get(url(quote_id)).get_json()
    assert [h["status"] for h in public["history"]] == ["published", "corrected"]


# --- PATCH: conflicts and bad values --------------------------------------------------------


def test_a_stale_version_is_a_409_with_the_current_state(client, app, quotes, tokens):
    quote_id = quotes["draft"]
    seen = current_version(app, quote_id)
    client.patch(url(quote_id), headers=bearer(tokens["ed"]),
                 json={"version": seen, "verdict": "accurate", "note": "Checked."})
    response = client.patch(url(quote_id), headers=bearer(tokens["rita"]),
                            json={"version": seen, "verdict": "disputed"})
    assert response.status_code == 409 and response.mimetype == PROBLEM
    body = response.get_json()
    assert body["current"]["verdict"] == "accurate" and body["current"]["version"] > seen
    assert ("verdict", "misquoted", "accurate", "ed", "Checked.") in {
        (c["field"], c["from"], c["to"], c["user"], c["note"]) for c in body["changes"]}
    with app.app_context():
        assert db.session.get(Quote, quote_id).verdict is V.ACCURATE


@pytest.mark.parametrize(("body", "fields"), [
    ({"verdict": "accurate"}, {"version"}),
    ({"version": "one"}, {"version"}),
    ({"version": 1, "verdict": "true"}, {"verdict"}),
    ({"version": 1, "rating": "pants_on_fire", "status": "done"}, {"rating", "status"}),
    ({"version": 1, "public_note": ["a"]}, {"public_note"}),
    ({"version": 1, "assignee": "rita"}, {"assignee"}),
    ("just text", {"body"}),
])
def test_invalid_values_are_a_422_field_by_field(client, quotes, tokens, body, fields):
    response = client.patch(url(quotes["draft"]), headers=bearer(tokens["rita"]), json=body)
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert set(response.get_json()["errors"]) == fields


def test_a_body_that_is_not_json_is_a_422(client, quotes, tokens):
    response = client.patch(url(quotes["draft"]), headers=bearer(tokens["rita"]), data="verdict=accurate",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422 and response.get_json()["errors"] == {"body": "Send a JSON object."}


def test_rule_breaks_are_a_422_too(client, app, quotes, tokens):
    quote_id = quotes["repeat"]  # unverified: cannot be published
    response = client.patch(url(quote_id), headers=bearer(tokens["ed"]),
                            json={"version": current_version(app, quote_id), "status": "published"})
    assert response.status_code == 422 and "verdict" in response.get_json()["errors"]


def test_patching_an_unknown_quote_is_a_404(client, tokens):
    response = client.patch(url(999_999), headers=bearer(tokens["rita"]), json={"version": 1})
    assert response.status_code == 404 and response.mimetype == PROBLEM
