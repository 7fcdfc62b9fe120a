"""Search: the parser, the service on both databases, the index kept in step, the page, the migration."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, inspect, text

from factcheck.db import db
from factcheck.models import Quote, QuoteSegment, ReviewStatus, Speaker, Verdict
from factcheck.services.search import (
    MAX_QUERY_LENGTH, BadSearch, QuoteSearch, SearchSort, Terms, parse_terms, search_quotes,
)
from tests.conftest import _backends, make_config
from tests.web import reader_data as data


@pytest.mark.parametrize("query, expected", [
    ("bridge", Terms(words=("bridge",))),
    ("  Bridge   repairs ", Terms(words=("Bridge", "repairs"))),
    ('"forty thousand" cars', Terms(words=("cars",), phrases=("forty thousand",))),
    ("bridge -tolls", Terms(words=("bridge",), excluded=("tolls",))),
    ('bridge -"toll booth"', Terms(words=("bridge",), excluded=("toll booth",))),
    ("o'brien", Terms(phrases=("o brien",))),
    ('"unclosed phrase', Terms(phrases=("unclosed phrase",))),
    ("NEAR(a b) OR * ^x:", Terms(words=("b", "OR", "x"), phrases=("NEAR a",))),
    ("-only", Terms(excluded=("only",))),
    ('"" - -- !!', Terms()),
])
def test_parse_terms(query, expected):
    assert parse_terms(query) == expected


def test_parse_terms_refuses_overlong_queries():
    with pytest.raises(BadSearch, match="at most"):
        parse_terms("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(BadSearch, match="at most 16"):
        parse_terms(" ".join(f"w{n}" for n in range(17)))


@pytest.fixture
def corpus(session):
    """Three articles, four speakers, quotes in every review state."""
    halvorsen = data.speaker(session, "Ingrid Halvorsen")
    brennick = data.speaker(session, "Tomas Brennick")
    obrien = data.speaker(session, "Siobhán O'Brien")
    first = data.article(session, data.BRIDGE_TEXT, published_at=datetime(2026, 10, 2, tzinfo=timezone.utc))
    second = data.article(
        session,
        "Halvorsen spoke again.\n\n\"The bridge will stay open while the crews work,\" she said.\n\n"
        "O'Brien said: \"Voters deserve the arithmetic before the vote.\"",
        title="Bridge stays open", outlet="the harbour herald",
        published_at=datetime(2026, 11, 5, tzinfo=timezone.utc))
    third = data.article(
        session, "Brennick said: \"Toll booths are a tax on the harbour district.\"",
        title="Tolls", outlet=None, published_at=None)
    quotes = {
        "patching": data.quote(session, first, "We cannot keep patching a structure that carries forty "
                               "thousand cars a day", by=halvorsen, role="mayor", verdict=Verdict.MISQUOTED,
                               status=ReviewStatus.PUBLISHED, note="The mayor said *thirty* thousand."),
        "safety": data.quote(session, first, "Nobody is against safety, but the council voted blind",
                             by=brennick, verdict=Verdict.ACCURATE, status=ReviewStatus.AWAITING_SIGNOFF),
        "corrosion": data.quote(session, first, "The corrosion is real"),
        "open": data.quote(session, second, "The bridge will stay open while the crews work", by=halvorsen,
                           verdict=Verdict.ACCURATE, status=ReviewStatus.CORRECTED),
        "arithmetic": data.quote(session, second, "Voters deserve the arithmetic before the vote", by=obrien),
        "tolls": data.quote(session, third, "Toll booths are a tax on the harbour district", by=brennick),
    }
    found = {name: q.id for name, q in quotes.items()} | {
        "halvorsen": halvorsen.id, "brennick": brennick.id, "obrien": obrien.id}
    session.commit()   # after reading the ids: a read now would hold SQLite's lock against other writers
    return found


def found(session, *, desk=False, page=1, per_page=25, **fields) -> list[int]:
    return [q.id for q in search_quotes(session, QuoteSearch(**fields), desk=desk, page=page,
                                        per_page=per_page).items]


def ids(corpus, *names):
    return [corpus[name] for name in names]


@pytest.mark.parametrize("fields, expected", [
    ({"text": "bridge"}, {"open"}),
    ({"text": "voted"}, {"safety", "arithmetic"}),          # stemming: voted ~ vote
    ({"text": "vote"}, {"safety", "arithmetic"}),
    ({"text": "Halvorsen"}, {"patching", "open"}),          # the speaker's name
    ({"text": "halvorsen bridge"}, {"open"}),               # name and words together
    ({"text": "obrien"}, set()),
    ({"text": "siobhan"}, {"arithmetic"}),                  # diacritics folded
    ({"text": '"forty thousand"'}, {"patching"}),
    ({"text": '"thousand forty"'}, set()),
    ({"text": "harbour -toll"}, set()),
    ({"text": "tax -bridge"}, {"tolls"}),
    ({"text": "NEAR(corrosion) OR"}, set()),                # FTS syntax is only ever words
    ({"text": "corrosion*"}, {"corrosion"}),
    ({"speaker": "halvorsen"}, {"patching", "open"}),
    ({"speaker": "TOMAS"}, {"safety", "tolls"}),
    ({"speaker": "nobody by that name"}, set()),
    ({"outlet": "The Harbour Herald"}, {"open", "arithmetic"}),
    ({"date_from": date(2026, 11, 1)}, {"open", "arithmetic", "tolls"}),   # undated: recorded today
    ({"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 2)}, {"patching", "safety", "corrosion"}),
    ({"text": "the", "date_to": date(2026, 10, 31)}, {"safety", "corrosion"}),
])
def test_search_finds(session, corpus, fields, expected):
    got = set(found(session, **fields))
    if session.get_bind().dialect.name == "postgresql" and fields.get("text") == "the":
        pytest.skip("PostgreSQL's english configuration drops stop words")
    assert got == set(ids(corpus, *expected))


def test_speaker_filter_by_id_follows_merges(session, corpus):
    assert set(found(session, speaker=str(corpus["brennick"]))) == set(ids(corpus, "safety", "tolls"))
    assert found(session, speaker="999999") == []


@pytest.mark.parametrize("verdict, desk, expected", [
    (Verdict.MISQUOTED, False, {"patching"}),
    (Verdict.ACCURATE, False, {"open"}),                              # "safety" awaits sign-off
    (Verdict.ACCURATE, True, {"open", "safety"}),
    (Verdict.UNVERIFIED, False, {"safety", "corrosion", "arithmetic", "tolls"}),
    (Verdict.UNVERIFIED, True, {"corrosion", "arithmetic", "tolls"}),
])
def test_readers_filter_on_published_verdicts_only(session, corpus, verdict, desk, expected):
    assert set(found(session, verdict=verdict, desk=desk)) == set(ids(corpus, *expected))


def test_sorting(session, corpus):
    newest = found(session, sort=SearchSort.NEWEST)
    # "tolls" has no publication date, so it is dated when it was recorded: today.
    assert newest[0] == corpus["tolls"]
    assert newest.index(corpus["open"]) < newest.index(corpus["patching"])
    assert found(session, sort=SearchSort.OLDEST) == newest[::-1]
    # Relevance needs words; without them the order is newest first.
    assert found(session, sort=SearchSort.RELEVANCE) == newest


def test_best_match_first(session, corpus):
    echo = data.article(session, "Bridge, bridge, bridge: that was the whole speech.", title="Echo",
                        published_at=datetime(2026, 12, 1, tzinfo=timezone.utc))
    repeated = data.quote(session, echo, "Bridge, bridge, bridge")
    session.commit()
    assert found(session, text="bridge") == [repeated.id, corpus["open"]]
    assert found(session, text="bridge", sort=SearchSort.OLDEST) == [corpus["open"], repeated.id]


def test_pages(session, corpus):
    everything = found(session, sort=SearchSort.OLDEST)
    pages = [found(session, sort=SearchSort.OLDEST, page=n, per_page=4) for n in (1, 2, 3)]
    assert pages[0] + pages[1] == everything and pages[2] == []
    result = search_quotes(session, QuoteSearch(), desk=False, page=2, per_page=4)
    assert (result.total, result.pages, result.has_prev, result.has_next) == (6, 2, True, False)


def test_bad_dates(session, corpus):
    with pytest.raises(BadSearch) as error:
        search_quotes(session, QuoteSearch(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)), desk=False)
    assert error.value.field == "date_from"


def test_index_follows_every_write(session, corpus):
    """Triggers keep the index in step, whoever writes (ORM or plain SQL)."""
    patching = session.get(Quote, corpus["patching"])
    patching.text = "We cannot keep mending a structure"
    session.commit()
    assert found(session, text="patching") == [] and found(session, text="mending") == [corpus["patching"]]

    patching.speaker.name = "Ingrid Halvorsen-Berg"
    session.commit()
    assert set(found(session, text="berg")) == set(ids(corpus, "patching", "open"))

    patching.speaker_id = corpus["brennick"]
    session.commit()
    assert found(session, text="berg") == [corpus["open"]]
    assert corpus["patching"] in found(session, text="brennick")

    second = session.get(Quote, corpus["open"]).article
    second.published_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    session.commit()
    assert set(found(session, date_to=date(2025, 1, 1))) == set(ids(corpus, "open", "arithmetic"))

    session.execute(delete(QuoteSegment).where(QuoteSegment.quote_id == corpus["corrosion"]))
    session.execute(delete(Quote).where(Quote.id == corpus["corrosion"]))
    session.commit()
    assert found(session, text="corrosion") == []


def test_search_page_shows_marked_results(client, corpus):
    response = client.get("/search?q=bridge+halvorsen")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "1 quote" in body and "<mark>bridge</mark>" in body and "<mark>Halvorsen</mark>" in body
    assert f'href="/quotes/{corpus["open"]}"' in body
    assert 'role="search"' in body and '<label for="q">' in body


def test_search_page_masks_unpublished_verdicts_for_readers(client, users, corpus):
    body = client.get("/search?q=safety").get_data(as_text=True)
    assert "verdict-unverified" in body and "verdict-accurate" not in body
    client.login("rita")
    body = client.get("/search?q=safety").get_data(as_text=True)
    assert "verdict-accurate" in body


@pytest.mark.parametrize("query, field, message", [
    ("date_from=2026-02-01&date_to=2026-01-01", "date_from", "The start date is after the end date."),
    ("date_from=yesterday", "date_from", "Not a valid date value."),
    ("verdict=brilliant", "verdict", "Not a valid choice."),
    ("q=" + "x" * 501, "q", "Field cannot be longer than 500 characters."),
])
def test_search_page_shows_bad_input_beside_the_field(client, query, field, message):
    response = client.get(f"/search?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    section = body[body.index(f'for="{field}"'):]
    assert section.index(message) < section.index("</div>")   # inside the field's own block
    if "yesterday" in query:
        assert 'value="yesterday"' in body                       # nothing typed is lost


def test_search_page_without_a_query_shows_only_the_form(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert "results-heading" not in response.get_data(as_text=True)


def test_search_page_reports_nothing_found(client, corpus):
    body = client.get("/search?q=zeppelin&speaker=nobody").get_data(as_text=True)
    assert "No quotes found" in body and "No speaker is called “nobody”" in body


@pytest.fixture(params=list(_backends()))
def migrated(request, tmp_path):
    """An app whose database was built by the Alembic migrations, not create_all()."""
    from factcheck.app import create_app

    app = create_app(make_config(request.param, tmp_path, request))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        yield app
        db.session.remove()
        downgrade(revision="base")
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def test_migrations_build_the_same_search_index(migrated):
    halvorsen = data.speaker(db.session, "Ingrid Halvorsen")
    first = data.article(db.session, data.BRIDGE_TEXT)
    patching = data.quote(db.session, first, "We cannot keep patching a structure", by=halvorsen)
    db.session.commit()
    assert found(db.session, text="halvorsen patching") == [patching.id]
    assert found(db.session, date_from=date(2026, 10, 2), sort=SearchSort.NEWEST) == [patching.id]
    halvorsen.name = "Ingrid Berg"
    db.session.commit()
    assert found(db.session, text="berg") == [patching.id]
    db.session.remove()
    downgrade(revision="0001")
    names = set(inspect(db.engine).get_table_names())
    assert not {name for name in names if name.startswith("quote_search")}
    upgrade()
    assert found(db.session, text="berg patching") == [patching.id]   # filled from what was stored
    db.session.rollback()  # a second connection below: SQLite takes one writer at a time
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM quotes")).scalar() == 1


@pytest.mark.parametrize("fields", [
    {},
    {"text": "the"},
    {"verdict": Verdict.UNVERIFIED},
    {"speaker": "halvorsen"},
    {"outlet": "the harbour herald", "verdict": Verdict.ACCURATE},
    {"text": "bridge", "date_from": date(2026, 1, 1)},
])
@pytest.mark.parametrize("sort", [SearchSort.NEWEST, SearchSort.OLDEST])
def test_walking_the_date_index_finds_the_same(session, corpus, monkeypatch, fields, sort):
    """Large result sets walk the date index instead of sorting: same answer, other plan."""
    from factcheck.services import search

    sorted_directly = found(session, sort=sort, **fields)
    monkeypatch.setattr(search, "FEW", 0)
    # One per page: with so small a reach, SQLite walks the index whenever matches are not rare.
    one_by_one = [found(session, sort=sort, per_page=1, page=n, **fields) for n in range(1, 8)]
    assert sum(one_by_one, []) == sorted_directly


def test_counting_stops_and_best_match_ranks_the_latest(session, corpus, monkeypatch):
    from factcheck.services import search

    monkeypatch.setattr(search, "MAX_COUNTED", 1)
    monkeypatch.setattr(search, "RANK_WINDOW", 1)
    result = search_quotes(session, QuoteSearch(text="halvorsen"), desk=False, per_page=1)
    # Two match; counting stops at one, and only the most recently recorded one is ranked.
    assert (result.total, result.total_capped, result.pages) == (1, True, 1)
    assert [quote.id for quote in result.items] == [corpus["open"]]
    assert search_quotes(session, QuoteSearch(text="halvorsen"), desk=False, per_page=1, page=2).items == []


@pytest.mark.parametrize("window, max_counted", [(1, 1), (2, 1), (1, 3), (3, 3), (1000, 1000)])
@pytest.mark.parametrize("fields, desk", [
    ({"text": "bridge"}, False),
    ({"text": "the"}, True),
    ({"text": "halvorsen"}, False),
    ({"text": "the", "speaker": "halvorsen"}, False),
    ({"text": "the", "speaker": "brennick"}, True),
])
def test_best_match_in_one_walk_finds_the_same(session, corpus, monkeypatch, window, max_counted, fields, desk):
    """SQLite counts and ranks "best match" in one query; the count and then the ranking agree."""
    from factcheck.services import search

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("one walk is SQLite's")
    monkeypatch.setattr(search, "RANK_WINDOW", window)

    def pages():
        results = [search_quotes(session, QuoteSearch(**fields), desk=desk, page=n, per_page=2,
                                 max_counted=max_counted) for n in (1, 2, 3, 4)]
        return [([q.id for q in r.items], r.total, r.total_capped) for r in results]

    one_walk = pages()
    monkeypatch.setattr(search._SQLiteIndex, "scores_in_one_walk", False)
    assert one_walk == pages()


@pytest.mark.parametrize("names, words", [
    (["Ana Mbeki", "Kofi Mbeki"], ("mbeki",)),
    (["Jean-Luc Picard"], ("jean", "luc", "picard")),
    (["Ana Mbeki", "Kofi Lindqvist"], ()),          # nothing in common
    (["Siobhán O'Brien"], ()),                       # not plain ASCII: the index may split it otherwise
    (["Ana Mbeki", "Siobhán Mbeki"], ()),
    ([], ()),
])
def test_the_words_every_filtered_name_has(names, words):
    from factcheck.services.search import _Filters

    speakers = tuple(Speaker(id=n, name=name) for n, name in enumerate(names, 1))
    assert _Filters(QuoteSearch(speaker="x"), speakers, desk=False).name_words == words


@pytest.fixture
def namesakes(session, corpus):
    """A second Tomas Brennick (another person), and more quotes of the two Halvorsens."""
    other = data.speaker(session, "Tomas Brennick")
    per = data.speaker(session, "Per Halvorsen")
    late = data.article(session, "Brennick said: \"The tolls fund the harbour, not the bridge.\" "
                        "Per Halvorsen said: \"Ingrid is right about the bridge.\"",
                        title="Late", published_at=datetime(2026, 11, 20, tzinfo=timezone.utc))
    found = {"other_brennick": other.id, "per": per.id,
             "namesake": data.quote(session, late, "The tolls fund the harbour, not the bridge", by=other).id,
             "per_bridge": data.quote(session, late, "Ingrid is right about the bridge", by=per).id}
    session.commit()
    return corpus | found


@pytest.mark.parametrize("fields", [
    {"text": "the", "speaker": "halvorsen"},
    {"text": "bridge", "speaker": "halvorsen"},
    {"text": "ingrid bridge", "speaker": "halvorsen"},
    {"text": "tolls -bridge", "speaker": "brennick"},
    {"text": "harbour", "speaker": "tomas brennick"},
    {"text": "halvorsen", "speaker": "ingrid"},
    {"text": "the", "speaker": "o'brien"},
    {"text": "the", "speaker": "halvorsen", "sort": SearchSort.NEWEST},
    {"text": "harbour", "speaker": "brennick", "sort": SearchSort.OLDEST},
    {"text": "the", "speaker": "halvorsen", "verdict": Verdict.UNVERIFIED},
])
@pytest.mark.parametrize("desk", [False, True])
def test_speaker_filter_through_the_names_words_finds_the_same(session, namesakes, monkeypatch, fields, desk):
    """The names' words narrow the full-text walk; the speaker is still checked on each match."""
    from factcheck.services import search

    def pages():
        return [[q.id for q in search_quotes(session, QuoteSearch(**fields), desk=desk, page=n,
                                             per_page=2).items] for n in (1, 2, 3)]

    through_words = pages()
    monkeypatch.setattr(search._Filters, "name_words", property(lambda self: ()))
    assert through_words == pages()


