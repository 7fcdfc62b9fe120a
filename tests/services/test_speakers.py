"""The speaker registry: one record per person at ingestion, and the editors' changes."""

import pytest
from sqlalchemy import func, select

from factcheck.extraction import ExtractedQuote
from factcheck.models import (
    Article, ArticleSource, Quote, QuoteMatch, ReviewEvent, Speaker, SpeakerAction, SpeakerAlias,
    SpeakerEvent, SpeakerKind, SpeakerMergeSuggestion, SuggestionStatus, User, Verdict,
)
from factcheck.services import matching
from factcheck.services.speakers import (
    AmbiguousSpeaker, InvalidName, MergeNotAllowed, NameTaken, SpeakerNotFound, UndoNotPossible,
    accept_suggestion, add_alias, merge_speakers, move_quote, open_suggestions, reject_suggestion,
    remove_alias, rename_speaker, resolve_speaker, speaker_for_quote, speaker_history,
    speaker_profile, undo_merge,
)

_articles = iter(range(10**6))


def article(session, title="A story") -> Article:
    n = next(_articles)
    record = Article(title=title, text=f"text {n}", content_hash=f"hash-{n}-{title}",
                     source=ArticleSource.CLI)
    session.add(record)
    session.flush()
    return record


def said_by(speaker, kind="person", *, written=None, resolution="direct") -> ExtractedQuote:
    return ExtractedQuote(
        text="We will build the bridge.", segments=((0, 10),), speaker=speaker,
        speaker_as_written=written if written is not None else speaker, speaker_span=None,
        role=None, title=None, speaker_kind=kind, cue="said", kind="full", confidence=0.9,
        resolution=resolution)


def speaker_named(session, name, kind="person", **extra):
    return speaker_for_quote(session, said_by(name, kind, **extra), article(session))


def quote(session, speaker, text="We will build the bridge before the winter comes, whatever it costs.",
          **fields) -> Quote:
    record = Quote(article=article(session), speaker=speaker, text=text, start=0, end=len(text), **fields)
    session.add(record)
    session.flush()
    return record


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def editor(session, users):
    return session.get(User, users["ed"])


# -- ingestion --------------------------------------------------------------------------

@pytest.mark.parametrize("first, second", [
    ("Elena Korosteleva", "Elena Korosteleva"),
    ("Elena Korosteleva", "Dr. Elena Korosteleva"),
    ("Elizabeth Warren", "Sen. Elizabeth A. Warren (D-Mass.)"),
    ("Elizabeth Warren", "Warren, Elizabeth"),
    ("Ana Díaz", "Ana Diaz"),
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),         # transliteration: certain
    ("Volodymyr Zelensky", "President Volodymyr Zelenskiy"),
    ("Hillary Clinton", "Hillary Rodham Clinton"),         # a middle name: certain
])
def test_one_record_per_person(session, first, second):
    a = speaker_named(session, first)
    b = speaker_named(session, second)
    assert a.id == b.id
    assert count(session, Speaker) == 1
    assert count(session, SpeakerMergeSuggestion) == 0


def test_a_variant_spelling_is_kept_as_an_alias(session):
    speaker = speaker_named(session, "Volodymyr Zelenskyy")
    speaker_named(session, "Volodymyr Zelensky")
    assert [a.alias for a in speaker.aliases] == ["Volodymyr Zelensky"]


@pytest.mark.parametrize("existing, new", [
    ("Donald Trump", "Donal Trump"),           # a typo
    ("Elena Korosteleva", "Elena Korostelva"),
    ("William Clinton", "Bill Clinton"),       # a nickname
    ("Hillary Clinton", "Clinton"),            # a bare surname
])
def test_uncertain_match_is_a_suggestion_never_a_merge(session, existing, new):
    old = speaker_named(session, existing)
    fresh = speaker_named(session, new)
    assert fresh.id != old.id
    suggestion = session.scalars(select(SpeakerMergeSuggestion)).one()
    assert (suggestion.speaker_id, suggestion.candidate_id) == (fresh.id, old.id)
    assert suggestion.status == SuggestionStatus.OPEN.value


