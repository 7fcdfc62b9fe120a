"""`flask pages render` and `flask pages status`: the article pages kept for readers
(stored_pages.py)."""

from __future__ import annotations

import time

import click
from flask import current_app
from sqlalchemy import func, select

from .. import stored_pages
from ..db import db, reading_only
from ..models import Article
from ..pagecache import release_digest
from . import needs_schema, reads_only


@click.group("pages", help="The article pages rendered ahead for readers.")
def pages_cli() -> None:
    pass


def _ready() -> None:
    if not current_app.config.get("STORE_ARTICLE_PAGES", True):
        raise click.ClickException("STORE_ARTICLE_PAGES is off in this configuration: no page is stored.")
    if not stored_pages.page_versions_ready():
        raise click.ClickException("the triggers keeping article page versions are missing: "
                                   "run `flask --app wsgi search rebuild` first.")


@pages_cli.command("render")
@click.option("--batch", default=500, show_default=True, help="articles looked up at a time")
@needs_schema
def render_command(batch: int) -> None:
    """Render and store every article page that is missing, outdated, or rendered by another
    release (after a bulk load, a migration or a deploy). Safe to run while the app serves
    and workers ingest; run it again to catch up."""
    _ready()
    app = current_app._get_current_object()
    started = time.perf_counter()
    last = [started]

    def progress(stored: int) -> None:
        if time.perf_counter() - last[0] >= 10:
            last[0] = time.perf_counter()
            click.echo(f"  {stored:,} pages ({stored / (last[0] - started):.0f}/s)")

    stored = stored_pages.render_stale(app, release=release_digest(app), batch=max(1, batch), progress=progress)
    seconds = time.perf_counter() - started
    click.echo(f"{stored:,} article pages rendered and stored in {seconds:.1f} s"
               + (f" ({stored / seconds:.0f}/s)." if stored and seconds else "."))


@pages_cli.command("status")
@reads_only
@needs_schema
def status_command() -> None:
    """How many articles have a page stored for their current version by this release."""
    _ready()
    release = release_digest(current_app._get_current_object())
    with reading_only():
        articles = db.session.scalar(select(func.count()).select_from(Article)) or 0
        outdated = stored_pages.stale_count(db.session, release=release)
    click.echo(f"{articles - outdated:,} of {articles:,} article pages stored and current; "
               f"{outdated:,} to render (`flask --app wsgi pages render`).")
