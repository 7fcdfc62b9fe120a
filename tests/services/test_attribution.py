"""The attribution check's rules: what is listed, in what order, and each decision."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.models import (
    AttributionState,
    ReviewEvent,
    Speaker,
    SpeakerEvent,
    SpeakerKind,
    SpeakerMergeSuggestion,
)
from factcheck.services import attribution
from factcheck.services.attribution import (
    CheckAction,
    CheckReason,
    InvalidReview,
    NotAllowed,
    Piece,
    StaleVersion,
)
from tests import attribution_data as data


@pytest.fixture
def desk(session, users):
    return {name: data.user(session, name) for name in ("rita", "ed", "eve")}


def listed(session, **kwargs) -> list[tuple[int, tuple[CheckReason, ...]]]:
    return [(item.quote.id, item.reasons)
            for item in attribution.check_list(session, **kwargs).items]


# --- the list -------------------------------------------------------------------------------


def test_list_holds_doubtful_quotes_most_doubtful_first(session, desk):
    quotes = data.ferry(session)
    other = data.article(session, "Second story.\n\n\"Roads first,\" said the mayor.", title="Roads")
    anonymous = data.quote(session, other, "Roads first,", confidence=0.96,
                           by=data.speaker(session, "the mayor", kind=SpeakerKind.ANONYMOUS, article=other))
    echo_article = data.article(session, "Third.\n\n\"a fantasy\" said Selma Arvidsson.", title="Echo")
    echo = data.quote(session, echo_article, "a fantasy", by="Selma Arvidsson", confidence=0.96)
    data.misattribution(session, echo, quotes["fantasy"])
    quotes["minister"].flagged = True
    session.flush()

    order = listed(session)
    assert [quote_id for quote_id, _ in order] == [
        quotes["minister"].id,   # a reviewer's flag first, although the extractor was sure
        quotes["fantasy"].id,    # same words credited to someone else, and only 0.86
        echo.id,                 # the other side of that misattribution
        quotes["winters"].id,    # a pronoun at 0.7
        anonymous.id,            # an anonymous source
    ]
    reasons = dict(order)
    assert reasons[quotes["minister"].id] == (CheckReason.FLAGGED,)
    assert reasons[quotes["fantasy"].id] == (CheckReason.MISATTRIBUTION, CheckReason.LOW_CONFIDENCE)
    assert reasons[quotes["winters"].id] == (CheckReason.PRONOUN, CheckReason.LOW_CONFIDENCE)
    assert reasons[anonymous.id] == (CheckReason.ANONYMOUS,)


@pytest.mark.parametrize("confidence, resolution, below, is_listed", [
    (0.96, "direct", 0.9, False),      # the extractor is right 97% of the time here
    (0.92, "surname", 0.9, False),
    (0.92, "continuation", 0.9, False),
    (0.86, "direct", 0.9, True),
    (0.60, "continuation", 0.9, True),
    (0.20, "none", 0.9, True),
    (0.86, "direct", 0.8, False),      # a lower threshold lists fewer
    (0.96, "direct", 1.0, True),       # 1.0 lists every unchecked quote
])
def test_threshold_decides_membership(session, confidence, resolution, below, is_listed):
    row = data.article(session)
    quote = data.quote(session, row, "a fantasy", by="Piet Lindqvist", confidence=confidence,
                       resolution=resolution)
    assert (quote.id in dict(listed(session, below=below))) is is_listed


def test_merge_suggestion_lists_the_speakers_quotes(session):
    quotes = data.ferry(session)
    duplicate = data.speaker(session, "Selma Arvidson")
    session.add(SpeakerMergeSuggestion(speaker_id=duplicate.id,
                                       candidate_id=quotes["minister"].speaker_id, score=92.0))
    session.flush()
    assert dict(listed(session))[quotes["minister"].id] == (CheckReason.MERGE_SUGGESTED,)
    detail = attribution.check_detail(session, quotes["minister"])
    assert [s.name for s in detail.merge_candidates] == ["Selma Arvidson"]
    assert "Selma Arvidson" in [alt.name for alt in detail.alternatives]


def test_decided_quotes_leave_the_list_unless_flagged_again(session, desk):
    quotes = data.ferry(session)
    winters = quotes["winters"]
    attribution.decide(session, winters, desk["ed"], CheckAction.CONFIRM, version=winters.version)
    assert winters.id not in dict(listed(session))
    attribution.flag_for_check(session, winters, desk["rita"], version=winters.version, note="Was it him?")
    assert dict(listed(session))[winters.id][0] is CheckReason.FLAGGED
    assert winters.attribution is AttributionState.CONFIRMED, "a flag asks again, it undoes nothing"


def test_item_at_position_and_past_the_end(session):
    quotes = data.ferry(session)
    first, total = attribution.check_item_at(session, 1)
    assert (first.quote.id, total) == (quotes["winters"].id, 2)
    last, _ = attribution.check_item_at(session, 9)
    assert last.quote.id == quotes["fantasy"].id and last.position == 2
    session.delete(quotes["winters"])
    session.delete(quotes["fantasy"])
    session.flush()
    assert attribution.check_item_at(session, 1) == (None, 0)


# --- one item -------------------------------------------------------------------------------


def test_detail_shows_paragraphs_marks_and_alternatives(session):
    quotes = data.ferry(session)
    data.speaker(session, "Rita Solberg")  # on record from another story
    detail = attribution.check_detail(session, quotes["winters"])
    marked = [(piece.mark, piece.text) for paragraph in detail.paragraphs for piece in paragraph if piece.mark]
    assert marked == [("quote", "We have heard this promise three winters running,"), ("speaker", "he")]
    texts = ["".join(piece.text for piece in paragraph) for paragraph in detail.paragraphs]
    assert texts[0].startswith("Opposition spokesman"), "the paragraph before gives the pronoun's antecedent"
    assert texts[-1] == "The board meets again in a fortnight."
    alternatives = [(alt.number, alt.name, alt.speaker is not None, alt.why) for alt in detail.alternatives]
    assert alternatives == [
        (1, "Selma Arvidsson", True, "quoted in this article"),
        (2, "Rita Solberg", True, "named nearby"),
        (3, "Van der Berg", False, "named nearby (no record yet)"),
    ]
    assert detail.speaker_quote_count == 2
    assert [q.id for q in detail.speaker_quotes] == [quotes["fantasy"].id]


@pytest.mark.parametrize("text, names", [
    ("Later, Mayor Ingrid Halvorsen met Tomas Brennick's aide.", ["Ingrid Halvorsen", "Tomas Brennick"]),
    ("The City Council met on Tuesday.", []),
    ("But Ludwig van Beethoven never wrote it.", ["Ludwig van Beethoven"]),
    ("Said J. D. Salinger, famously.", ["J. D. Salinger"]),
    ("Nobody was named here at all.", []),
    ("Tram Depot Plans Revised\n\nSaid Maria Jensen.", ["Maria Jensen"]),
    ("“🙂🙂” Émilie Dubois-Roche said.", ["Émilie Dubois-Roche"]),
])
def test_names_in_text(text, names):
    assert [name for _, name in attribution.names_in(text)] == names


@pytest.mark.parametrize("text, lo, hi, marks, expected", [
    ('"Yes," she said.', 0, 16, [(1, 5, "quote"), (7, 10, "speaker")],
     ((Piece('"'), Piece("Yes,", "quote"), Piece('" '), Piece("she", "speaker"), Piece(" said.")),)),
    ("One.\n\nTwo words.", 0, 16, [(6, 9, "quote")],
     ((Piece("One."),), (Piece("Two", "quote"), Piece(" words.")))),
    ("abc", 0, 3, [(0, 2, "quote"), (1, 3, "speaker"), (5, 9, "quote")],   # overlap and out of range
     ((Piece("ab", "quote"), Piece("c")),)),
])
def test_highlight(text, lo, hi, marks, expected):
    assert attribution.highlight(text, lo, hi, marks) == expected


# --- the decisions -------------------------------------------------------------------------


def _events(session, quote) -> list[tuple[str, str | None, str | None, str]]:
    return [(e.field, e.from_value, e.to_value, e.user.username)
            for e in session.scalars(select(ReviewEvent).where(ReviewEvent.quote_id == quote.id)
                                     .order_by(ReviewEvent.id))]


@pytest.mark.parametrize("action, extra, state, speaker, speaker_event", [
    (CheckAction.CONFIRM, {}, AttributionState.CONFIRMED, "Piet Lindqvist", None),
    (CheckAction.PICK, {"speaker_id": "minister"}, AttributionState.CORRECTED, "Selma Arvidsson",
     ("speaker", "Piet Lindqvist", "Selma Arvidsson")),
    (CheckAction.NEW_SPEAKER, {"name": "Dr. Rita Solberg"}, AttributionState.CORRECTED, "Dr. Rita Solberg",
     ("speaker", "Piet Lindqvist", "Dr. Rita Solberg")),
    (CheckAction.NEW_SPEAKER, {"name": "Piet Lindqvist"}, AttributionState.CONFIRMED, "Piet Lindqvist", None),
    (CheckAction.UNATTRIBUTED, {}, AttributionState.UNATTRIBUTED, None, ("speaker", "Piet Lindqvist", None)),
    (CheckAction.NOT_A_QUOTE, {}, AttributionState.NOT_A_QUOTE, None, ("speaker", "Piet Lindqvist", None)),
])
def test_each_decision_and_its_history(session, desk, action, extra, state, speaker, speaker_event):
    quotes = data.ferry(session)
    winters = quotes["winters"]
    if extra.get("speaker_id"):
        extra = {"speaker_id": quotes[extra["speaker_id"]].speaker_id}
    version = winters.version
    events = attribution.decide(session, winters, desk["ed"], action, version=version, note="heard the tape", **extra)
    assert winters.attribution is state
    assert (winters.speaker.name if winters.speaker else None) == speaker
    assert winters.version == version + 1, "one decision, one new version"
    expected = ([speaker_event + ("ed",)] if speaker_event else []) + [
        ("attribution", "unchecked", state.value, "ed")]
    assert _events(session, winters) == expected
    decision = events[-1]
    assert decision.field == "attribution" and decision.note == "heard the tape"
    assert decision.quote_version == winters.version and decision.created_at.tzinfo is not None
    if speaker_event:
        moved = session.scalars(select(SpeakerEvent.action).where(
            SpeakerEvent.detail.is_not(None)).order_by(SpeakerEvent.id)).all()
        assert "quote_moved_out" in moved


def test_same_decision_twice_changes_nothing(session, desk):
    winters = data.ferry(session)["winters"]
    attribution.decide(session, winters, desk["ed"], CheckAction.CONFIRM, version=winters.version)
    version = winters.version
    assert attribution.decide(session, winters, desk["ed"], CheckAction.CONFIRM, version=version) == []
    assert winters.version == version


def test_new_speaker_is_created_once_with_its_history(session, desk):
    quotes = data.ferry(session)
    attribution.decide(session, quotes["winters"], desk["ed"], CheckAction.NEW_SPEAKER,
                       version=quotes["winters"].version, name="Rita Solberg")
    attribution.decide(session, quotes["fantasy"], desk["eve"], CheckAction.NEW_SPEAKER,
                       version=quotes["fantasy"].version, name="rita  solberg")
    records = session.scalars(select(Speaker).where(Speaker.key == "rita solberg")).all()
    assert len(records) == 1 and len(records[0].quotes) == 2
    created = session.scalars(select(SpeakerEvent).where(SpeakerEvent.speaker_id == records[0].id,
                                                         SpeakerEvent.action == "created")).all()
    assert len(created) == 1 and created[0].user.username == "ed"


@pytest.mark.parametrize("action, extra, field", [
    (CheckAction.NEW_SPEAKER, {"name": ""}, "name"),
    (CheckAction.NEW_SPEAKER, {"name": "🙂🙂🙂"}, "name"),
    (CheckAction.NEW_SPEAKER, {"name": "x" * 301}, "name"),
    (CheckAction.PICK, {"speaker_id": 999_999}, "speaker_id"),
    (CheckAction.PICK, {}, "speaker_id"),
    (CheckAction.CONFIRM, {"note": "n" * 2001}, "note"),
])
def test_bad_input_is_refused_with_nothing_written(session, desk, action, extra, field):
    winters = data.ferry(session)["winters"]
    version = winters.version
    with pytest.raises(InvalidReview) as refused:
        attribution.decide(session, winters, desk["ed"], action, version=version, **extra)
    assert field in refused.value.errors
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ReviewEvent)) == 0


def test_confirming_nobody_is_refused(session, desk):
    row = data.article(session)
    orphan = data.quote(session, row, "a fantasy", by=None, confidence=0.2, resolution="none")
    with pytest.raises(InvalidReview, match="no speaker to confirm"):
        attribution.decide(session, orphan, desk["ed"], CheckAction.CONFIRM, version=orphan.version)


def test_anonymous_source_of_another_article_cannot_be_picked(session, desk):
    winters = data.ferry(session)["winters"]
    other = data.article(session, "Elsewhere.\n\n\"No.\" said an aide.", title="Elsewhere")
    aide = data.speaker(session, "an aide", kind=SpeakerKind.ANONYMOUS, article=other)
    with pytest.raises(InvalidReview, match="another article"):
        attribution.decide(session, winters, desk["ed"], CheckAction.PICK, version=winters.version,
                           speaker_id=aide.id)


def test_stale_decision_is_refused(session, desk):
    winters = data.ferry(session)["winters"]
    seen = winters.version
    attribution.decide(session, winters, desk["eve"], CheckAction.UNATTRIBUTED, version=seen)
    with pytest.raises(StaleVersion, match="changed since you loaded it"):
        attribution.decide(session, winters, desk["ed"], CheckAction.CONFIRM, version=seen)
    assert winters.attribution is AttributionState.UNATTRIBUTED


@pytest.mark.parametrize("who", ["rita", "dan"])
def test_only_editors_decide(session, users, who):
    winters = data.ferry(session)["winters"]
    with pytest.raises(NotAllowed):
        attribution.decide(session, winters, data.user(session, who), CheckAction.CONFIRM,
                           version=winters.version)


def test_flag_needs_an_active_desk_member_and_is_recorded_once(session, desk):
    minister = data.ferry(session)["minister"]
    with pytest.raises(NotAllowed):
        attribution.flag_for_check(session, minister, data.user(session, "dan"), version=minister.version)
    events = attribution.flag_for_check(session, minister, desk["rita"], version=minister.version, note="odd")
    assert [(e.field, e.to_value, e.note) for e in events] == [("attribution_flag", "check requested", "odd")]
    assert attribution.flag_for_check(session, minister, desk["rita"], version=minister.version) == []
    attribution.decide(session, minister, desk["ed"], CheckAction.CONFIRM, version=minister.version)
    assert minister.flagged is False, "the editor's decision answers the flag"


def test_counts_for_the_speaker_page(session, desk):
    quotes = data.ferry(session)
    attribution.decide(session, quotes["fantasy"], desk["ed"], CheckAction.CONFIRM, version=quotes["fantasy"].version)
    attribution.decide(session, quotes["minister"], desk["ed"], CheckAction.PICK,
                       version=quotes["minister"].version, speaker_id=quotes["fantasy"].speaker_id)
    counts = attribution.attribution_counts(session, quotes["fantasy"].speaker_id)
    assert counts[AttributionState.CONFIRMED] == 1 and counts[AttributionState.CORRECTED] == 1
    assert counts[AttributionState.UNCHECKED] == 1
    assert attribution.editor_confirmed(counts) == 2