@pytest.mark.parametrize("existing, new", [
    ("Hillary Clinton", "Chelsea Clinton"),
    ("John Smith", "Jane Smith"),
])
def test_different_people_with_one_surname_are_left_alone(session, existing, new):
    assert speaker_named(session, existing).id != speaker_named(session, new).id
    assert count(session, SpeakerMergeSuggestion) == 0


def test_a_bare_surname_is_never_remembered_as_an_alias(session):
    speaker = speaker_for_quote(session, said_by("Hillary Clinton", written="Clinton",
                                                 resolution="surname"), article(session))
    assert speaker.aliases == []


def test_anonymous_sources_are_per_article(session):
    first, second = article(session), article(session)
    description = "a senior U.S. diplomat"
    a1 = speaker_for_quote(session, said_by(description, "anonymous"), first)
    a1_again = speaker_for_quote(session, said_by(description, "anonymous"), first)
    a2 = speaker_for_quote(session, said_by(description, "anonymous"), second)
    assert a1.id == a1_again.id != a2.id
    assert (a1.article_id, a2.article_id) == (first.id, second.id)
    assert a1.kind is SpeakerKind.ANONYMOUS


@pytest.mark.parametrize("name, kind, shared", [
    ("protesters", "group", False),          # a description: per article
    ("some Republicans", "group", False),
    ("Senate Democrats", "group", True),     # a named group: one record
    ("The Justice Department", "organization", True),
])
def test_groups_and_organisations(session, name, kind, shared):
    a = speaker_named(session, name, kind)
    b = speaker_named(session, name, kind)
    assert a.kind.value == kind
    assert (a.id == b.id) is shared


def test_organisation_is_not_a_person_of_the_same_words(session):
    org = speaker_named(session, "Justice Department", "organization")
    assert org.key == "justice department"


@pytest.mark.parametrize("name", [None, "", "he", "She", "they", "🙂🙂🙂", "...", "2016", "—", "J."])
def test_no_junk_speakers(session, name):
    assert speaker_named(session, name) is None
    assert count(session, Speaker) == 0


def test_a_very_long_speaker_phrase_is_cut_not_refused(session):
    speaker = speaker_named(session, "Jane " + "Roe " * 200, "unknown")
    assert speaker is None or len(speaker.name) <= 300


# -- looking up ----------------------------------------------------------------------------

def test_resolve_speaker_by_number_name_or_alias(session):
    jane = speaker_named(session, "Jane Roe")
    jane.aliases.append(SpeakerAlias(alias="Janet Roe", key="janet roe"))
    session.flush()
    assert resolve_speaker(session, str(jane.id)) is jane
    assert resolve_speaker(session, f"#{jane.id}") is jane
    assert resolve_speaker(session, "Dr. Jane Roe") is jane
    assert resolve_speaker(session, "Janet Roe") is jane
    with pytest.raises(SpeakerNotFound):
        resolve_speaker(session, "Nobody Here")
    with pytest.raises(SpeakerNotFound):
        resolve_speaker(session, "999999")


def test_resolve_speaker_says_when_a_name_is_ambiguous(session):
    session.add_all([Speaker(name="Jane Roe", key="jane roe"), Speaker(name="Jane Roe", key="jane roe")])
    session.flush()
    with pytest.raises(AmbiguousSpeaker, match="Give the number"):
        resolve_speaker(session, "Jane Roe")


# -- editors' changes ------------------------------------------------------------------------

def test_merge_moves_quotes_and_aliases_and_undo_restores_them(session, editor):
    target = speaker_named(session, "William Clinton")
    source = speaker_named(session, "Bill Clinton")
    source.aliases.append(SpeakerAlias(alias="Billy Clinton", key="billy clinton"))
    q1, q2 = quote(session, source), quote(session, source, text="Another thing entirely said here.")
    suggestion = session.scalars(select(SpeakerMergeSuggestion)).one()

    event = accept_suggestion(session, suggestion.id, user=editor)
    assert {q1.speaker_id, q2.speaker_id} == {target.id}
    assert source.merged_into_id == target.id
    assert {a.alias for a in target.aliases} == {"Bill Clinton", "Billy Clinton"}
    assert suggestion.status == SuggestionStatus.ACCEPTED.value
    assert event.action == SpeakerAction.MERGED_IN.value and event.user_id == editor.id
    assert speaker_for_quote(session, said_by("Bill Clinton"), article(session)) is target

    undo_merge(session, event.id, user=editor)
    assert {q1.speaker_id, q2.speaker_id} == {source.id}
    assert source.merged_into_id is None
    assert target.aliases == []
    assert {a.alias for a in source.aliases} == {"Billy Clinton"}
    assert suggestion.status == SuggestionStatus.OPEN.value
    actions = [e.action for e in speaker_history(session, target.id)]
    assert actions == ["merge_undone", "merged_in"]
    with pytest.raises(UndoNotPossible, match="already"):
        undo_merge(session, event.id, user=editor)


