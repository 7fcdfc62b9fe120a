"""The desk pages: the queue, the review form, conflicts, evidence, reuse and bulk actions."""

from __future__ import annotations

import re
from html import unescape

import pytest

from factcheck.db import db
from factcheck.models import Quote, ReviewEvent, ReviewStatus, Verdict
from tests.review_data import days_ago, match, quote, user

S = ReviewStatus
V = Verdict


@pytest.fixture
def quotes(app, users):
    """Three quotes: a possible misattribution pair, and a fresh unmatched one."""
    with app.app_context():
        fresh = quote(db.session, "The ferry will run every hour", published_at=days_ago(1))
        original = quote(db.session, "We built this city on trust", by="Ingrid Halvorsen",
                         published_at=days_ago(40), status=S.PUBLISHED, verdict=V.ACCURATE)
        original.public_note = "Matches the **council recording**."
        credited = quote(db.session, "We built this city on trust", by="Tomas Brennick",
                         published_at=days_ago(5), outlet="Harbour Gazette")
        match(db.session, credited, original, misattribution=True)
        db.session.commit()
        return {"fresh": fresh.id, "original": original.id, "credited": credited.id}


def state(app, quote_id: int) -> Quote:
    with app.app_context():
        found = db.session.get(Quote, quote_id)
        db.session.expunge(found)
        return found


def version_of(app, quote_id: int) -> int:
    return state(app, quote_id).version


def review_form(app, quote_id: int, **fields) -> dict:
    q = state(app, quote_id)
    data = {"version": q.version, "verdict": q.verdict.value, "rating": q.rating or "",
            "status": q.status.value, "public_note": q.public_note, "internal_note": q.internal_note,
            "misattributed_to": "", "note": ""}
    data.update(fields)
    return data


def desk(quote_id: int) -> str:
    return f"/review/quotes/{quote_id}"


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


# --- pages need an account ----------------------------------------------------------------


@pytest.mark.parametrize("page", ["/review", "/review/quotes/{fresh}"])
def test_desk_pages_send_readers_to_sign_in(client, quotes, page):
    response = client.get(page.format(**quotes))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_disabled_accounts_cannot_sign_in(client, users):
    response = client.submit("/login", {"username": "dan", "password": "correct horse battery"})
    assert response.status_code == 401


# --- the queue ----------------------------------------------------------------------------


def test_queue_lists_open_quotes_misattributions_first(client, quotes):
    client.login("rita")
    page = text_of(client.get("/review"))
    assert "2 quotes." in page
    assert page.index("possible misattribution") < page.index("The ferry will run every hour")
    assert f'value="{quotes["credited"]}:' in page  # a box to tick per quote
    assert "We built this city" in page


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("status=any", ["The ferry", "We built this city"], []),
    ("status=published", ["We built this city"], ["The ferry"]),
    ("outlet=gazette", ["We built this city"], ["The ferry"]),
    ("speaker=halvorsen&status=any", ["The ferry", "We built this city"], []),
    ("speaker=brennick", ["We built this city"], ["The ferry"]),
    ("reviewer=none", ["The ferry", "We built this city"], []),
    ("reviewer=me", [], ["The ferry", "We built this city"]),
    ("verdict=accurate&status=any", ["We built this city"], ["The ferry"]),
    (f"date_from={days_ago(3).date()}", ["The ferry"], ["We built this city"]),
    ("date_from=not-a-date", ["The ferry", "We built this city"], []),
])
def test_queue_filters(client, quotes, query, shown, hidden):
    client.login("rita")
    response = client.get(f"/review?{query}")
    assert response.status_code == 200
    page = text_of(response)
    for words in shown:
        assert words in page
    for words in hidden:
        assert words not in page


def test_a_bad_filter_value_is_shown_beside_its_field(client, quotes):
    client.login("rita")
    page = text_of(client.get("/review?date_from=31-31-2026&status=bogus"))
    assert page.count('class="error"') == 2


def test_assign_to_me_from_the_queue(client, app, quotes):
    client.login("rita")
    token_page = "/review"
    take = f'{quotes["fresh"]}:{version_of(app, quotes["fresh"])}'
    response = client.submit("/review/bulk", {"take": take, "back": "/review?status=any"},
                             form_page=token_page)
    assert response.status_code == 302 and response.headers["Location"].endswith("/review?status=any")
    assert state(app, quotes["fresh"]).assignee_id is not None
    assert "Changed 1 quote." in text_of(client.get("/review?reviewer=me"))


