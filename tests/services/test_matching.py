"""Matching new quotes against earlier ones: relations, flags, the index, rematching."""

import pytest
from sqlalchemy import delete, func, select, text

from factcheck.models import (
    Article, ArticleSource, AttributionState, MatchChunk, MatchPosting, MatchRelation, MatchTerm, Quote,
    QuoteMatch, Speaker, SpeakerKind,
)
from factcheck.services import matching
from factcheck.services.ingestion import ArticleInput, ingest_article

PIPELINE = "The pipeline will double gas exports to Hungary before the end of 2030, whatever Brussels says."
_numbers = iter(range(10**6))


def store(session, *quotes: tuple[Speaker | None, str]) -> list[Quote]:
    """One new article holding these quotes, matched like ingestion does."""
    n = next(_numbers)
    article = Article(title=f"Story {n}", text=f"text {n}", content_hash=f"h{n}", source=ArticleSource.CLI)
    stored = [Quote(article=article, speaker=speaker, text=text, start=i * 1000, end=i * 1000 + len(text))
              for i, (speaker, text) in enumerate(quotes)]
    session.add_all(stored)
    session.flush()
    matching.match_new_quotes(session, stored)
    return stored


@pytest.fixture
def people(session):
    made = {name: Speaker(name=name, key=name.lower(), kind=kind) for name, kind in (
        ("Jane Roe", SpeakerKind.PERSON), ("Ann Lee", SpeakerKind.PERSON),
        ("Cy Young", SpeakerKind.PERSON), ("Ed Moss", SpeakerKind.PERSON),
        ("a senior official", SpeakerKind.ANONYMOUS))}
    session.add_all(made.values())
    session.flush()
    return made


def matches_of(session, quote) -> list[QuoteMatch]:
    return session.scalars(select(QuoteMatch).where(QuoteMatch.quote_id == quote.id)
                           .order_by(QuoteMatch.score.desc())).all()


@pytest.mark.parametrize("later, relation", [
    (PIPELINE, MatchRelation.REPEAT),
    (PIPELINE.replace("2030", "2035"), MatchRelation.VARIANT),
    (PIPELINE.replace("will double", "will not double"), MatchRelation.VARIANT),
    ("will double gas exports to Hungary before the end of 2030", MatchRelation.FRAGMENT),
    ("She told reporters: " + PIPELINE + " Then she left for the airport without another word.",
     MatchRelation.EXTENSION),
])
def test_relations_are_stored_with_scores(session, people, later, relation):
    (earlier,) = store(session, (people["Jane Roe"], PIPELINE))
    (new,) = store(session, (people["Jane Roe"], later))
    (match,) = matches_of(session, new)
    assert (match.earlier_id, match.relation) == (earlier.id, relation)
    assert 0 < match.score <= 100
    assert not match.misattribution  # the same speaker


@pytest.mark.parametrize("later_speaker, later, flagged", [
    ("Ann Lee", PIPELINE, True),                                   # a repeat, someone else
    ("Ann Lee", PIPELINE.replace("2030", "2035"), True),           # a variant
    ("Ann Lee", "will double gas exports to Hungary before the end of 2030", True),  # a fragment
    ("Ann Lee", "Hungary, gas, 2030: " + PIPELINE + " Nobody in the room was surprised by it.", False),
    ("Jane Roe", PIPELINE, False),
    ("a senior official", PIPELINE, False),                        # an anonymous source
    (None, PIPELINE, False),                                       # unattributed
    ("Ann Lee", "double gas exports to Hungary", False),           # under six words
])
def test_possible_misattribution(session, people, later_speaker, later, flagged):
    store(session, (people["Jane Roe"], PIPELINE))
    (new,) = store(session, (people.get(later_speaker), later))
    (match,) = matches_of(session, new)
    assert match.misattribution is flagged


