"""Finding speakers by part of a name or alias, from the name index, on both databases."""

import pytest
from sqlalchemy import select, text

from factcheck.models import Quote, Speaker, SpeakerAlias, User
from factcheck.names import name_key
from factcheck.services.browse import speakers_matching
from factcheck.services.name_lookup import name_has_words
from factcheck.services.search import speakers_named
from factcheck.services.speakers import add_alias, merge_speakers, remove_alias, rename_speaker, undo_merge
from tests.services.test_speakers import article

NAMES = {
    "Ingrid Halvorsen": ["The Mayor"],
    "Tomas Brennick": [],
    "Łukasz Żuk": [],
    "José Álvarez": ["Pepe"],
    "Siobhán O'Brien": [],
    "Xi Jinping": [],
    "Wu Li": [],
    'Agent 99% "Max" C:\\Dir_1': [],
    "Near Andor": ["Mr NOT"],
    "Emoji 🙂 Fan": [],
}


def speaker(session, name: str, aliases=()) -> Speaker:
    record = Speaker(name=name, key=name_key(name) or name.lower(),
                     aliases=[SpeakerAlias(alias=alias, key=alias.lower()) for alias in aliases])
    session.add(record)
    session.flush()
    return record


@pytest.fixture
def people(session):
    made = {name: speaker(session, name, aliases) for name, aliases in NAMES.items()}
    session.commit()
    return made


def found(session, words, *, aliases=False) -> set[str]:
    return set(session.scalars(select(Speaker.name).where(name_has_words(session, words, aliases=aliases))))


@pytest.mark.parametrize("words, expected", [
    (["halvorsen"], {"Ingrid Halvorsen"}),
    (["HALVORSEN"], {"Ingrid Halvorsen"}),                     # any case
    (["ingrid", "halv"], {"Ingrid Halvorsen"}),                 # every word, anywhere
    (["ingrid", "brennick"], set()),
    (["tomas b"], {"Tomas Brennick"}),                          # a phrase, spaces and all
    (["tomas  b"], set()),
    (["xi"], {"Xi Jinping"}),                                   # shorter than a trigram
    (["li", "wu"], {"Wu Li"}),
    (["xi", "jinping"], {"Xi Jinping"}),                        # short and indexed words together
    (["xi", "brennick"], set()),
    (["or"], {"Ingrid Halvorsen", "Near Andor"}),
    (["łukasz"], {"Łukasz Żuk"}),                               # beyond ASCII, either case
    (["ŁUKASZ", "żuk"], {"Łukasz Żuk"}),
    (["żu"], {"Łukasz Żuk"}),
    (["ŻU"], {"Łukasz Żuk"}),
    (["Ł"], {"Łukasz Żuk"}),
    (["josé"], {"José Álvarez"}),
    (["JOSÉ", "álv"], {"José Álvarez"}),
    (["jose"], set()),                                          # accents are letters of their own
    (["siobhán", "o'brien"], {"Siobhán O'Brien"}),
    (["99%"], {'Agent 99% "Max" C:\\Dir_1'}),                  # LIKE's wildcards are characters
    (["%"], {'Agent 99% "Max" C:\\Dir_1'}),
    (["_"], {'Agent 99% "Max" C:\\Dir_1'}),
    (["r_1"], {'Agent 99% "Max" C:\\Dir_1'}),
    (["9_"], set()),
    (["\\"], {'Agent 99% "Max" C:\\Dir_1'}),
    (["c:\\dir"], {'Agent 99% "Max" C:\\Dir_1'}),
    (['"max"'], {'Agent 99% "Max" C:\\Dir_1'}),                # FTS5's quote is a character too
    (['"'], {'Agent 99% "Max" C:\\Dir_1'}),
    (['" or "'], set()),
    (["near"], {"Near Andor"}),                                 # FTS5's operators are words
    (["NEAR", "AND"], {"Near Andor"}),
    (["near(andor)"], set()),
    (["and*"], set()),
    (["^near"], set()),
    (["-near"], set()),
    (["name:", "near"], set()),
    (["🙂"], {"Emoji 🙂 Fan"}),
    (["🙂 f"], {"Emoji 🙂 Fan"}),
    (["\u200bnear"], set()),
    (["ﬁ"], set()),
    (["mayor"], set()),                                         # names only: aliases are not looked at
    ([], set(NAMES)),
])
def test_names(session, people, words, expected):
    assert found(session, words) == expected