def test_bulk_actions_on_the_selected_quotes(client, app, quotes, users):
    client.login("ed")
    selected = [f'{quotes[name]}:{version_of(app, quotes[name])}' for name in ("fresh", "credited")]
    response = client.submit("/review/bulk", {"quote": selected, "action": "assign",
                                              "bulk_assignee": str(users["rita"])}, form_page="/review")
    assert response.status_code == 302
    assert {state(app, quotes[n]).assignee_id for n in ("fresh", "credited")} == {users["rita"]}

    selected = [f'{quotes[name]}:{version_of(app, quotes[name])}' for name in ("fresh", "credited")]
    client.submit("/review/bulk", {"quote": selected, "action": "status", "bulk_status": "published"},
                  form_page="/review")
    page = text_of(client.get("/review?status=any"))
    assert "left as it was" in page and "Give a verdict before publishing." in page
    assert state(app, quotes["fresh"]).status is S.NEW


def test_bulk_action_with_nothing_ticked_says_so(client, quotes):
    client.login("ed")
    client.submit("/review/bulk", {"action": "assign", "bulk_assignee": ""}, form_page="/review")
    assert "Tick the quotes" in text_of(client.get("/review"))


def test_bulk_back_link_never_leaves_the_desk(client, app, quotes):
    client.login("rita")
    take = f'{quotes["fresh"]}:{version_of(app, quotes["fresh"])}'
    response = client.submit("/review/bulk", {"take": take, "back": "//evil.example/review"},
                             form_page="/review")
    assert response.headers["Location"].endswith("/review")


# --- the desk page ------------------------------------------------------------------------


def test_desk_page_shows_form_state_matches_and_history(client, quotes):
    client.login("rita")
    page = text_of(client.get(desk(quotes["credited"])))
    assert "Review quote #" in page and 'name="verdict"' in page and 'name="version"' in page
    assert "possible misattribution" in page and "Ingrid Halvorsen" in page
    assert "Reuse this published verdict" not in page  # someone else's words: no reuse
    assert "Nothing recorded yet." in page
    assert "Fix who said it" not in page  # editors only


def test_saving_a_verdict_records_history_and_redirects(client, app, quotes):
    client.login("rita")
    form = review_form(app, quotes["fresh"], verdict="accurate", rating="true",
                       public_note="The timetable says so.", note="Checked the timetable.")
    response = client.submit(desk(quotes["fresh"]), form, form_page=desk(quotes["fresh"]))
    assert response.status_code == 302
    page = text_of(client.get(desk(quotes["fresh"])))
    assert "Saved." in page and "Checked the timetable." in page
    assert "Unverified → Accurate" in page and "True" in page
    saved = state(app, quotes["fresh"])
    assert (saved.verdict, saved.rating, saved.status) == (V.ACCURATE, "true", S.IN_PROGRESS)


def test_reviewer_sends_for_signoff_and_another_editor_publishes(client, app, quotes):
    client.login("rita")
    client.submit(desk(quotes["fresh"]), review_form(app, quotes["fresh"], verdict="accurate",
                                                     status="awaiting_signoff"),
                  form_page=desk(quotes["fresh"]))
    client.login("ed")
    response = client.submit(desk(quotes["fresh"]), review_form(app, quotes["fresh"], status="published"),
                             form_page=desk(quotes["fresh"]))
    assert response.status_code == 302
    assert state(app, quotes["fresh"]).status is S.PUBLISHED
    assert "Accurate" in text_of(client.get(f"/quotes/{quotes['fresh']}"))


def test_a_reviewer_cannot_publish_and_keeps_what_they_typed(client, app, quotes):
    client.login("rita")
    form = review_form(app, quotes["fresh"], verdict="accurate", status="published",
                       public_note="My careful note")
    response = client.submit(desk(quotes["fresh"]), form, form_page=desk(quotes["fresh"]))
    assert response.status_code == 403
    page = text_of(response)
    assert "Only an editor can move a quote to “Published”." in page
    assert "My careful note" in page
    assert state(app, quotes["fresh"]).verdict is V.UNVERIFIED


