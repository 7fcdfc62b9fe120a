"""Bulk ingestion: a batch stores exactly what one-by-one ingestion stores, and a bad
article fails alone."""

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from factcheck.content import EmptyArticle
from factcheck.db import db
from factcheck.models import (
    Article, ArticleSource, Quote, QuoteMatch, QuoteSegment, Speaker, SpeakerAlias,
    SpeakerMergeSuggestion,
)
from factcheck.services import ingestion
from factcheck.services.ingestion import ArticleInput, IngestFailure, ingest_article, ingest_articles

# Made-up stories: speakers who come back (by key, by a fuller name, by a near spelling),
# anonymous sources, a body, and quotes repeated, varied, cut and reassigned across articles.
STORED_FIRST = """Harbour wall plan approved

"We will rebuild the harbour wall before the winter storms reach the northern quay," said Mayor Ingrid Halvorsen.
"""
BATCH = [
    """Port money runs short

"Freight volumes through the eastern terminal fell by almost a third this year," said Tomas Brekke, an economist at the maritime institute.

A senior official at the port authority, speaking on condition of anonymity, said: "The money for the wall is simply not there."
""",
    """Council split on harbour

"We will rebuild the harbour wall before the winter storms reach the northern quay," said councillor Petra Lindqvist on Monday.

"Freight volumes through the eastern terminal fell by almost a third this year," said Tomas Andreas Brekke.

A senior official at the port authority said: "Nobody has signed anything about the northern quay yet."
""",
    "",
    """Storm season begins

"rebuild the harbour wall before the winter storms reach the northern quay," Halvorsen told the Courier, repeating a pledge.

"Freight volumes through the eastern terminal fell by nearly a third in the past year," said Tomas Breke.

The Maritime Workers Union said in a statement: "Our members will not work on an unsafe quay."
""",
    """Port money runs short

"Freight volumes through the eastern terminal fell by almost a third this year," said Tomas Brekke, an economist at the maritime institute.

A senior official at the port authority, speaking on condition of anonymity, said: "The money for the wall is simply not there."
""",
    """Quay inspection

"Our members will not work on an unsafe quay," said Ines Moreau of the Maritime Workers Union.

"We will rebuild the harbour wall before the winter storms reach the northern quay," said Mayor Ingrid Halvorsen.

"The terminal will need new cranes within two years," said Tomas Andreas Brekke.
""",
]
TABLES = [
    (Article, ("id", "title", "url", "content_hash", "source")),
    (Speaker, ("id", "name", "key", "kind", "article_id", "merged_into_id", "surname_key")),
    (SpeakerAlias, ("speaker_id", "alias", "key")),
    (SpeakerMergeSuggestion, ("speaker_id", "candidate_id", "score", "status")),
    (Quote, ("id", "article_id", "speaker_id", "text", "start", "end", "speaker_as_written",
             "kind", "confidence", "resolution")),
    (QuoteSegment, ("quote_id", "start", "end")),
    (QuoteMatch, ("quote_id", "earlier_id", "relation", "score", "misattribution")),
]


def inputs() -> list[ArticleInput]:
    return [ArticleInput(source=ArticleSource.CLI, text=body) for body in BATCH]


def stored(session) -> dict:
    """Everything ingestion decides, comparable across two databases."""
    snapshot = {}
    for model, columns in TABLES:
        rows = session.execute(select(*(getattr(model, c) for c in columns))).all()
        snapshot[model.__tablename__] = sorted(tuple(row) for row in rows)
    snapshot["match_terms"] = sorted(session.execute(text("SELECT term, quotes FROM match_terms")).all())
    if session.get_bind().dialect.name == "postgresql":
        postings = "SELECT term, unnest(quote_ids) FROM match_chunks"
    else:
        postings = "SELECT term, quote_id FROM match_postings"
    snapshot["postings"] = sorted(session.execute(text(postings)).all())
    return snapshot


def fresh_database(session) -> None:
    session.remove()
    db.drop_all()
    db.create_all()
    ingest_article(db.session, ArticleInput(source=ArticleSource.CLI, text=STORED_FIRST))
    db.session.commit()