@pytest.mark.parametrize("words, expected", [
    (["mayor"], {"Ingrid Halvorsen"}),
    (["THE", "MAY"], {"Ingrid Halvorsen"}),
    (["ingrid", "mayor"], {"Ingrid Halvorsen"}),               # one word in the name, one in an alias
    (["mayor", "brennick"], set()),
    (["ma"], {"Ingrid Halvorsen", "Tomas Brennick", 'Agent 99% "Max" C:\\Dir_1'}),   # short: alias or name
    (["pe", "josé"], {"José Álvarez"}),
    (["pe"], {"José Álvarez"}),
    (["not"], {"Near Andor"}),
    (["mr not"], {"Near Andor"}),
    (["mayor\npepe"], set()),                                   # no word spans two aliases
    (["halvorsen"], {"Ingrid Halvorsen"}),
])
def test_names_and_aliases(session, people, words, expected):
    assert found(session, words, aliases=True) == expected


def test_every_alias_counts_not_only_the_first(session, people):
    ingrid = people["Ingrid Halvorsen"]
    for alias in ("Madam Chair", "Councillor Halvorsen"):
        session.add(SpeakerAlias(speaker=ingrid, alias=alias, key=alias.lower()))
    session.flush()
    for word in ("mayor", "chair", "councillor", "ch"):
        assert found(session, [word], aliases=True) == {"Ingrid Halvorsen"}, word


@pytest.fixture
def editor(session, users):
    return session.get(User, users["ed"])