def test_a_phrase_many_people_said_is_common_not_misattributed(session, people):
    slogan = "We will build back the harbour stronger than it ever was before"
    for name in ("Jane Roe", "Ann Lee", "Cy Young"):
        store(session, (people[name], slogan))
    (new,) = store(session, (people["Ed Moss"], slogan))
    found = matches_of(session, new)
    assert len(found) == 3 and not any(m.misattribution for m in found)


def test_quotes_of_one_article_are_not_matched_together(session, people):
    first, second = store(session, (people["Jane Roe"], PIPELINE), (people["Ann Lee"], PIPELINE))
    assert matches_of(session, first) == matches_of(session, second) == []


def test_unrelated_quotes_do_not_match(session, people):
    store(session, (people["Jane Roe"], PIPELINE))
    (new,) = store(session, (people["Ann Lee"], "The harbour bridge closes for repairs in the spring."))
    assert matches_of(session, new) == []


def test_found_both_ways(session, people):
    from factcheck.services.browse import matches_of as both_ways

    (earlier,) = store(session, (people["Jane Roe"], PIPELINE))
    (later,) = store(session, (people["Ann Lee"], PIPELINE))
    assert [m.quote_id for m in both_ways(session, earlier.id)[1]] == [later.id]
    assert [m.earlier_id for m in both_ways(session, later.id)[0]] == [earlier.id]


def test_words_judged_not_a_quote_are_never_an_earlier_saying(session, people):
    (headline,) = store(session, (people["Jane Roe"], PIPELINE))
    (kept,) = store(session, (people["Cy Young"], PIPELINE.replace("2030", "2035")))
    headline.attribution = AttributionState.NOT_A_QUOTE
    session.flush()
    (new,) = store(session, (people["Ann Lee"], PIPELINE))
    assert [m.earlier_id for m in matches_of(session, new)] == [kept.id]
    assert headline.id not in {m.quote_id for m in matching.find_matches(session, PIPELINE)}
    assert matching.rematch_quotes(session, [new.id]) == 1
    assert [m.earlier_id for m in matches_of(session, new)] == [kept.id]


@pytest.mark.parametrize("text", ["", "   ", "Yes.", "No comment", "🙂🙂🙂", "— — —",
                                  " ".join(["word"] * 10_000), "Ünïcödé ünïcödé ünïcödé ünïcödé"])
def test_bad_input_is_handled(session, people, text):
    store(session, (people["Jane Roe"], PIPELINE))
    (new,) = store(session, (people["Ann Lee"], text))
    assert matches_of(session, new) == []
    assert {m.quote_id for m in matching.find_matches(session, text)} <= {new.id}  # itself at most


def test_a_ten_thousand_word_quote_finds_what_it_contains(session, people):
    (earlier,) = store(session, (people["Jane Roe"], PIPELINE))
    long = " ".join(f"filler{i % 700} words" for i in range(5_000)) + " " + PIPELINE
    found = matching.find_matches(session, long)
    assert [(m.quote_id, m.relation) for m in found] == [(earlier.id, MatchRelation.EXTENSION)]


def test_find_matches_before_an_id_and_with_a_speaker(session, people):
    (first,) = store(session, (people["Jane Roe"], PIPELINE))
    (second,) = store(session, (people["Ann Lee"], PIPELINE))
    assert [m.quote_id for m in matching.find_matches(session, PIPELINE, before_id=second.id)] == [first.id]
    found = matching.find_matches(session, PIPELINE, speaker=people["Jane Roe"])
    assert {(m.quote_id, m.misattribution) for m in found} == {(first.id, False), (second.id, True)}


def test_rebuilt_index_and_rematch_give_the_same_matches(session, people):
    store(session, (people["Jane Roe"], PIPELINE))
    store(session, (people["Ann Lee"], PIPELINE.replace("2030", "2035")))
    store(session, (people["Cy Young"], "double gas exports to Hungary before the end of 2030"))
    before = _all_matches(session)
    postings_before = _postings(session)

    written = matching.rebuild_index(session)
    assert written == postings_before == _postings(session) > 0
    session.execute(delete(QuoteMatch))
    stored = matching.rematch_quotes(session, matching.quote_ids_in_order(session))
    assert stored == len(before)
    assert _all_matches(session) == before