def one_by_one(session) -> list[str]:
    outcomes = []
    for data in inputs():
        try:
            result = ingest_article(session, data)
        except EmptyArticle:
            outcomes.append("failed")
            continue
        session.commit()
        outcomes.append(f"{result.article.id} {'created' if result.created else 'present'}")
    return outcomes


def as_batch(session, **options) -> list[str]:
    outcomes = ingest_articles(session, inputs(), **options)
    session.commit()
    return ["failed" if isinstance(o, IngestFailure)
            else f"{o.article.id} {'created' if o.created else 'present'}" for o in outcomes]


def test_a_batch_stores_what_one_by_one_ingestion_stores(session):
    fresh_database(session)
    expected_outcomes = one_by_one(db.session)
    expected = stored(db.session)
    fresh_database(session)
    assert as_batch(db.session) == expected_outcomes
    assert stored(db.session) == expected
    # The articles met each other: later ones matched earlier ones of the same batch.
    first_batch_article = expected["articles"][1][0]
    quotes = {row[0]: row[1] for row in expected["quotes"]}
    assert any(quotes[earlier] >= first_batch_article and quotes[later] != quotes[earlier]
               for later, earlier, *_ in expected["quote_matches"])
    assert expected_outcomes[2] == "failed" and expected_outcomes[4].endswith("present")


def test_a_failure_inside_a_batch_sinks_only_its_article(session, monkeypatch):
    fresh_database(session)
    real = ingestion.matching.match_and_index

    def fail_on_the_union(session, quotes):
        if any("Our members" in quote.text for quote in quotes):
            raise RuntimeError("matching failed")
        return real(session, quotes)

    monkeypatch.setattr(ingestion.matching, "match_and_index", fail_on_the_union)
    outcomes = ingest_articles(db.session, inputs())
    db.session.commit()
    failed = [n for n, o in enumerate(outcomes) if isinstance(o, IngestFailure)]
    assert failed == [2, 3, 5]
    assert "RuntimeError: matching failed" in outcomes[3].reason
    assert isinstance(outcomes[2].error, EmptyArticle)
    titles = db.session.scalars(select(Article.title).order_by(Article.id)).all()
    assert titles == ["Harbour wall plan approved", "Port money runs short", "Council split on harbour"]
    # Nothing of the failed articles was written (no orphan quote, speaker or segment).
    assert db.session.scalar(select(func.count()).select_from(Quote).where(
        Quote.article_id.not_in(select(Article.id)))) == 0
    assert db.session.scalar(select(func.count()).select_from(Speaker).where(
        Speaker.name.like("%Union%"))) == 0


@pytest.mark.parametrize("size", [1, 2, 50])
def test_the_batch_size_does_not_change_what_is_stored(session, size):
    fresh_database(session)
    for start in range(0, len(BATCH), size):
        ingest_articles(db.session, inputs()[start:start + size])
        db.session.commit()
    by_size = stored(db.session)
    fresh_database(session)
    one_by_one(db.session)
    assert by_size == stored(db.session)