def index_in_step(session) -> None:
    """SQLite: the FTS5 table holds each speaker's name and aliases as stored."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.flush()
    session.expire_all()
    indexed = {row[0]: (row[1], set(row[2].split("\n")) - {""})
               for row in session.execute(text("SELECT rowid, name, aliases FROM speaker_name_search"))}
    stored = {record.id: (record.name, {alias.alias for alias in record.aliases})
              for record in session.scalars(select(Speaker))}
    assert indexed == stored


def test_the_index_follows_renames_aliases_deletes_and_merges(session, people, editor):
    tomas, ingrid = people["Tomas Brennick"], people["Ingrid Halvorsen"]
    rename_speaker(session, tomas, "Tomasz Brenner", user=editor)
    session.flush()
    index_in_step(session)
    assert found(session, ["brenner"]) == {"Tomasz Brenner"}
    assert found(session, ["brennick"]) == set()
    assert found(session, ["brennick"], aliases=True) == {"Tomasz Brenner"}   # the old name became an alias

    event = add_alias(session, ingrid, "Deputy Harbourmaster", user=editor)
    session.flush()
    index_in_step(session)
    assert found(session, ["harbourmaster"], aliases=True) == {"Ingrid Halvorsen"}
    remove_alias(session, ingrid, event.detail["alias_id"], user=editor)
    session.flush()
    index_in_step(session)
    assert found(session, ["harbourmaster"], aliases=True) == set()
    assert found(session, ["mayor"], aliases=True) == {"Ingrid Halvorsen"}    # the other alias stays

    session.execute(text("UPDATE speaker_aliases SET alias = 'Lord Mayor' WHERE alias = 'The Mayor'"))
    index_in_step(session)
    assert found(session, ["lord"], aliases=True) == {"Ingrid Halvorsen"}

    merge = merge_speakers(session, tomas, ingrid, user=editor)
    session.flush()
    index_in_step(session)
    # The merged record is still in the index; the live filter is the callers'.
    assert found(session, ["brenner"]) == {"Tomasz Brenner"}
    assert [s.name for s in speakers_named(session, "brenner")] == []
    assert [s.name for s, _ in speakers_matching(session, "brenner", page=1, per_page=10).items] == [
        "Ingrid Halvorsen"]                                                   # by the alias it came with
    assert [s.name for s, _ in speakers_matching(session, "brennick", page=1, per_page=10).items] == [
        "Ingrid Halvorsen"]                                                   # an alias moved over
    undo_merge(session, merge.id, user=editor)
    session.flush()
    index_in_step(session)
    assert [s.name for s, _ in speakers_matching(session, "brennick", page=1, per_page=10).items] == [
        "Tomasz Brenner"]

    wu = people["Wu Li"]
    session.add(SpeakerAlias(speaker=wu, alias="Teacher Wu", key="teacher wu"))
    session.flush()
    session.delete(wu)
    session.flush()
    index_in_step(session)
    assert found(session, ["wu"]) == set() and found(session, ["teacher"], aliases=True) == set()
    session.commit()


def test_speakers_named_shortest_first_live_only_and_limited(session):
    for name in ("Anna Karenina Smith", "Ann Smith", "Annabel Smithers", "Joanna Smith"):
        speaker(session, name)
    merged = speaker(session, "Ann Smit")
    merged.merged_into_id = speaker(session, "Ann Smithson").id
    session.flush()
    assert [s.name for s in speakers_named(session, "ann smit")] == [
        "Ann Smith", "Ann Smithson", "Joanna Smith", "Annabel Smithers", "Anna Karenina Smith"]
    assert [s.name for s in speakers_named(session, "ANN SMIT", limit=2)] == ["Ann Smith", "Ann Smithson"]
    assert speakers_named(session, " ,.; ") == []


def test_speakers_matching_most_quoted_first_and_paged(session):
    names = ("Ann Smith", "Joanna Smith", "Annabel Smithers", "Bob Jones")
    made = {name: speaker(session, name) for name in names}
    made["Bob Jones"].aliases.append(SpeakerAlias(alias="Anne's husband", key="annes husband"))
    for name, quotes in (("Joanna Smith", 3), ("Bob Jones", 2), ("Ann Smith", 1)):
        for n in range(quotes):
            session.add(Quote(article=article(session), speaker=made[name], text=f"Words {n}.", start=0, end=8))
    session.flush()
    first = speakers_matching(session, "ann", page=1, per_page=2)
    second = speakers_matching(session, "ann", page=2, per_page=2)
    assert first.total == second.total == 4
    assert [(s.name, count) for s, count in first.items] == [("Joanna Smith", 3), ("Bob Jones", 2)]
    assert [(s.name, count) for s, count in second.items] == [("Ann Smith", 1), ("Annabel Smithers", 0)]


def _plan(session, query) -> str:
    compiled = query.compile(session.get_bind())
    connection = session.connection()
    if session.get_bind().dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), tuple(
            compiled.params[name] for name in compiled.positiontup))
        return "\n".join(row[-1] for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")   # a few rows: only then is an index worth it
    return "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))


@pytest.mark.parametrize("aliases", [False, True])
def test_the_lookup_reads_the_index(session, people, aliases):
    query = select(Speaker.id).where(name_has_words(session, ["halvorsen", "ingrid"], aliases=aliases))
    plan = _plan(session, query)
    if session.get_bind().dialect.name == "sqlite":
        assert "speaker_name_search VIRTUAL TABLE" in plan and "SCAN speakers" not in plan, plan
    else:
        assert "Bitmap Index Scan on ix_speakers_name_trigrams" in plan, plan
        assert ("Bitmap Index Scan on ix_speaker_aliases_alias_trigrams" in plan) == aliases, plan
    session.rollback()


def test_search_rebuild_refills_the_name_index(runner, session, people):
    sqlite = session.get_bind().dialect.name == "sqlite"
    # As a bulk load that went around the triggers (SQLite) or dropped the indexes would leave it.
    session.execute(text("DELETE FROM speaker_name_search" if sqlite else "DROP INDEX ix_speakers_name_trigrams"))
    session.commit()
    if sqlite:
        assert found(session, ["halvorsen"]) == set()
    session.close()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert found(session, ["halvorsen"]) == {"Ingrid Halvorsen"}
    index_in_step(session)
    plan = _plan(session, select(Speaker.id).where(name_has_words(session, ["halvorsen"])))
    assert "speaker_name_search" in plan or "ix_speakers_name_trigrams" in plan, plan
    session.rollback()
