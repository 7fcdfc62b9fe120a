"""The attribution check pages: who may see them, the list's order, each decision by form."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.db import db
from factcheck.models import AttributionState, Quote, ReviewEvent
from tests import attribution_data as data


@pytest.fixture
def ferry(app, users):
    """The three FERRY quotes (ids by name); two are on the list: winters (0.7), fantasy (0.86)."""
    with app.app_context():
        quotes = data.ferry(db.session)
        db.session.commit()
        return {name: quote.id for name, quote in quotes.items()}


def body(response) -> str:
    return response.get_data(as_text=True)


def stored(app, quote_id: int) -> tuple[AttributionState, str | None, int]:
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        return quote.attribution, quote.speaker.name if quote.speaker else None, quote.version


def history(app, quote_id: int) -> list[tuple[str, str | None, str | None, str]]:
    with app.app_context():
        return [(e.field, e.from_value, e.to_value, e.user.username) for e in db.session.scalars(
            select(ReviewEvent).where(ReviewEvent.quote_id == quote_id).order_by(ReviewEvent.id))]


def decide(client, quote_id: int, version: int, **fields):
    return client.submit(f"/check/quotes/{quote_id}", {"version": version, **fields}, form_page="/check")


@pytest.mark.parametrize("who, status", [(None, 302), ("rita", 403), ("ed", 200), ("ada", 200)])
@pytest.mark.parametrize("page", ["/check", "/check/list", "/check/quotes/{winters}"])
def test_only_editors_see_the_check(client, ferry, who, status, page):
    if who:
        client.login(who)
    response = client.get(page.format(**ferry))
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who, status", [(None, 302), ("rita", 403)])
def test_only_editors_decide(app, client, ferry, who, status):
    if who:
        client.login(who)
    response = decide(client, ferry["winters"], 1, action="confirm") if who else \
        client.post(f"/check/quotes/{ferry['winters']}", data={"version": 1, "action": "confirm"})
    assert response.status_code in (status, 400 if not who else status)
    assert stored(app, ferry["winters"])[0] is AttributionState.UNCHECKED


def test_disabled_account_cannot_sign_in_to_check(client, ferry):
    response = client.submit("/login", {"username": "dan", "password": "correct horse battery"})
    assert response.status_code == 401
    assert client.get("/check").status_code == 302


def test_item_page_shows_the_most_doubtful_quote_with_keys_and_no_inline_script(client, ferry):
    client.login("ed")
    page = body(client.get("/check"))
    assert "Quote 1 of 2 to check" in page
    assert "Did <span class=\"who-said\">Piet Lindqvist</span> say this?" in page
    assert '<mark class="hl-quote"><span class="visually-hidden">[quote] </span>We have heard' in page
    assert '<mark class="hl-speaker"><span class="visually-hidden">[speaker] </span>he</mark>' in page
    assert "speaker reached through a pronoun" in page
    for key in ("c", "u", "n", "1", "j"):
        assert f'data-key="{key}"' in page
    assert "<kbd>j</kbd> or <kbd>→</kbd>" in page, "the keys are listed on the page"
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script"
    assert not re.search(r"\son[a-z]+=", page), "no inline handlers"
    forms = page.count('<form method="post" action="/check/quotes/')
    assert forms >= 4 and page.count('name="csrf_token"') >= forms + 1  # + sign out
    assert '<label for="name">Who said it</label>' in page


def test_list_page_orders_by_doubt(client, ferry):
    client.login("ed")
    page = body(client.get("/check/list"))
    assert "2 quotes to check" in page
    assert page.index("We have heard this promise") < page.index("a fantasy")
    assert 'href="/check?at=2"' in page


def test_threshold_changes_the_list_and_bad_values_are_explained(client, ferry):
    client.login("ed")
    assert "Quote 1 of 3 to check" in body(client.get("/check?below=1"))
    assert "Quote 1 of 1 to check" in body(client.get("/check?below=0.8"))
    page = body(client.get("/check/list?below=7"))
    assert "Number must be between 0 and 1" in page and 'value="7"' in page
    assert "2 quotes to check" in page, "a bad threshold falls back to the default"


@pytest.mark.parametrize("fields, state, speaker, speaker_event", [
    ({"action": "confirm"}, AttributionState.CONFIRMED, "Piet Lindqvist", None),
    ({"action": "pick", "speaker_id": "minister"}, AttributionState.CORRECTED, "Selma Arvidsson",
     ("speaker", "Piet Lindqvist", "Selma Arvidsson", "ed")),
    ({"action": "new_speaker", "name": "Rita Solberg", "note": "on the tape"}, AttributionState.CORRECTED,
     "Rita Solberg", ("speaker", "Piet Lindqvist", "Rita Solberg", "ed")),
    ({"action": "unattributed"}, AttributionState.UNATTRIBUTED, None, ("speaker", "Piet Lindqvist", None, "ed")),
    ({"action": "not_a_quote"}, AttributionState.NOT_A_QUOTE, None, ("speaker", "Piet Lindqvist", None, "ed")),
])
def test_each_decision_by_plain_form(app, client, ferry, fields, state, speaker, speaker_event):
    client.login("ed")
    if fields.get("speaker_id"):
        with app.app_context():
            fields = {**fields, "speaker_id": db.session.get(Quote, ferry[fields["speaker_id"]]).speaker_id}
    response = decide(client, ferry["winters"], 1, next="/check?at=1", **fields)
    assert response.status_code == 302 and response.headers["Location"] == "/check?at=1"
    assert stored(app, ferry["winters"]) == (state, speaker, 2)
    assert history(app, ferry["winters"]) == ([speaker_event] if speaker_event else []) + [
        ("attribution", "unchecked", state.value, "ed")]
    after = body(client.get("/check?at=1"))
    assert "Quote 1 of 1 to check" in after and "a fantasy" in after, "the next quote takes its place"
    assert f"(quote #{ferry['winters']})" in after


def test_stale_decision_is_refused_with_the_other_change_shown(app, client, ferry):
    client.login("eve")
    assert decide(client, ferry["winters"], 1, action="unattributed").status_code == 302
    client.post("/logout", data={"csrf_token": client.csrf_token("/check")})
    client.login("ed")
    response = decide(client, ferry["winters"], 1, action="confirm", next=f"/check/quotes/{ferry['winters']}")
    assert response.status_code == 409
    page = body(response)
    assert "Someone else changed this quote while you were looking" in page
    assert "<strong>eve</strong>" in page and "unchecked → <strong>unattributed</strong>" in page
    assert stored(app, ferry["winters"])[0] is AttributionState.UNATTRIBUTED


def test_csrf_is_required(app, client, ferry):
    client.login("ed")
    response = client.post(f"/check/quotes/{ferry['winters']}", data={"version": 1, "action": "confirm"})
    assert response.status_code == 400 and "CSRF" in body(response)
    assert stored(app, ferry["winters"])[0] is AttributionState.UNCHECKED


def test_bad_new_name_is_shown_beside_the_field_with_the_input_kept(app, client, ferry):
    client.login("ed")
    response = decide(client, ferry["winters"], 1, action="new_speaker", name="🙂🙂", note="my reason",
                      next="/check?at=1")
    assert response.status_code == 422
    page = body(response)
    assert re.search(r'id="name"[^>]*value="🙂🙂"', page) and 'value="my reason"' in page
    assert "Give the person&#39;s or organisation&#39;s name" in page
    assert "Quote 1 of 2 to check" in page
    assert stored(app, ferry["winters"])[0] is AttributionState.UNCHECKED


def test_next_never_leaves_the_check(client, ferry):
    client.login("ed")
    response = decide(client, ferry["winters"], 1, action="confirm", next="https://elsewhere.example/")
    assert response.headers["Location"] == f"/check/quotes/{ferry['winters']}"


def test_nothing_to_check(client, users):
    client.login("ed")
    assert "Nothing to check" in body(client.get("/check"))


def test_reviewer_flags_a_quote_for_the_check(app, client, ferry):
    client.login("rita")
    desk_page = f"/review/quotes/{ferry['minister']}"
    assert "Ask an editor to check who said it" in body(client.get(desk_page))
    response = client.submit(f"/check/quotes/{ferry['minister']}/flag", {"version": 1}, form_page=desk_page)
    assert response.status_code == 302 and response.headers["Location"] == desk_page
    assert "An editor has been asked to check who said it." in body(client.get(desk_page))
    assert history(app, ferry["minister"]) == [("attribution_flag", None, "check requested", "rita")]
    client.post("/logout", data={"csrf_token": client.csrf_token("/login")})
    client.login("ed")
    assert "a reviewer asked for a check" in body(client.get("/check"))
    assert f'href="/check/quotes/{ferry["minister"]}"' in body(client.get(desk_page))


def test_speaker_page_counts_editor_confirmed_quotes(app, client, ferry):
    client.login("ed")
    decide(client, ferry["winters"], 1, action="confirm")
    with app.app_context():
        speaker_id = db.session.get(Quote, ferry["winters"]).speaker_id
    client.post("/logout", data={"csrf_token": client.csrf_token("/login")})
    page = body(client.get(f"/speakers/{speaker_id}"))  # readers see it too
    assert "1 of 2 confirmed by an editor as said by Piet Lindqvist" in page


@pytest.mark.parametrize("fields, message", [
    ({"action": "hack"}, "Not a valid choice"),
    ({"action": "confirm", "version": ""}, "Reload the page."),
    ({"action": "pick", "speaker_id": "999999"}, "That speaker is not on record; reload the page."),
])
def test_malformed_decisions_are_explained(app, client, ferry, fields, message):
    client.login("ed")
    response = client.submit(f"/check/quotes/{ferry['winters']}", {"version": 1, **fields}, form_page="/check")
    assert response.status_code == 422
    assert message in body(response)
    assert stored(app, ferry["winters"])[0] is AttributionState.UNCHECKED