def test_invalid_values_are_shown_beside_the_field(client, app, quotes):
    client.login("rita")
    form = review_form(app, quotes["fresh"], misattributed_to="Tomas Brennick",
                       internal_note="Keep this text")
    response = client.submit(desk(quotes["fresh"]), form, form_page=desk(quotes["fresh"]))
    assert response.status_code == 422
    page = text_of(response)
    assert re.search(r'misattributed_to.*?class="error"[^>]*>Only for the verdict', page, re.S)
    assert "Keep this text" in page


def test_a_malformed_form_is_a_400_with_the_input_kept(client, app, quotes):
    client.login("rita")
    form = review_form(app, quotes["fresh"], verdict="fabulous", public_note="Still here")
    response = client.submit(desk(quotes["fresh"]), form, form_page=desk(quotes["fresh"]))
    assert response.status_code == 400 and "Still here" in text_of(response)


def test_public_notes_are_markdown_with_html_shown_as_text(client, app, quotes):
    client.login("rita")
    note = "**Bold** claim <script>alert(1)</script> [x](javascript:alert(2))"
    client.submit(desk(quotes["fresh"]), review_form(app, quotes["fresh"], public_note=note),
                  form_page=desk(quotes["fresh"]))
    body = client.get(desk(quotes["fresh"])).get_data(as_text=True)
    assert "<strong>Bold</strong>" in body
    assert "<script>alert(1)" not in body and 'href="javascript:' not in body


# --- conflicts ----------------------------------------------------------------------------


def test_a_stale_save_shows_the_other_change_keeps_the_input_and_overwrites_nothing(client, app, quotes):
    quote_id = quotes["fresh"]
    client.login("rita")
    stale = review_form(app, quote_id, verdict="misquoted", public_note="Rita's long careful note")
    # Meanwhile an editor saves through another browser.
    other = app.test_client()
    from tests.conftest import FormClient
    editor = FormClient(other)
    editor.login("ed")
    editor.submit(desk(quote_id), review_form(app, quote_id, verdict="accurate",
                                              note="Heard the recording."),
                  form_page=desk(quote_id))

    response = client.submit(desk(quote_id), stale, form_page=desk(quote_id))
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else saved this quote while you were working" in page
    assert "ed" in page and "Unverified → Accurate" in page and "Heard the recording." in page
    assert "Rita's long careful note" in page
    assert re.search(r'<select[^>]*name="verdict".*?<option selected value="misquoted"', page, re.S)
    saved = state(app, quote_id)
    assert saved.verdict is V.ACCURATE and saved.public_note == ""
    # The form now carries the current version: saving again applies Rita's values on purpose.
    current = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page)
    assert int(current.group(1)) == saved.version
    stale["version"] = saved.version
    assert client.submit(desk(quote_id), stale, form_page=desk(quote_id)).status_code == 302
    assert state(app, quote_id).verdict is V.MISQUOTED


# --- evidence, assignment, speaker, reuse --------------------------------------------------


def test_evidence_is_added_shown_and_removed(client, app, quotes):
    quote_id = quotes["fresh"]
    client.login("rita")
    response = client.submit(f"{desk(quote_id)}/evidence", {
        "url": "https://example.org/timetable", "title": "Ferry timetable",
        "archive_url": "https://archive.example.org/timetable", "accessed_on": "2026-10-03",
        "shows": "Hourly departures."}, form_page=desk(quote_id))
    assert response.status_code == 302
    page = text_of(client.get(desk(quote_id)))
    assert "Ferry timetable" in page and "archived copy" in page and "Hourly departures." in page
    with app.app_context():
        evidence_id = db.session.get(Quote, quote_id).evidence[0].id
    response = client.submit(f"{desk(quote_id)}/evidence/{evidence_id}/remove", {},
                             form_page=desk(quote_id))
    assert response.status_code == 302
    page = text_of(client.get(desk(quote_id)))
    assert "No evidence yet." in page and "removed Ferry timetable" in page


def test_bad_evidence_is_shown_beside_the_field(client, quotes):
    client.login("rita")
    response = client.submit(f"{desk(quotes['fresh'])}/evidence",
                             {"url": "not a url", "title": "Keep me"}, form_page=desk(quotes["fresh"]))
    assert response.status_code == 400
    page = text_of(response)
    assert "Keep me" in page and "Invalid URL." in page


