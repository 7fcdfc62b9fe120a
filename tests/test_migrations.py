"""The migrations build the same schema as the models, from empty, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from factcheck.app import create_app
from factcheck.db import db
from factcheck.schema import SchemaNotCurrent, check_schema
from factcheck.search_index import include_name
from tests.conftest import _backends, make_config


@pytest.fixture(params=list(_backends()))
def empty_app(request, tmp_path):
    app = create_app(make_config(request.param, tmp_path, request))
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        yield app
        db.session.remove()
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.engine.dispose()


def test_upgrade_from_empty_matches_models(empty_app):
    with pytest.raises(SchemaNotCurrent, match="no schema"):
        check_schema(db.engine)
    upgrade()
    check_schema(db.engine)
    with db.engine.connect() as connection:
        # The full-text index is built by migration 0002 outside the models (search_index.py).
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_downgrade_to_empty_and_back(empty_app):
    upgrade()
    downgrade(revision="base")
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert names == set()
    upgrade()
    assert "quotes" in inspect(db.engine).get_table_names()


def test_0010_hides_from_readers_what_editors_judged_not_a_quote_and_back_down(empty_app):
    """On a database with quotes: the index learns which ones readers may not find, both ways."""
    from factcheck.models import AttributionState, ReviewStatus, Verdict
    from factcheck.services.search import QuoteSearch, search_quotes
    from tests.web import reader_data as data

    def found(*, desk: bool) -> list[str]:
        results = search_quotes(db.session, QuoteSearch(text="ferry"), desk=desk)
        return sorted(quote.text for quote in results.items)

    def hidden_in_index() -> int:
        table = "quote_search_filters" if db.engine.dialect.name == "sqlite" else "quote_search"
        return db.session.scalar(text(f"SELECT count(*) FROM {table} WHERE public_verdict IS NULL"))

    upgrade(revision="0009")
    article = data.article(db.session, 'Ferry "fares" rise. "The ferry is full," said a deckhand.')
    data.quote(db.session, article, '"fares"', verdict=Verdict.ACCURATE, status=ReviewStatus.PUBLISHED)
    data.quote(db.session, article, "The ferry is full,")
    db.session.flush()
    for quote in article.quotes:
        if quote.text == '"fares"':
            quote.text = "Ferry fares"   # so both quotes hold the searched word
            quote.attribution = AttributionState.NOT_A_QUOTE
    db.session.commit()
    db.session.remove()
    upgrade()
    assert (found(desk=False), found(desk=True)) == (["The ferry is full,"], ["Ferry fares", "The ferry is full,"])
    assert hidden_in_index() == 1
    db.session.remove()
    downgrade(revision="0009")
    assert hidden_in_index() == 0
    assert found(desk=False) == ["Ferry fares", "The ferry is full,"]   # 0009 knew nothing of it
    db.session.remove()
    upgrade()
    assert found(desk=False) == ["The ferry is full,"]
    db.session.remove()


def test_0011_indexes_the_speakers_stored_and_back_down(empty_app):
    """The name index is filled from the speakers and aliases already there; downgrade removes it."""
    from factcheck.models import Speaker, SpeakerAlias
    from factcheck.services.browse import speakers_matching
    from factcheck.services.search import speakers_named

    def index_objects() -> set[str]:
        if db.engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE name LIKE 'speaker_name_search%'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trigrams'"
        return set(db.session.scalars(text(query)))

    upgrade(revision="0010")
    ingrid = Speaker(name="Ingrid Halvorsen", key="ingrid halvorsen",
                     aliases=[SpeakerAlias(alias="The Mayor", key="mayor")])
    db.session.add_all([ingrid, Speaker(name="Łukasz Żuk", key="lukasz zuk")])
    db.session.commit()
    db.session.remove()
    upgrade()
    assert [s.name for s in speakers_named(db.session, "halvorsen")] == ["Ingrid Halvorsen"]
    assert [s.name for s in speakers_named(db.session, "ŻUK")] == ["Łukasz Żuk"]
    assert [s.name for s, _ in speakers_matching(db.session, "mayor", page=1, per_page=5).items] == [
        "Ingrid Halvorsen"]
    db.session.remove()
    downgrade(revision="0010")
    assert index_objects() == set()
    db.session.remove()
    upgrade()
    assert index_objects() >= ({"speaker_name_search"} if db.engine.dialect.name == "sqlite"
                               else {"ix_speakers_name_trigrams", "ix_speaker_aliases_alias_trigrams"})
    assert [s.name for s, _ in speakers_matching(db.session, "mayor", page=1, per_page=5).items] == [
        "Ingrid Halvorsen"]
    db.session.remove()


def test_0012_gives_every_stored_article_a_page_version_and_every_run_repairs_its_triggers(empty_app):
    """The versions are filled from the articles already there; a migration run that finds a
    trigger missing (a batch migration on SQLite copies tables without them) puts it back."""
    from factcheck import page_versions
    from factcheck.models import Article, ArticleSource

    def versions() -> dict[int, int]:
        with db.engine.connect() as connection:
            return dict(connection.execute(text("SELECT article_id, version FROM article_page_versions")).all())

    upgrade(revision="0011")
    article = Article(title="Stored before", text="Nothing quoted.", source=ArticleSource.PASTE,
                      content_hash="s" * 64)
    db.session.add(article)
    db.session.commit()
    article_id = article.id
    db.session.remove()
    upgrade()
    filled = versions()
    assert list(filled) == [article_id]
    with db.engine.begin() as connection:
        assert page_versions.installed(connection)
        connection.exec_driver_sql(
            "DROP TRIGGER article_page_versions_quote_insert" if connection.dialect.name == "sqlite"
            else "DROP TRIGGER article_page_versions_quote_insert ON quotes")
        assert not page_versions.installed(connection)
    upgrade()  # nothing to migrate: the run still repairs
    with db.engine.connect() as connection:
        assert page_versions.installed(connection)
    assert versions()[article_id] > filled[article_id]  # pages kept meanwhile are never served again
    db.session.remove()
    downgrade(revision="0011")
    assert "article_page_versions" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as connection:
        assert not page_versions.installed(connection)
