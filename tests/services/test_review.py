"""The review desk's rules: who may do what, the history, conflicts, reuse and the queue."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from factcheck.db import db
from factcheck.models import (
    AttributionState,
    Evidence,
    MatchRelation,
    Quote,
    ReviewEvent,
    ReviewStatus,
    Speaker,
    Verdict,
)
from factcheck.services import review
from factcheck.services.review import (
    UNCHANGED,
    DeskRules,
    EvidenceInput,
    InvalidReview,
    NotAllowed,
    QueueFilters,
    ReviewChange,
    StaleVersion,
)
from tests.review_data import RULES, days_ago, match, quote, user

S = ReviewStatus
V = Verdict


def events_of(session, quote_id: int) -> list[tuple[str, str | None, str | None, str]]:
    rows = session.scalars(select(ReviewEvent).where(ReviewEvent.quote_id == quote_id)
                           .order_by(ReviewEvent.id))
    return [(e.field, e.from_value, e.to_value, e.user.username if e.user else None) for e in rows]


def save(session, q: Quote, who: str, rules: DeskRules = RULES, **fields):
    return review.apply_review(session, q, user(session, who), ReviewChange(**fields),
                               version=q.version, rules=rules)


# --- who may move a quote where -----------------------------------------------------------

# (who, from, to, outcome). The verdict (accurate) was written by rita, a reviewer.
TRANSITIONS = [
    ("rita", S.NEW, S.IN_PROGRESS, "ok"),
    ("rita", S.IN_PROGRESS, S.AWAITING_SIGNOFF, "ok"),
    ("rita", S.AWAITING_SIGNOFF, S.IN_PROGRESS, "ok"),
    ("rita", S.AWAITING_SIGNOFF, S.PUBLISHED, NotAllowed),
    ("rita", S.PUBLISHED, S.CORRECTED, NotAllowed),
    ("rita", S.PUBLISHED, S.IN_PROGRESS, NotAllowed),
    ("rita", S.NEW, S.CORRECTED, InvalidReview),
    ("ed", S.AWAITING_SIGNOFF, S.PUBLISHED, "ok"),
    ("ed", S.NEW, S.PUBLISHED, "ok"),
    ("ed", S.PUBLISHED, S.CORRECTED, "ok"),
    ("ed", S.PUBLISHED, S.IN_PROGRESS, "ok"),
    ("ed", S.CORRECTED, S.IN_PROGRESS, "ok"),
    ("ed", S.PUBLISHED, S.AWAITING_SIGNOFF, InvalidReview),
    ("ed", S.CORRECTED, S.PUBLISHED, InvalidReview),
    ("ada", S.AWAITING_SIGNOFF, S.PUBLISHED, "ok"),
    ("dan", S.NEW, S.IN_PROGRESS, NotAllowed),  # disabled account
]


@pytest.mark.parametrize(("who", "start", "target", "outcome"), TRANSITIONS)
def test_status_transitions_by_role(session, users, who, start, target, outcome):
    q = quote(session, "The bridge will reopen in spring", status=start, verdict=V.ACCURATE,
              author=user(session, "rita"))
    if outcome == "ok":
        save(session, q, who, status=target)
        assert q.status is target
        assert events_of(session, q.id)[-1] == ("status", start.value, target.value, who)
    else:
        with pytest.raises(outcome):
            save(session, q, who, status=target)
        assert q.status is start and events_of(session, q.id) == []


def test_publishing_is_the_signoff(session, users):
    q = quote(session, "Taxes will not rise this year", status=S.AWAITING_SIGNOFF, verdict=V.ACCURATE,
              author=user(session, "rita"))
    save(session, q, "ed", status=S.PUBLISHED)
    assert q.signed_off_by.username == "ed" and q.published_at is not None


@pytest.mark.parametrize(("require_second_editor", "outcome"), [(True, NotAllowed), (False, "ok")])
def test_the_verdicts_author_cannot_sign_it_off_unless_configured(session, users, require_second_editor,
                                                                   outcome):
    rules = DeskRules(RULES.rating_scale, require_second_editor=require_second_editor)
    q = quote(session, "Nobody told us about the closure")
    save(session, q, "ed", rules, verdict=V.MISQUOTED, status=S.AWAITING_SIGNOFF)
    if outcome == "ok":
        save(session, q, "ed", rules, status=S.PUBLISHED)
        assert q.status is S.PUBLISHED
    else:
        with pytest.raises(NotAllowed, match="another editor"):
            save(session, q, "ed", rules, status=S.PUBLISHED)
        save(session, q, "eve", rules, status=S.PUBLISHED)  # a second editor can
        assert q.signed_off_by.username == "eve"


def test_writing_the_verdict_and_publishing_in_one_save_is_a_self_signoff(session, users):
    q = quote(session, "The depot closes on Friday")
    with pytest.raises(NotAllowed):
        save(session, q, "ed", verdict=V.ACCURATE, status=S.PUBLISHED)
    assert q.verdict is V.UNVERIFIED and q.status is S.NEW


def test_an_unverified_verdict_cannot_be_published(session, users):
    q = quote(session, "We have the money for it", status=S.AWAITING_SIGNOFF)
    with pytest.raises(InvalidReview) as raised:
        save(session, q, "ed", status=S.PUBLISHED)
    assert "verdict" in raised.value.errors


def test_recording_anything_starts_the_work(session, users):
    q = quote(session, "It is the busiest crossing in the region")
    save(session, q, "rita", internal_note="Call the transport office.", status=S.NEW)
    assert q.status is S.IN_PROGRESS


# --- corrections --------------------------------------------------------------------------


def test_changing_a_published_verdict_is_a_correction(session, users):
    q = quote(session, "Crime fell by a third", status=S.AWAITING_SIGNOFF, verdict=V.ACCURATE,
              author=user(session, "rita"))
    save(session, q, "ed", status=S.PUBLISHED, public_note="Matches the recording.")
    first_published = q.published_at
    save(session, q, "eve", verdict=V.OUT_OF_CONTEXT, note="The figure was for one district.")
    assert q.status is S.CORRECTED and q.verdict is V.OUT_OF_CONTEXT
    assert q.published_at == first_published
    assert events_of(session, q.id)[-2:] == [
        ("verdict", "accurate", "out_of_context", "eve"),
        ("status", "published", "corrected", "eve"),
    ]
    assert q.events[-1].note == "The figure was for one district."
    # A second correction is recorded as one too.
    save(session, q, "ed", public_note="Corrected: the figure covers one district.")
    assert events_of(session, q.id)[-1] == ("status", "corrected", "corrected", "ed")


@pytest.mark.parametrize("fields", [
    {"verdict": V.MISQUOTED}, {"rating": "false"}, {"public_note": "Something else."},
])
def test_a_reviewer_cannot_change_what_readers_see_on_a_published_verdict(session, users, fields):
    q = quote(session, "The plan costs nothing", status=S.PUBLISHED, verdict=V.ACCURATE)
    with pytest.raises(NotAllowed, match="editor"):
        save(session, q, "rita", **fields)
    assert q.status is S.PUBLISHED and q.verdict is V.ACCURATE and q.rating is None


def test_a_reviewer_can_still_keep_internal_notes_on_a_published_verdict(session, users):
    q = quote(session, "The plan costs nothing", status=S.PUBLISHED, verdict=V.ACCURATE)
    save(session, q, "rita", internal_note="Reader asked about the source.")
    assert q.status is S.PUBLISHED


# --- the history: one entry per change, append-only -----------------------------------------


def _change_verdict(session, q):
    save(session, q, "rita", verdict=V.DISPUTED, note="Two accounts differ.")


def _change_rating(session, q):
    save(session, q, "rita", rating="mostly_true")


def _change_status(session, q):
    save(session, q, "rita", status=S.AWAITING_SIGNOFF)


def _change_public_note(session, q):
    save(session, q, "rita", public_note="The **recording** confirms it.")


def _change_internal_note(session, q):
    save(session, q, "rita", internal_note="Ask the press office.")


def _add_evidence(session, q):
    review.add_evidence(session, q, user(session, "rita"),
                        EvidenceInput(url="https://example.org/transcript", title="Transcript",
                                      accessed_on=date(2026, 10, 3), shows="The full sentence."))


def _remove_evidence(session, q):
    item = Evidence(quote_id=q.id, url="https://example.org/old", title="Old link",
                    added_by_id=user(session, "rita").id)
    session.add(item)
    session.flush()
    review.remove_evidence(session, item, user(session, "rita"))


def _assign(session, q):
    review.assign(session, q, user(session, "rita"), user(session, "rita"), version=q.version)


def _fix_speaker(session, q):
    review.fix_speaker(session, q, user(session, "ed"), "Tomas Brennick", version=q.version,
                       note="The article mixed them up.")


def _misattribute(session, q):
    save(session, q, "rita", verdict=V.MISATTRIBUTED, misattributed_to="Tomas Brennick")


HISTORY = [
    (_change_verdict, [("verdict", "unverified", "disputed", "rita"), ("status", "new", "in_progress", "rita")]),
    (_change_rating, [("rating", None, "mostly_true", "rita"), ("status", "new", "in_progress", "rita")]),
    (_change_status, [("status", "new", "awaiting_signoff", "rita")]),
    (_change_public_note, [("public_note", "", "The **recording** confirms it.", "rita"),
                           ("status", "new", "in_progress", "rita")]),
    (_change_internal_note, [("internal_note", "", "Ask the press office.", "rita"),
                             ("status", "new", "in_progress", "rita")]),
    (_add_evidence, [("evidence", None, "Transcript <https://example.org/transcript>", "rita")]),
    (_remove_evidence, [("evidence", "Old link <https://example.org/old>", None, "rita")]),
    (_assign, [("assignee", None, "rita", "rita")]),
    (_fix_speaker, [("speaker", "Ingrid Halvorsen", "Tomas Brennick", "ed")]),
    (_misattribute, [("verdict", "unverified", "misattributed", "rita"),
                     ("misattributed_to", None, "Tomas Brennick", "rita"),
                     ("status", "new", "in_progress", "rita")]),
]


@pytest.mark.parametrize(("action", "expected"), HISTORY, ids=[a.__name__ for a, _ in HISTORY])
def test_every_kind_of_change_leaves_a_history_entry(session, users, action, expected):
    q = quote(session, "The ferry will be free for pensioners")
    action(session, q)
    assert events_of(session, q.id) == expected
    assert all(event.created_at.tzinfo is not None for event in q.events)


def test_history_is_appended_never_rewritten(session, users):
    q = quote(session, "We will plant ten thousand trees")
    save(session, q, "rita", verdict=V.ACCURATE)
    save(session, q, "rita", verdict=V.DISPUTED)
    save(session, q, "rita", verdict=V.ACCURATE)
    verdicts = [(old, new) for field, old, new, _ in events_of(session, q.id) if field == "verdict"]
    assert verdicts == [("unverified", "accurate"), ("accurate", "disputed"), ("disputed", "accurate")]


def test_saving_the_same_values_again_records_nothing(session, users):
    q = quote(session, "We will plant ten thousand trees")
    save(session, q, "rita", verdict=V.ACCURATE, public_note="Line one\r\nLine two")
    before, version = len(q.events), q.version
    assert save(session, q, "rita", verdict=V.ACCURATE, public_note="Line one\nLine two\n",
                status=S.IN_PROGRESS) == []
    assert len(q.events) == before and q.version == version


def test_speaker_fix_marks_the_attribution_corrected_and_is_for_editors(session, users):
    q = quote(session, "The harbour is safe")
    with pytest.raises(NotAllowed):
        review.fix_speaker(session, q, user(session, "rita"), "Tomas Brennick", version=q.version)
    review.fix_speaker(session, q, user(session, "ed"), "Tomas Brennick", version=q.version)
    assert q.speaker.name == "Tomas Brennick" and q.attribution is AttributionState.CORRECTED


# --- conflicts ----------------------------------------------------------------------------


def test_a_stale_version_changes_nothing_and_shows_the_other_change(session, users):
    q = quote(session, "Rents have doubled since 2020")
    seen = q.version
    save(session, q, "ed", verdict=V.ACCURATE, note="Checked against the census.")
    with pytest.raises(StaleVersion) as raised:
        review.apply_review(session, q, user(session, "rita"), ReviewChange(verdict=V.MISQUOTED),
                            version=seen, rules=RULES)
    assert raised.value.expected == seen and raised.value.current == q.version
    assert q.verdict is V.ACCURATE
    other = review.changes_since(session, q.id, seen)
    assert [(e.field, e.to_value, e.user.username, e.note) for e in other] == [
        ("verdict", "accurate", "ed", "Checked against the census."),
        ("status", "in_progress", "ed", "Checked against the census."),
    ]


def test_two_sessions_saving_at_once_one_wins_the_other_gets_a_conflict(app, users):
    with app.app_context():
        q = quote(db.session, "The station will open in May")
        db.session.commit()
        quote_id = q.id
    with app.app_context():
        # Both load version 1. The second keeps what it loaded but holds no transaction
        # open (as between two requests), so SQLite lets the first one write.
        first, second = Session(db.engine), Session(db.engine, expire_on_commit=False)
        try:
            theirs, theirs_user = second.get(Quote, quote_id), user(second, "ed")
            second.commit()
            mine = first.get(Quote, quote_id)
            version = mine.version
            assert theirs.version == version
            review.apply_review(first, mine, user(first, "rita"), ReviewChange(verdict=V.ACCURATE),
                                version=version, rules=RULES)
            first.commit()
            with pytest.raises(StaleVersion) as raised:
                review.apply_review(second, theirs, theirs_user, ReviewChange(verdict=V.MISQUOTED),
                                    version=version, rules=RULES)
            assert raised.value.current is None  # caught by the database, not the early check
            second.rollback()
            assert second.get(Quote, quote_id).verdict is V.ACCURATE
        finally:
            first.close()
            second.close()


def test_assignment_and_speaker_fixes_check_the_version_too(session, users):
    q = quote(session, "The harbour is safe")
    seen = q.version
    save(session, q, "rita", verdict=V.ACCURATE)
    with pytest.raises(StaleVersion):
        review.assign(session, q, user(session, "ed"), user(session, "rita"), version=seen)
    with pytest.raises(StaleVersion):
        review.fix_speaker(session, q, user(session, "ed"), "Someone Else", version=seen)


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "bad_field"), [
    ({"rating": "pants_on_fire"}, "rating"),
    ({"public_note": "x" * (review.MAX_NOTE_LENGTH + 1)}, "public_note"),
    ({"misattributed_to": "Tomas Brennick"}, "misattributed_to"),  # the verdict is not "misattributed"
    ({"verdict": V.MISATTRIBUTED, "misattributed_to": "!!!"}, "misattributed_to"),
    ({"note": "x" * (review.MAX_HISTORY_NOTE_LENGTH + 1)}, "note"),
])
def test_invalid_values_are_refused_field_by_field(session, users, fields, bad_field):
    q = quote(session, "Fares will stay the same")
    with pytest.raises(InvalidReview) as raised:
        save(session, q, "rita", **fields)
    assert bad_field in raised.value.errors
    assert q.status is S.NEW and q.verdict is V.UNVERIFIED and events_of(session, q.id) == []


def test_misattribution_links_the_real_speaker_and_clears_with_the_verdict(session, users):
    q = quote(session, "Let them eat cake")
    save(session, q, "rita", verdict=V.MISATTRIBUTED, misattributed_to="Jean-Jacques Rousseau")
    assert q.misattributed_to.name == "Jean-Jacques Rousseau"
    count = session.scalar(select(func.count()).select_from(Speaker))
    save(session, q, "rita", verdict=V.MISATTRIBUTED, misattributed_to="jean-jacques rousseau")
    assert session.scalar(select(func.count()).select_from(Speaker)) == count  # found, not duplicated
    save(session, q, "rita", verdict=V.ACCURATE_PARAPHRASE, misattributed_to="")
    assert q.misattributed_to is None
    assert ("misattributed_to", "Jean-Jacques Rousseau", None, "rita") in events_of(session, q.id)


@pytest.mark.parametrize(("item", "bad_field"), [
    (EvidenceInput(url="javascript:alert(1)"), "url"),
    (EvidenceInput(url=""), "url"),
    (EvidenceInput(url="https://example.org", archive_url="ftp://example.org/x"), "archive_url"),
    (EvidenceInput(url="https://example.org", accessed_on=date(2999, 1, 1)), "accessed_on"),
])
def test_evidence_needs_web_addresses_and_a_past_date(session, users, item, bad_field):
    q = quote(session, "Fares will stay the same")
    with pytest.raises(InvalidReview) as raised:
        review.add_evidence(session, q, user(session, "rita"), item)
    assert bad_field in raised.value.errors and q.evidence == []


def test_evidence_on_a_published_verdict_is_an_editors_change(session, users):
    q = quote(session, "Fares will stay the same", status=S.PUBLISHED, verdict=V.ACCURATE)
    item = EvidenceInput(url="https://example.org/fares")
    with pytest.raises(NotAllowed):
        review.add_evidence(session, q, user(session, "rita"), item)
    review.add_evidence(session, q, user(session, "ed"), item)
    assert [e.url for e in q.evidence] == ["https://example.org/fares"]


def test_only_the_adder_or_an_editor_removes_evidence(session, users):
    q = quote(session, "Fares will stay the same")
    item = review.add_evidence(session, q, user(session, "ed"), EvidenceInput(url="https://example.org/a"))
    with pytest.raises(NotAllowed):
        review.remove_evidence(session, item, user(session, "rita"))
    review.remove_evidence(session, item, user(session, "eve"))
    assert q.evidence == []


JSON_BODIES = [
    ({"version": 1, "verdict": "accurate", "rating": None, "status": "in_progress",
      "public_note": "ok", "internal_note": "", "note": "why"}, None),
    ({"verdict": "accurate"}, {"version"}),
    ({"version": "1"}, {"version"}),
    ({"version": True}, {"version"}),
    ({"version": 0}, {"version"}),
    ({"version": 1, "verdict": "true"}, {"verdict"}),
    ({"version": 1, "status": "done"}, {"status"}),
    ({"version": 1, "rating": "pants_on_fire"}, {"rating"}),
    ({"version": 1, "rating": 3}, {"rating"}),
    ({"version": 1, "public_note": 5, "internal_note": None}, {"public_note", "internal_note"}),
    ({"version": 1, "speaker": "Someone"}, {"speaker"}),
    ([1, 2], {"body"}),
]


@pytest.mark.parametrize(("body", "bad"), JSON_BODIES)
def test_json_changes_are_checked_field_by_field(body, bad):
    if bad is None:
        version, change = review.change_from_json(body, RULES)
        assert version == 1 and change.verdict is V.ACCURATE and change.rating is None
        assert change.status is S.IN_PROGRESS and change.note == "why"
    else:
        with pytest.raises(InvalidReview) as raised:
            review.change_from_json(body, RULES)
        assert set(raised.value.errors) == bad


def test_fields_left_out_of_a_change_stay_as_they_are(session, users):
    q = quote(session, "Fares will stay the same")
    save(session, q, "rita", verdict=V.ACCURATE, rating="true", public_note="Yes.")
    version, change = review.change_from_json({"version": q.version, "internal_note": "n"}, RULES)
    assert change.verdict is UNCHANGED and change.rating is UNCHANGED
    review.apply_review(session, q, user(session, "rita"), change, version=version, rules=RULES)
    assert (q.verdict, q.rating, q.public_note, q.internal_note) == (V.ACCURATE, "true", "Yes.", "n")


def test_the_rating_scale_comes_from_config():
    rules = DeskRules.from_config({"RATING_SCALE": [["a", "Alpha", 2], ["b", "Beta", 1]],
                                   "REQUIRE_SECOND_EDITOR": False})
    assert rules.rating("a").value == 2 and rules.rating_label("b") == "Beta"
    assert rules.rating("c") is None and not rules.require_second_editor
    with pytest.raises(ValueError):
        DeskRules.from_config({"RATING_SCALE": [("a", "A", 1), ("a", "Again", 2)]})


# --- reusing a published verdict ----------------------------------------------------------


def test_a_published_verdict_is_reused_in_one_step_and_never_published(session, users):
    earlier = quote(session, "We will build a new hospital by 2030", status=S.PUBLISHED,
                    verdict=V.OUT_OF_CONTEXT)
    earlier.rating, earlier.public_note = "mostly_true", "Said of a plan, not a promise."
    newer = quote(session, "We will build a new hospital by 2030")
    match(session, newer, earlier)
    assert [m.earlier_id for m in review.reusable_verdicts(session, newer)] == [earlier.id]
    review.reuse_verdict(session, newer, user(session, "ed"), earlier.id, version=newer.version,
                         rules=RULES)
    assert (newer.verdict, newer.rating, newer.public_note) == (
        V.OUT_OF_CONTEXT, "mostly_true", "Said of a plan, not a promise.")
    assert newer.status is S.IN_PROGRESS and newer.published_at is None
    assert f"quote #{earlier.id}" in newer.events[0].note
    with pytest.raises(NotAllowed):  # ed copied it, so ed is its author
        save(session, newer, "ed", status=S.PUBLISHED)


@pytest.mark.parametrize(("relation", "misattribution", "status", "offered"), [
    (MatchRelation.REPEAT, False, S.PUBLISHED, True),
    (MatchRelation.FRAGMENT, False, S.CORRECTED, True),
    (MatchRelation.VARIANT, False, S.PUBLISHED, False),     # different words: judge afresh
    (MatchRelation.REPEAT, True, S.PUBLISHED, False),       # someone else's words
    (MatchRelation.REPEAT, False, S.AWAITING_SIGNOFF, False),  # nothing published to reuse
])
def test_which_matches_offer_their_verdict(session, users, relation, misattribution, status, offered):
    earlier = quote(session, "The river is cleaner than ever", status=status, verdict=V.ACCURATE)
    newer = quote(session, "The river is cleaner than ever")
    match(session, newer, earlier, relation=relation, misattribution=misattribution)
    assert bool(review.reusable_verdicts(session, newer)) is offered
    if not offered:
        with pytest.raises(InvalidReview):
            review.reuse_verdict(session, newer, user(session, "rita"), earlier.id,
                                 version=newer.version, rules=RULES)


# --- assignment and bulk actions ----------------------------------------------------------


@pytest.mark.parametrize(("who", "held_by", "to", "outcome"), [
    ("rita", None, "rita", "ok"),          # take an unassigned quote
    ("rita", "rita", None, "ok"),          # hand it back
    ("rita", "ed", "rita", NotAllowed),    # taking someone else's
    ("rita", None, "ed", NotAllowed),      # assigning others
    ("ed", "rita", "eve", "ok"),
    ("ed", None, "dan", InvalidReview),    # disabled account
])
def test_who_may_assign(session, users, who, held_by, to, outcome):
    q = quote(session, "The school will stay open")
    q.assignee = user(session, held_by) if held_by else None
    session.flush()
    target = user(session, to) if to else None
    if outcome == "ok":
        review.assign(session, q, user(session, who), target, version=q.version)
        assert q.assignee == target
    else:
        with pytest.raises(outcome):
            review.assign(session, q, user(session, who), target, version=q.version)


def test_bulk_status_changes_what_it_may_and_says_why_it_skipped_the_rest(session, users):
    ready = quote(session, "One", verdict=V.ACCURATE, status=S.IN_PROGRESS, author=user(session, "rita"))
    unverified = quote(session, "Two", status=S.IN_PROGRESS)
    own = quote(session, "Three", verdict=V.ACCURATE, status=S.IN_PROGRESS, author=user(session, "ed"))
    stale = quote(session, "Four", verdict=V.ACCURATE, status=S.IN_PROGRESS, author=user(session, "rita"))
    items = [(ready.id, ready.version), (unverified.id, unverified.version), (own.id, own.version),
             (stale.id, stale.version - 1), (999_999, 1)]
    outcome = review.bulk_set_status(session, user(session, "ed"), items, S.PUBLISHED, rules=RULES)
    assert outcome.changed == (ready.id,)
    reasons = dict(outcome.skipped)
    assert "verdict" in reasons[unverified.id].lower()
    assert "another editor" in reasons[own.id]
    assert "someone else" in reasons[stale.id].lower()
    assert reasons[999_999] == "No such quote."
    assert [q.status for q in (ready, unverified, own, stale)] == [
        S.PUBLISHED, S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS]


def test_bulk_assign(session, users):
    quotes = [quote(session, f"Quote number {n}") for n in range(3)]
    outcome = review.bulk_assign(session, user(session, "ed"), [(q.id, q.version) for q in quotes],
                                 user(session, "rita"))
    assert outcome.changed == tuple(q.id for q in quotes) and outcome.skipped == ()
    assert {q.assignee.username for q in quotes} == {"rita"}


# --- the queue ----------------------------------------------------------------------------


def _queue(session, **filters) -> list[str]:
    page = review.review_queue(session, QueueFilters(**filters), page=1, per_page=50)
    return [item.quote.text for item in page.items]


def test_queue_order_misattributions_then_spread_then_newest(session, users):
    old = quote(session, "old news", published_at=days_ago(30))
    new = quote(session, "fresh news", published_at=days_ago(1))
    undated = quote(session, "undated news", published_at=None)  # intake date (today) counts
    # Words carried by three articles, and by two (each quote matched with every earlier one).
    wide = [quote(session, "wide words", published_at=days_ago(20 + n)) for n in range(3)]
    match(session, wide[1], wide[0])
    match(session, wide[2], wide[0])
    match(session, wide[2], wide[1])
    pair = [quote(session, "pair words", published_at=days_ago(25 + n)) for n in range(2)]
    match(session, pair[1], pair[0])
    # The same words credited to someone else.
    credited = quote(session, "credited words", published_at=days_ago(40), by="Tomas Brennick")
    original = quote(session, "credited words", published_at=days_ago(60), by="Ingrid Halvorsen")
    match(session, credited, original, misattribution=True)

    assert _queue(session) == [
        "credited words", "credited words",   # both sides of a possible misattribution
        "wide words", "wide words", "wide words", "pair words", "pair words",
        "undated news", "fresh news", "old news",
    ]
    page = review.review_queue(session, QueueFilters(), page=1, per_page=50)
    first = page.items[0]
    assert first.misattribution and first.other_articles == 1
    spread = {item.quote.id: item.other_articles for item in page.items}
    assert [spread[q.id] for q in wide + pair] == [2, 2, 2, 1, 1] and spread[old.id] == 0
    assert page.total == 10 and new.id in spread and undated.id in spread


def test_queue_filters(session, users):
    a = quote(session, "alpha", by="Ingrid Halvorsen", outlet="The Courier", published_at=days_ago(1))
    b = quote(session, "beta", by="Tomas Brennick", outlet="Harbour Gazette", published_at=days_ago(10),
              status=S.AWAITING_SIGNOFF, verdict=V.MISQUOTED)
    c = quote(session, "gamma", by="Tomas Brennick", outlet="The Courier", published_at=days_ago(20),
              status=S.PUBLISHED, verdict=V.ACCURATE)
    a.assignee = user(session, "rita")
    b.assignee = user(session, "eve")
    session.flush()
    rita, eve = user(session, "rita"), user(session, "eve")
    assert _queue(session) == ["alpha", "beta"]  # open quotes by default
    assert _queue(session, statuses=()) == ["alpha", "beta", "gamma"]
    assert _queue(session, statuses=(S.PUBLISHED,)) == ["gamma"]
    assert _queue(session, statuses=(), verdict=V.MISQUOTED) == ["beta"]
    assert _queue(session, statuses=(), speaker="brenn") == ["beta", "gamma"]
    assert _queue(session, statuses=(), speaker=" TOMAS B ") == ["beta", "gamma"]   # the whole phrase, any case
    assert _queue(session, statuses=(), speaker="tomas halvorsen") == []
    assert _queue(session, statuses=(), speaker="id") == ["alpha"]                  # shorter than a trigram
    assert _queue(session, statuses=(), outlet="courier") == ["alpha", "gamma"]
    assert _queue(session, statuses=(), assignee_id=rita.id) == ["alpha"]
    assert _queue(session, statuses=(), assignee_id=eve.id) == ["beta"]
    assert _queue(session, statuses=(), unassigned=True) == ["gamma"]
    assert _queue(session, statuses=(), said_from=days_ago(10).date()) == ["alpha", "beta"]
    assert _queue(session, statuses=(), said_to=days_ago(10).date()) == ["beta", "gamma"]
    assert _queue(session, statuses=(), said_from=days_ago(15).date(),
                  said_to=days_ago(5).date()) == ["beta"]
    assert _queue(session, statuses=(), speaker="100%_") == []  # wildcards are taken literally
    assert c.id


def test_queue_pages(session, users):
    for n in range(7):
        quote(session, f"words {n}", published_at=days_ago(n))
    first = review.review_queue(session, QueueFilters(), page=1, per_page=5)
    second = review.review_queue(session, QueueFilters(), page=2, per_page=5)
    assert first.total == 7 and first.pages == 2
    assert [i.quote.text for i in first.items + second.items] == [f"words {n}" for n in range(7)]