def test_evidence_of_another_quote_is_not_found(client, app, quotes):
    client.login("ed")
    client.submit(f"{desk(quotes['fresh'])}/evidence", {"url": "https://example.org/a"},
                  form_page=desk(quotes["fresh"]))
    with app.app_context():
        evidence_id = db.session.get(Quote, quotes["fresh"]).evidence[0].id
    response = client.submit(f"{desk(quotes['credited'])}/evidence/{evidence_id}/remove", {},
                             form_page=desk(quotes["fresh"]))
    assert response.status_code == 404


def test_assign_on_the_desk_page(client, app, quotes, users):
    client.login("ed")
    response = client.submit(f"{desk(quotes['fresh'])}/assign",
                             {"version": version_of(app, quotes["fresh"]), "assignee": str(users["eve"])},
                             form_page=desk(quotes["fresh"]))
    assert response.status_code == 302
    assert state(app, quotes["fresh"]).assignee_id == users["eve"]
    client.login("rita")  # a reviewer cannot take eve's quote
    response = client.submit(f"{desk(quotes['fresh'])}/assign",
                             {"version": version_of(app, quotes["fresh"]), "assignee": str(users["rita"])},
                             form_page=desk(quotes["fresh"]))
    assert response.status_code == 403 and "an editor assigns the rest" in text_of(response)


def test_an_editor_fixes_the_speaker(client, app, quotes):
    client.login("ed")
    response = client.submit(f"{desk(quotes['credited'])}/speaker",
                             {"version": version_of(app, quotes["credited"]),
                              "speaker_name": "Ingrid Halvorsen", "speaker_note": "Her words."},
                             form_page=desk(quotes["credited"]))
    assert response.status_code == 302
    page = text_of(client.get(desk(quotes["credited"])))
    assert "Tomas Brennick → Ingrid Halvorsen" in page and "Her words." in page


def test_reuse_a_published_verdict_in_one_click(client, app, users):
    with app.app_context():
        earlier = quote(db.session, "Water bills will fall next year", status=S.PUBLISHED,
                        verdict=V.OUT_OF_CONTEXT, published_at=days_ago(9))
        earlier.public_note = "Only for some households."
        newer = quote(db.session, "Water bills will fall next year", published_at=days_ago(1))
        match(db.session, newer, earlier)
        db.session.commit()
        ids = earlier.id, newer.id
    client.login("rita")
    page = text_of(client.get(desk(ids[1])))
    assert "Reuse this published verdict" in page
    response = client.submit(f"{desk(ids[1])}/reuse/{ids[0]}", {"version": version_of(app, ids[1])},
                             form_page=desk(ids[1]))
    assert response.status_code == 302
    reused = state(app, ids[1])
    assert reused.verdict is V.OUT_OF_CONTEXT and reused.public_note == "Only for some households."
    assert reused.status is S.IN_PROGRESS  # never published by itself
    assert f"Reused the published verdict of quote #{ids[0]}" in text_of(client.get(desk(ids[1])))


def test_a_correction_is_shown_as_such(client, app, quotes):
    client.login("ed")
    client.submit(desk(quotes["original"]), review_form(app, quotes["original"], verdict="disputed",
                                                        note="A second recording differs."),
                  form_page=desk(quotes["original"]))
    page = text_of(client.get(desk(quotes["original"])))
    assert "correction" in page and "Published → Corrected" in page
    with app.app_context():
        assert db.session.query(ReviewEvent).filter_by(field="status", to_value="corrected").count() == 1


def test_the_public_quote_page_links_signed_in_users_to_the_desk(client, quotes):
    assert f'href="/review/quotes/{quotes["fresh"]}"' not in client.get(f"/quotes/{quotes['fresh']}").get_data(as_text=True)
    client.login("rita")
    assert f'href="/review/quotes/{quotes["fresh"]}"' in client.get(f"/quotes/{quotes['fresh']}").get_data(as_text=True)


def test_unknown_quote_is_a_404(client, quotes):
    client.login("rita")
    assert client.get("/review/quotes/999999").status_code == 404


def test_a_refused_reuse_says_why_on_the_page(client, app, quotes):
    client.login("rita")
    # "original" has a published verdict but is no repeat of "fresh".
    response = client.submit(f"{desk(quotes['fresh'])}/reuse/{quotes['original']}",
                             {"version": version_of(app, quotes["fresh"])}, form_page=desk(quotes["fresh"]))
    assert response.status_code == 422
    assert "no published verdict this one can reuse" in text_of(response)