def test_speaker_filter_by_id_leaves_out_a_namesake(session, namesakes):
    """The other Tomas Brennick's quote has the same name words; the speaker check drops it."""
    by_id = found(session, text="tolls", speaker=str(namesakes["brennick"]))
    assert by_id == [namesakes["tolls"]]
    assert set(found(session, text="tolls", speaker="brennick")) == set(ids(namesakes, "tolls", "namesake"))
    assert found(session, text="tolls", speaker=str(namesakes["other_brennick"])) == [namesakes["namesake"]]


def test_with_a_speaker_filter_only_the_words_rank(session, namesakes):
    """Every result's speaker fits the filter, so the name says nothing about which quote is
    best: a quote that has the words ranks first, and quotes that match by their speaker's
    name alone follow, newest first, whatever their length."""
    long = data.article(
        session, "Halvorsen said: \"We will publish every inspection report, every invoice and every "
        "letter from the contractors, so that anyone can check the numbers for themselves.\"",
        title="Reports", published_at=datetime(2026, 11, 25, tzinfo=timezone.utc))
    reports = data.quote(session, long, "We will publish every inspection report, every invoice and every "
                         "letter from the contractors, so that anyone can check the numbers for themselves",
                         by=session.get(Speaker, namesakes["halvorsen"]))
    session.commit()
    # "ingrid": in Per Halvorsen's words; in Ingrid Halvorsen's name only for her three quotes.
    assert found(session, text="ingrid", speaker="halvorsen") == [
        namesakes["per_bridge"], reports.id, namesakes["open"], namesakes["patching"]]