def test_undo_leaves_quotes_moved_elsewhere_since(session, editor):
    target, source, third = (speaker_named(session, n) for n in ("Ann Lee", "Bob Marsh", "Cy Young"))
    moved = quote(session, source)
    kept = quote(session, source, text="Something else entirely, said at another time.")
    event = merge_speakers(session, source, target, user=editor)
    move_quote(session, moved, third, user=editor)
    undo = undo_merge(session, event.id, user=editor)
    assert (moved.speaker_id, kept.speaker_id) == (third.id, source.id)
    assert undo.detail["left_elsewhere"] == 1


def test_undo_waits_for_a_later_merge_to_be_undone(session, editor):
    a, b, c = (speaker_named(session, n) for n in ("Ann Lee", "Bob Marsh", "Cy Young"))
    first = merge_speakers(session, a, b, user=editor)
    second = merge_speakers(session, b, c, user=editor)
    with pytest.raises(UndoNotPossible, match="undo that merge first"):
        undo_merge(session, first.id, user=editor)
    undo_merge(session, second.id, user=editor)
    undo_merge(session, first.id, user=editor)
    assert a.merged_into_id is None and b.merged_into_id is None


@pytest.mark.parametrize("make", ["self", "merged", "anonymous"])
def test_merges_that_are_refused(session, editor, make):
    jane = speaker_named(session, "Jane Roe")
    other = speaker_named(session, "Ann Lee")
    if make == "self":
        other = jane
    elif make == "merged":
        merge_speakers(session, other, speaker_named(session, "Cy Young"), user=editor)
    else:
        other = speaker_named(session, "a senior official", "anonymous")
    with pytest.raises(MergeNotAllowed):
        merge_speakers(session, other, jane, user=editor)


def test_rename_keeps_the_old_name_as_an_alias(session, editor):
    speaker = speaker_named(session, "Jane Roe")
    rename_speaker(session, speaker, "Jane Roe-Smith", user=editor)
    assert (speaker.name, speaker.key) == ("Jane Roe-Smith", "jane roe-smith")
    assert [a.alias for a in speaker.aliases] == ["Jane Roe"]
    assert speaker_for_quote(session, said_by("Jane Roe"), article(session)) is speaker
    event = speaker_history(session, speaker.id)[0]
    assert event.detail == {"from": "Jane Roe", "to": "Jane Roe-Smith"}


@pytest.mark.parametrize("new_name, error", [
    ("", InvalidName), ("he", InvalidName), ("🙂", InvalidName), ("Mr.", InvalidName),
    ("Ann Lee", NameTaken),
])
def test_bad_renames(session, editor, new_name, error):
    speaker_named(session, "Ann Lee")
    speaker = speaker_named(session, "Jane Roe")
    with pytest.raises(error):
        rename_speaker(session, speaker, new_name, user=editor)
    assert speaker.name == "Jane Roe"


def test_aliases_added_and_removed_with_history(session, editor):
    speaker = speaker_named(session, "Jane Roe")
    add_alias(session, speaker, "Janet Roe", user=editor)
    assert speaker_for_quote(session, said_by("Janet Roe"), article(session)) is speaker
    with pytest.raises(InvalidName, match="already finds"):
        add_alias(session, speaker, "Dr. Janet Roe", user=editor)
    speaker_named(session, "Ann Lee")
    with pytest.raises(NameTaken):
        add_alias(session, speaker, "Ann Lee", user=editor)
    remove_alias(session, speaker, speaker.aliases[0].id, user=editor)
    assert speaker.aliases == []
    with pytest.raises(SpeakerNotFound):
        remove_alias(session, speaker, 12345, user=editor)
    assert [e.action for e in speaker_history(session, speaker.id)] == ["alias_removed", "alias_added"]