def _at_once(app, first_text: str, second_text: str) -> list[BaseException]:
    """Two writers ingest an article each: the first stores its own and holds its
    transaction open until the second has started, then commits."""
    first_stored, second_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with app.app_context():
                ingest_article(db.session, ArticleInput(source=ArticleSource.CLI, title="First",
                                                        text=first_text))
                db.session.flush()
                first_stored.set()
                second_started.wait(10)
                time.sleep(0.5)  # the other transaction has read and is about to write
                db.session.commit()
        except BaseException as error:  # reported by the caller, not lost in the thread
            errors.append(error)
            first_stored.set()

    def second() -> None:
        try:
            first_stored.wait(10)
            with app.app_context():
                second_started.set()
                ingest_article(db.session, ArticleInput(source=ArticleSource.CLI, title="Second",
                                                        text=second_text))
                db.session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_two_writers_storing_the_same_new_name_make_one_record(app):
    """Two workers ingest articles naming the same new person at once: the second waits
    for the first to commit and takes its record (PostgreSQL; SQLite has one writer)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: no two transactions make records at once")
    errors = _at_once(
        app,
        '"We will open the archive to the public next spring," said Marta Quintanilla, '
        'the city archivist.\n',
        '"The reading room needs a new roof before anyone can use it," said Marta '
        'Quintanilla on Tuesday.\n')
    assert not errors
    with app.app_context():
        speakers = db.session.scalars(select(Speaker).where(Speaker.key == "marta quintanilla")).all()
        assert len(speakers) == 1
        said = db.session.scalars(select(Quote.speaker_id).join(Article).where(
            Article.title.in_(["First", "Second"]))).all()
        assert said == [speakers[0].id] * 2


def test_an_article_that_loses_a_deadlock_is_tried_again(session, monkeypatch):
    """Article by article (after the batch failed), a deadlock another writer won is
    not the article's fault: it is stored on the next try."""
    class Deadlock(Exception):
        sqlstate = "40P01"

    fresh_database(session)
    real = ingestion.matching.match_and_index
    lost = {"batch": 0, "port": 0}

    def collide(session, quotes):
        if len({quote.article_id for quote in quotes}) > 1:
            lost["batch"] += 1  # the whole batch: always in the way, so it goes article by article
            raise OperationalError("SELECT pg_advisory_xact_lock(1)", {}, Deadlock())
        if any("Freight volumes" in quote.text for quote in quotes) and not lost["port"]:
            lost["port"] += 1
            raise OperationalError("SELECT pg_advisory_xact_lock(1)", {}, Deadlock())
        return real(session, quotes)

    monkeypatch.setattr(ingestion.matching, "match_and_index", collide)
    outcomes = ingest_articles(db.session, inputs())
    db.session.commit()
    assert lost == {"batch": 3, "port": 1}
    assert [n for n, o in enumerate(outcomes) if isinstance(o, IngestFailure)] == [2]  # the empty one
    assert db.session.scalar(select(func.count()).select_from(Article).where(
        Article.title == "Port money runs short")) == 1


def test_two_writers_giving_a_speaker_the_same_new_alias_store_it_once(app):
    """Both articles write a stored speaker's name with a middle name: one alias record."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: no two transactions write at once")
        ingest_article(db.session, ArticleInput(
            source=ArticleSource.CLI, title="Archive opens",
            text='"We will open the archive to the public next spring," said Marta Quintanilla.\n'))
        db.session.commit()
    errors = _at_once(
        app,
        '"The reading room needs a new roof before anyone can use it," said Marta Elena '
        'Quintanilla, the city archivist.\n',
        '"Volunteers will catalogue the letters over the summer holidays," said Marta Elena '
        'Quintanilla on Tuesday.\n')
    assert not errors
    with app.app_context():
        (speaker,) = db.session.scalars(select(Speaker)).all()
        assert [a.key for a in speaker.aliases] == ["marta elena quintanilla"]
        assert set(db.session.scalars(select(Quote.speaker_id))) == {speaker.id}



def test_a_name_stored_meanwhile_by_another_writer_takes_the_batch_quotes(app, monkeypatch):
    """The second writer made its own record for the new name and, the first having
    committed meanwhile, matched its quote with the first one's: the quote moves to the
    first writer's record and the match is not taken for a misattribution."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite takes one writer at a time: no two transactions write at once")
    words = '"Every school in the valley will have a full-time nurse by next autumn," said Rahel Tesfaye'
    resolved, committed = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    real = ingestion.matching.match_and_index

    def match_late(session, quotes):  # the second writer matches once the first has committed
        if threading.current_thread().name == "second":
            resolved.set()
            committed.wait(10)
        return real(session, quotes)

    monkeypatch.setattr(ingestion.matching, "match_and_index", match_late)

    def write(title: str, text: str) -> None:
        try:
            with app.app_context():
                ingest_article(db.session, ArticleInput(source=ArticleSource.CLI, title=title, text=text))
                if title == "First":
                    resolved.wait(10)
                db.session.commit()
                committed.set()
        except BaseException as error:
            errors.append(error)
            resolved.set()
            committed.set()

    threads = [threading.Thread(target=write, args=("First", words + ".\n"), name="first"),
               threading.Thread(target=write, args=("Second", words + " on Tuesday.\n"), name="second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    with app.app_context():
        (tesfaye,) = db.session.scalars(select(Speaker)).all()
        assert set(db.session.scalars(select(Quote.speaker_id))) == {tesfaye.id}
        (match,) = db.session.scalars(select(QuoteMatch)).all()
        assert (match.relation.value, match.misattribution) == ("repeat", False)