def test_the_index_knows_which_statuses_are_public():
    from factcheck import search_index

    assert set(search_index.PUBLIC_STATUSES) == {status.value for status in ReviewStatus if status.is_public}
    for statement in (*search_index.SQLITE_CREATE, *search_index.POSTGRESQL_CREATE):
        if "THEN" in statement:
            assert "IN ('published', 'corrected')" in statement


def test_review_changes_reach_the_index(session, corpus):
    """The readers' verdict filter follows sign-off and corrections, through the triggers."""
    safety = session.get(Quote, corpus["safety"])
    assert found(session, verdict=Verdict.ACCURATE) == [corpus["open"]]
    safety.status = ReviewStatus.PUBLISHED
    session.commit()
    assert set(found(session, verdict=Verdict.ACCURATE)) == {corpus["open"], corpus["safety"]}
    safety.verdict = Verdict.DISPUTED
    safety.status = ReviewStatus.CORRECTED
    session.commit()
    assert found(session, verdict=Verdict.DISPUTED) == [corpus["safety"]]
    article = safety.article
    article.outlet = "The Evening Post"
    session.commit()
    assert set(found(session, outlet="the evening POST")) == {corpus["patching"], corpus["safety"], corpus["corrosion"]}


def test_cli_checks_and_rebuilds_the_index(runner, session, corpus):
    # The commands run in this test's app context, so they share its session.
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "All 6 quotes" in result.output
    session.execute(text("DELETE FROM quote_search"))   # as a careless bulk load would
    session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "search rebuild" in result.output
    session.close()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "rebuilt for 6 quotes" in result.output
    assert set(found(session, text="halvorsen")) == {corpus["patching"], corpus["open"]}
    assert runner.invoke(args=["search", "check"]).exit_code == 0


@pytest.mark.parametrize("query", [
    "²", "ǅemal", "🙂", "a\x00b", "'", '""', "NOT", "AND OR NEAR", "*", "^", "speaker:halvorsen", "(bridge",
    "bridge)", "-", "--bridge", 'q"uote', "the the the", "ﬁnance", "ß", "İstanbul", "\u200bbridge", "x" * 500,
])
def test_any_query_is_safe(client, session, corpus, query):
    """Whatever is typed, the search answers (never a 500, never FTS or tsquery syntax errors)."""
    search_quotes(session, QuoteSearch(text=query), desk=False)
    search_quotes(session, QuoteSearch(text=query, sort=SearchSort.NEWEST, verdict=Verdict.ACCURATE), desk=True)
    assert client.get("/search", query_string={"q": query}).status_code in (200, 400)