def test_move_quote_is_in_both_histories_and_the_quotes(session, editor):
    jane, ann = speaker_named(session, "Jane Roe"), speaker_named(session, "Ann Lee")
    said = quote(session, jane)
    move_quote(session, said, ann, user=editor)
    assert said.speaker_id == ann.id
    assert speaker_history(session, jane.id)[0].action == SpeakerAction.QUOTE_MOVED_OUT.value
    assert speaker_history(session, ann.id)[0].action == SpeakerAction.QUOTE_MOVED_IN.value
    change = session.scalars(select(ReviewEvent).where(ReviewEvent.quote_id == said.id)).one()
    assert (change.field, change.from_value, change.to_value) == ("speaker", "Jane Roe", "Ann Lee")


def test_moving_a_quote_recomputes_misattribution(session, editor):
    jane, ann = speaker_named(session, "Jane Roe"), speaker_named(session, "Ann Lee")
    words = "The pipeline will double gas exports to Hungary before the end of 2030."
    earlier = quote(session, jane, text=words)
    matching.match_new_quotes(session, [earlier])
    later = quote(session, ann, text=words)
    (match,) = matching.match_new_quotes(session, [later])
    assert match.misattribution
    move_quote(session, later, jane, user=editor)
    assert not session.get(QuoteMatch, match.id).misattribution


def test_reject_suggestion_closes_it(session, editor):
    speaker_named(session, "Donald Trump")
    fresh = speaker_named(session, "Donal Trump")
    suggestion = session.scalars(select(SpeakerMergeSuggestion)).one()
    reject_suggestion(session, suggestion.id, user=editor)
    assert suggestion.status == SuggestionStatus.REJECTED.value
    assert open_suggestions(session, page=1, per_page=10).items == []
    assert speaker_history(session, fresh.id)[0].action == SpeakerAction.SUGGESTION_REJECTED.value
    with pytest.raises(SpeakerNotFound):
        accept_suggestion(session, suggestion.id, user=editor)


# -- the speaker page ---------------------------------------------------------------------------

def test_profile_counts_verdicts_roles_and_clusters(session):
    from datetime import datetime, timezone

    from factcheck.models import ReviewStatus

    jane = speaker_named(session, "Jane Roe")
    words = "The pipeline will double gas exports to Hungary before the end of 2030."
    first = quote(session, jane, text=words, role="energy minister", verdict=Verdict.ACCURATE,
                  status=ReviewStatus.PUBLISHED)
    first.article.published_at = datetime(2024, 1, 5, tzinfo=timezone.utc)
    matching.match_new_quotes(session, [first])
    second = quote(session, jane, text=words.replace("2030", "2031"), role="prime minister",
                   verdict=Verdict.MISQUOTED)
    second.article.published_at = datetime(2024, 3, 5, tzinfo=timezone.utc)
    matching.match_new_quotes(session, [second])
    quote(session, jane, text="Something unrelated about the weather in the valley today.")

    public = speaker_profile(session, jane, internal=False)
    assert public.total == 3
    assert {v.verdict: v.count for v in public.verdicts} == {Verdict.ACCURATE: 1, Verdict.UNVERIFIED: 2}
    internal = speaker_profile(session, jane, internal=True)
    assert {v.verdict: v.count for v in internal.verdicts}[Verdict.MISQUOTED] == 1
    assert [r.role for r in public.roles] == ["energy minister", "prime minister"]
    (cluster,) = public.clusters
    assert [m.quote.id for m in cluster.members] == [first.id, second.id]
    assert cluster.members[1].relation == "variant"
    assert public.periods[0].label <= public.periods[-1].label


def test_an_article_looks_a_name_up_once_but_never_reuses_a_merged_record(session, editor):
    story = article(session)
    first = speaker_for_quote(session, said_by("Bill Clinton"), story)
    assert speaker_for_quote(session, said_by("Bill Clinton"), story) is first
    target = speaker_named(session, "William Jefferson")
    merge_speakers(session, first, target, user=editor)
    assert speaker_for_quote(session, said_by("Bill Clinton"), story) is target
