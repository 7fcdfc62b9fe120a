"""The annotated article page is kept by its own article's version: changes elsewhere leave
it kept, every change to what it shows reaches readers at once (both databases)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import delete, insert, select, text, update

from factcheck import page_versions
from factcheck.db import db
from factcheck.models import (
    Article, ArticleSource, Quote, QuoteMatch, QuoteSegment, ReviewStatus, Speaker, Verdict,
)
from factcheck.services.ingestion import ArticleInput, ingest_article
from factcheck.services.reextraction import reextract_article
from factcheck.services.speakers import merge_speakers, rename_speaker
from tests.web.test_pagecache import page_cache_middleware

BRIDGE = ("The council met on Tuesday.\n\n"
          "“We will open the bridge in the spring,” said Maria Lopez, the mayor.\n\n"
          "Others disagreed. “The budget does not allow it,” said Tom Baker.")
WATER = ("Prices rose again.\n\n"
         "“Water will cost more next year,” said Ana Ruiz, the utility's director.")


def ingest(app, text: str, title: str) -> tuple[int, list[int]]:
    with app.app_context():
        result = ingest_article(db.session, ArticleInput(source=ArticleSource.PASTE, text=text, title=title))
        db.session.commit()
        return result.article.id, [q.id for q in sorted(result.article.quotes, key=lambda q: q.start)]


@pytest.fixture
def bridge(app):
    return ingest(app, BRIDGE, "Bridge plans")


def page(app, article_id: int):
    """What a reader with no cookies gets."""
    return app.test_client().get(f"/articles/{article_id}")


def kept(app, article_id: int) -> str:
    """Ask twice: the page is kept (a hit) before the change under test."""
    page(app, article_id)
    second = page(app, article_id)
    assert second.headers["X-Page-Cache"] == "hit"
    return second.get_data(as_text=True)


def write(app, *statements) -> None:
    with app.app_context():
        for statement in statements:
            db.session.execute(statement)
        db.session.commit()


def article_version(app, article_id: int) -> int | None:
    with app.app_context():
        return db.session.execute(text("SELECT version FROM article_page_versions WHERE article_id = :id"),
                                  {"id": article_id}).scalar()


def test_another_article_ingested_leaves_the_page_kept_and_the_lists_fresh(app, bridge):
    article_id, quote_ids = bridge
    html = kept(app, article_id)
    client = app.test_client()
    client.get(f"/quotes/{quote_ids[0]}")
    assert client.get(f"/quotes/{quote_ids[0]}").headers["X-Page-Cache"] == "hit"
    water_id, _ = ingest(app, WATER, "Water prices")
    again = page(app, article_id)
    assert again.headers["X-Page-Cache"] == "hit" and again.get_data(as_text=True) == html
    # Pages keyed by the content version start afresh: the list shows the new article.
    listing = app.test_client().get("/articles")
    assert listing.headers["X-Page-Cache"] == "miss" and "Water prices" in listing.get_data(as_text=True)
    assert client.get(f"/quotes/{quote_ids[0]}").headers["X-Page-Cache"] == "miss"
    assert page(app, water_id).status_code == 200


@pytest.mark.parametrize("how", ["orm", "core"])
def test_a_published_verdict_on_one_of_its_quotes_is_shown_at_once(app, bridge, how):
    article_id, quote_ids = bridge
    assert 'class="q q-misquoted"' not in kept(app, article_id)
    with app.app_context():
        if how == "orm":
            quote = db.session.get(Quote, quote_ids[1])
            quote.verdict, quote.status, quote.public_note = Verdict.MISQUOTED, ReviewStatus.PUBLISHED, "Not said."
            db.session.commit()
        else:
            write(app, update(Quote).where(Quote.id == quote_ids[1]).values(
                verdict=Verdict.MISQUOTED, status=ReviewStatus.PUBLISHED, public_note="Not said."))
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss"
    assert 'class="q q-misquoted"' in after.get_data(as_text=True) and "Not said." in after.get_data(as_text=True)


def test_a_verdict_on_another_articles_quote_leaves_the_page_kept(app, bridge):
    article_id, _ = bridge
    _, water_quotes = ingest(app, WATER, "Water prices")
    kept(app, article_id)
    write(app, update(Quote).where(Quote.id == water_quotes[0]).values(
        verdict=Verdict.ACCURATE, status=ReviewStatus.PUBLISHED))
    assert page(app, article_id).headers["X-Page-Cache"] == "hit"


def test_a_speaker_renamed_or_merged_is_shown_at_once_on_every_article_quoting_them(app, bridge):
    article_id, _ = bridge
    other_id, _ = ingest(app, "“Tolls will stay,” said Maria Lopez.", "Tolls")
    kept(app, article_id), kept(app, other_id)
    with app.app_context():
        lopez = db.session.scalars(select(Speaker).where(Speaker.name == "Maria Lopez")).one()
        rename_speaker(db.session, lopez, "María López Ortega", user=None)
        db.session.commit()
    for each in (article_id, other_id):
        after = page(app, each)
        assert after.headers["X-Page-Cache"] == "miss" and "María López Ortega" in after.get_data(as_text=True)
    kept(app, article_id)
    ingest(app, "“Taxes must fall,” said Thomas Baker-Hill.", "Taxes")
    with app.app_context():
        baker = db.session.scalars(select(Speaker).where(Speaker.name == "Tom Baker")).one()
        target = db.session.scalars(select(Speaker).where(Speaker.name == "Thomas Baker-Hill")).one()
        merge_speakers(db.session, baker, target, user=None)
        db.session.commit()
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss"
    assert "Thomas Baker-Hill" in after.get_data(as_text=True)  # the text still says "Tom Baker"


def test_its_title_text_and_segments_reach_readers_at_once(app, bridge):
    article_id, quote_ids = bridge
    kept(app, article_id)
    write(app, update(Article).where(Article.id == article_id).values(title="Bridge plans, corrected"))
    assert "Bridge plans, corrected" in page(app, article_id).get_data(as_text=True)
    kept(app, article_id)
    with app.app_context():
        start = db.session.scalars(select(QuoteSegment.start).where(QuoteSegment.quote_id == quote_ids[0])).first()
    write(app, update(QuoteSegment).where(QuoteSegment.quote_id == quote_ids[0]).values(end=start + 7))
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss"
    assert f'href="/quotes/{quote_ids[0]}" aria-describedby' in after.get_data(as_text=True)
    marked = after.get_data(as_text=True).split(f'id="q{quote_ids[0]}"', 1)[1].split("</a>", 1)[0]
    assert "We will" in marked and "bridge in the spring" not in marked  # the mark now ends 7 characters in


def test_a_quote_removed_or_re_extracted_reaches_readers_at_once(app, bridge):
    article_id, quote_ids = bridge
    html = kept(app, article_id)
    write(app, delete(QuoteSegment).where(QuoteSegment.quote_id == quote_ids[1]),
          delete(QuoteMatch).where((QuoteMatch.quote_id == quote_ids[1]) | (QuoteMatch.earlier_id == quote_ids[1])),
          delete(Quote).where(Quote.id == quote_ids[1]))
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss" and f'id="q{quote_ids[1]}"' in html
    assert f'id="q{quote_ids[1]}"' not in after.get_data(as_text=True)
    assert kept(app, article_id).count('id="qn') == 1
    with app.app_context():
        reextract_article(db.session, db.session.get(Article, article_id))  # finds the words again
        db.session.commit()
    again = page(app, article_id)
    assert again.headers["X-Page-Cache"] == "miss" and again.get_data(as_text=True).count('id="qn') == 2


def test_a_deleted_article_is_never_served_and_its_id_never_reuses_a_version(app, bridge):
    article_id, quote_ids = bridge
    kept(app, article_id)
    before = article_version(app, article_id)
    write(app, delete(QuoteMatch).where(QuoteMatch.quote_id.in_(quote_ids) | QuoteMatch.earlier_id.in_(quote_ids)),
          delete(QuoteSegment).where(QuoteSegment.quote_id.in_(quote_ids)),
          delete(Quote).where(Quote.id.in_(quote_ids)),
          delete(Article).where(Article.id == article_id))
    assert page(app, article_id).status_code == 404
    assert article_version(app, article_id) > before  # kept, moved on: the id may come back
    write(app, insert(Article).values(id=article_id, title="Another article", text="Nothing quoted here.",
                                      source=ArticleSource.PASTE, content_hash="x" * 64))
    assert article_version(app, article_id) > before
    fresh = page(app, article_id)
    assert fresh.headers["X-Page-Cache"] == "miss" and "Another article" in fresh.get_data(as_text=True)


def test_one_statement_over_several_articles_moves_each_version(app, bridge):
    """PostgreSQL bumps once per statement over the rows it touched: every article counts."""
    first, _ = bridge
    second, _ = ingest(app, WATER, "Water prices")
    before = article_version(app, first), article_version(app, second)
    write(app, update(Quote).where(Quote.article_id.in_([first, second])).values(flagged=True))
    after = article_version(app, first), article_version(app, second)
    assert after[0] > before[0] and after[1] > before[1]


def test_without_the_triggers_article_pages_fall_back_to_the_content_version(app, bridge, caplog, monkeypatch):
    """A batch-mode migration on SQLite drops a rebuilt table's triggers while app servers
    run: they notice at their next look and key article pages by the content version."""
    article_id, quote_ids = bridge
    kept(app, article_id)  # the triggers were found
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DROP TRIGGER article_page_versions_quote_update" if connection.dialect.name == "sqlite"
            else "DROP TRIGGER article_page_versions_quote_update ON quotes")
    monkeypatch.setattr(page_cache_middleware(app), "TRIGGER_CHECK_SECONDS", 0.0)
    with caplog.at_level(logging.ERROR, logger="factcheck.pagecache"):
        page(app, article_id)
    assert any("triggers are missing" in record.getMessage() for record in caplog.records)
    write(app, update(Quote).where(Quote.id == quote_ids[0]).values(
        verdict=Verdict.MISATTRIBUTED, status=ReviewStatus.PUBLISHED))
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss" and 'class="q q-misattributed"' in after.get_data(as_text=True)
    with app.app_context(), db.engine.begin() as connection:
        assert not page_versions.installed(connection)
        page_versions.rebuild(connection)  # what `flask search rebuild` does
        assert page_versions.installed(connection)
    kept(app, article_id)
    write(app, update(Quote).where(Quote.id == quote_ids[0]).values(verdict=Verdict.ACCURATE))
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss" and 'class="q q-accurate"' in after.get_data(as_text=True)


def test_search_check_reports_missing_triggers_and_rebuild_restores_them(app, bridge):
    article_id, _ = bridge
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    before = article_version(app, article_id)
    with app.app_context(), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "DROP TRIGGER article_page_versions_speaker_rename" if connection.dialect.name == "sqlite"
            else "DROP TRIGGER article_page_versions_speaker_rename ON speakers")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "article page versions are missing" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    # Pages kept before the repair (the triggers may have missed changes) are never served again.
    assert article_version(app, article_id) > before


def test_versions_made_afresh_start_above_every_earlier_one(app, bridge):
    """A table made again (a bulk load drops it, a backup from before it is restored) hands
    out versions from the clock: never one a page was kept under before."""
    article_id, quote_ids = bridge
    kept(app, article_id)
    before = article_version(app, article_id)
    with app.app_context(), db.engine.begin() as connection:
        page_versions.drop(connection)
        connection.execute(update(Quote).where(Quote.id == quote_ids[0]).values(
            verdict=Verdict.MISATTRIBUTED, status=ReviewStatus.PUBLISHED))
        page_versions.rebuild(connection)
    assert article_version(app, article_id) > before
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss" and 'class="q q-misattributed"' in after.get_data(as_text=True)


def test_a_truncated_table_moves_every_version_on(app, bridge):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("TRUNCATE is PostgreSQL's (SQLite has only DELETE, which the row triggers see)")
    article_id, _ = bridge
    kept(app, article_id)
    before = article_version(app, article_id)
    write(app, text("TRUNCATE quote_segments"))
    assert article_version(app, article_id) > before
    after = page(app, article_id)
    assert after.headers["X-Page-Cache"] == "miss"