def test_unindexed_quotes_are_not_found(session, people):
    (earlier,) = store(session, (people["Jane Roe"], PIPELINE))
    matching.unindex_quotes(session, [earlier])
    assert matching.find_matches(session, PIPELINE) == []
    assert _postings(session) == 0
    assert session.scalar(select(func.max(MatchTerm.quotes))) == 0


def test_ingestion_matches_across_articles(session):
    first = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=(
        "Budget row\n\n“We will not raise taxes on working families this year, whatever the "
        "deficit says,” said Jane Roe, the finance minister.")))
    second = ingest_article(session, ArticleInput(source=ArticleSource.PASTE, text=(
        "Opposition answers\n\n“We will not raise taxes on working families next year, whatever "
        "the deficit says,” said Ann Lee on Friday.")))
    session.commit()
    (old,) = first.article.quotes
    (new,) = second.article.quotes
    (match,) = matches_of(session, new)
    assert (match.earlier_id, match.relation, match.misattribution) == (
        old.id, MatchRelation.VARIANT, True)


def _postings(session) -> int:
    """Index entries, whichever form the database keeps them in."""
    rows = session.scalar(select(func.count()).select_from(MatchPosting))
    chunks = session.scalars(select(MatchChunk.quote_ids)).all()
    return rows + sum(len(ids) for ids in chunks)


def _all_matches(session):
    return sorted(session.execute(select(QuoteMatch.quote_id, QuoteMatch.earlier_id,
                                         QuoteMatch.relation, QuoteMatch.misattribution)).all())


@pytest.mark.parametrize("held, added, expected", [
    (0, 3, [3]),
    (398, 5, [400, 3]),
    (400, 1, [400, 1]),
    (10, 795, [400, 400, 5]),
])
def test_postgres_chunks_fill_up_to_the_limit_then_start_anew(session, held, added, expected):
    """A batch bringing many ids for one term fills the term's last chunk, then new
    ones of at most CHUNK ids (whole, they would outgrow the inline size)."""
    from factcheck.matching.search import IndexedQuote
    from factcheck.services.candidates import CHUNK, PostgresCandidateSearch, candidate_search

    search = candidate_search(session)
    if not isinstance(search, PostgresCandidateSearch):
        pytest.skip("match_chunks is PostgreSQL's form of the index")
    assert CHUNK == 400
    term = 424242
    if held:
        session.add(MatchChunk(term=term, chunk=0, quote_ids=list(range(1, held + 1))))
        session.flush()
    search.add([IndexedQuote(10_000 + n, (term,), (term,)) for n in range(added)])
    rows = session.execute(select(MatchChunk.chunk, MatchChunk.quote_ids)
                           .where(MatchChunk.term == term).order_by(MatchChunk.chunk)).all()
    assert [len(ids) for _, ids in rows] == expected
    assert [chunk for chunk, _ in rows] == list(range(len(expected)))
    assert [i for _, ids in rows for i in ids] == [*range(1, held + 1), *range(10_000, 10_000 + added)]


def test_matching_leaves_postgresqls_jit_setting_as_it_found_it(session, people):
    # The batch statements run with JIT off (see services.candidates); the rest of
    # the transaction keeps whatever was set.
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    (earlier,) = store(session, (people["Jane Roe"], PIPELINE))
    for setting in ("on", "off"):
        session.execute(text(f"SET LOCAL jit = {setting}"))
        (new,) = store(session, (people["Ann Lee"], PIPELINE))
        assert matches_of(session, new)[0].earlier_id == earlier.id
        assert session.execute(text("SELECT current_setting('jit')")).scalar() == setting
