"""Several processes on one SQLite file: readers never wait for the writer, and
writers queue instead of failing with "database is locked".

gunicorn runs several workers on the embedded database, so a request that reads
and then writes must not meet another writer's lock midway (rollback-journal
mode gives up at once in that case, whatever the busy timeout).
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, select, text, update

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import Article, ArticleSource

WRITERS = 6
ROUNDS = 15


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        # Short, so a unit that wrongly queues for the write lock fails fast.
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 2}},
        "SCHEMA_CHECK": False,
    })
    with app.app_context():
        db.create_all()
        db.session.add(Article(title="0", text="counter", content_hash="c" * 64, source=ArticleSource.PASTE))
        db.session.commit()
    return app


def test_a_file_database_runs_in_wal_mode(sqlite_app, tmp_path):
    with sqlite_app.app_context():
        db.session.execute(select(Article.id)).all()
        db.session.commit()
    mode = sqlite3.connect(tmp_path / "shared.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


@pytest.mark.parametrize("setting", [2**31, 0])
def test_connections_read_the_file_through_a_memory_map_unless_turned_off(tmp_path, setting):
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SCHEMA_CHECK": False, "SQLITE_MMAP_SIZE": setting,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'mapped.sqlite3'}"})
    with app.app_context():
        db.create_all()
        db.session.add(Article(title="mapped", text="words", content_hash="m" * 64, source=ArticleSource.PASTE))
        db.session.commit()
        mapped = db.session.execute(text("PRAGMA mmap_size")).scalar()
        titles = db.session.scalars(select(Article.title)).all()
        db.session.commit()
    # SQLite caps the map at its own build's limit (2 GiB here); what it reports is what it uses.
    assert (mapped > 0) == (setting > 0) and mapped <= setting
    assert titles == ["mapped"]


def test_concurrent_read_then_write_transactions_all_commit(sqlite_app):
    """Each unit reads the counter, then writes it back plus one: the pattern of a
    review POST. None may fail, and none may lose another's increment."""
    failures: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer():
        start.wait()
        for _ in range(ROUNDS):
            try:
                with sqlite_app.app_context():
                    current = int(db.session.scalar(select(Article.title).where(Article.id == 1)))
                    db.session.execute(update(Article).where(Article.id == 1).values(title=str(current + 1)))
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - every failure is reported below
                failures.append(error)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with sqlite_app.app_context():
        assert db.session.scalar(select(Article.title).where(Article.id == 1)) == str(WRITERS * ROUNDS)


def test_a_reader_is_not_blocked_by_an_open_write_transaction(sqlite_app, tmp_path):
    """A page read while a long ingestion holds the write lock answers at once."""
    holder = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}", connect_args={"timeout": 0.1})
    with holder.begin() as connection:
        connection.execute(text("UPDATE articles SET title = 'being written' WHERE id = 1"))
        with sqlite_app.test_request_context("/articles/1"):  # a GET: a plain read transaction
            assert db.session.scalar(select(Article.title).where(Article.id == 1)) == "0"
            db.session.rollback()
        connection.rollback()
    holder.dispose()


@pytest.mark.parametrize("command", [
    ["jobs", "list"],
    ["users", "list"],
    ["search", "check"],
])
def test_commands_that_only_read_answer_while_a_writer_holds_the_lock(sqlite_app, tmp_path, command):
    holder = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    with holder.begin() as connection:  # outside a request: BEGIN IMMEDIATE, the write lock
        connection.execute(text("UPDATE articles SET title = 'being written' WHERE id = 1"))
        result = sqlite_app.test_cli_runner().invoke(args=command)
        connection.rollback()
    holder.dispose()
    assert "locked" not in result.output
    assert result.exit_code == 0, result.output


def test_a_command_that_writes_waits_for_the_lock_instead_of_failing(sqlite_app, tmp_path):
    """The lock is released while the command waits: it then commits."""
    holder = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    connection = holder.connect()
    transaction = connection.begin()
    connection.execute(text("UPDATE articles SET title = 'being written' WHERE id = 1"))
    releaser = threading.Timer(0.5, transaction.rollback)
    releaser.start()
    result = sqlite_app.test_cli_runner().invoke(
        args=["users", "create", "newcomer", "--role", "reviewer", "--password-stdin"],
        input="a-long-enough-password\n")
    releaser.join()
    connection.close()
    holder.dispose()
    assert result.exit_code == 0, result.output
    with sqlite_app.app_context():
        assert "newcomer" in sqlite_app.test_cli_runner().invoke(args=["users", "list"]).output
