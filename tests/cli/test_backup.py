import sqlite3
import threading

import pytest

from factcheck.db import db
from factcheck.models import ArticleSource
from factcheck.services.ingestion import ArticleInput, ingest_article


def add_articles(app, start: int, count: int) -> None:
    with app.app_context():
        for n in range(start, start + count):
            ingest_article(db.session, ArticleInput(
                source=ArticleSource.CLI, title=f"Story {n}",
                text=f'"Number {n} is on the way," said Mayor Ingrid Halvorsen.'))
            db.session.commit()


def test_sqlite_backup_while_writing_is_consistent(app, runner, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the SQLite online backup is tested on SQLite")
    add_articles(app, 0, 20)
    writer = threading.Thread(target=add_articles, args=(app, 100, 30))
    writer.start()
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    writer.join()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    articles = copy.execute("SELECT count(*) FROM articles").fetchone()[0]
    orphans = copy.execute(
        "SELECT count(*) FROM quotes WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
    assert 20 <= articles <= 50 and orphans == 0
    copy.close()
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "--force" in again.output


def test_postgres_backup_uses_pg_dump(app, runner, tmp_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("pg_dump is tested on PostgreSQL")
    add_articles(app, 0, 3)
    target = tmp_path / "copy.dump"
    result = runner.invoke(args=["backup", str(target)])
    if "pg_dump is not installed" in result.output:
        pytest.skip("pg_dump is not installed")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PGDMP")
