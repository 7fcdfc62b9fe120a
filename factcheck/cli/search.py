"""`flask search rebuild` and `flask search check`: the full-text index over quotes (and the
index over speaker names and the article page versions' triggers, which rebuild repairs too)."""

from __future__ import annotations

import time

import click
from sqlalchemy import func, select, text

from .. import name_index, page_versions, search_index
from ..db import db
from ..models import Quote
from ..services import browse
from . import needs_schema, reads_only


@click.group("search", help="The search index over quotes (full text, filters, dates).")
def search_cli() -> None:
    pass


@search_cli.command("rebuild")
@needs_schema
def rebuild_command() -> None:
    """Drop and rebuild the index from the quotes as stored (after a bulk load or a repair),
    the index over speaker names and the triggers keeping the article page versions."""
    started = time.perf_counter()
    with db.engine.begin() as connection:
        search_index.rebuild(connection)
        name_index.rebuild(connection)
        page_versions.rebuild(connection)
    count = db.session.scalar(select(func.count()).select_from(Quote)) or 0
    click.echo(f"Search index rebuilt for {count:,} quotes in {time.perf_counter() - started:.1f} s.")


@search_cli.command("check")
@reads_only
@needs_schema
def check_command() -> None:
    """Say whether every quote is in the index and the article page version triggers are in
    place; exit 1 when not (run `flask search rebuild`)."""
    quotes = db.session.scalar(select(func.count()).select_from(Quote)) or 0
    tables = ("quote_search", "quote_search_filters") if db.engine.dialect.name == "sqlite" else ("quote_search",)
    for table in tables:
        indexed = db.session.scalar(text(f"SELECT count(*) FROM {table}")) or 0
        if indexed != quotes:
            raise click.ClickException(f"{table} holds {indexed:,} of {quotes:,} quotes: "
                                       "run `flask --app wsgi search rebuild`.")
    # Readers must find no quote judged not a quote, and every other one (a NULL readers' verdict hides it).
    hidden = browse.hidden_quote_count(db.session)
    hidden_in_index = db.session.scalar(
        text(f"SELECT count(*) FROM {tables[-1]} WHERE public_verdict IS NULL")) or 0
    if hidden_in_index != hidden:
        raise click.ClickException(f"{tables[-1]} hides {hidden_in_index:,} quotes from readers, but "
                                   f"{hidden:,} are judged not a quote: run `flask --app wsgi search rebuild`.")
    if not page_versions.installed(db.session.connection()):
        raise click.ClickException("the triggers keeping article page versions are missing (article pages "
                                   "are kept by the content version meanwhile): run `flask --app wsgi search "
                                   "rebuild`.")
    click.echo(f"All {quotes:,} quotes are in the search index ({hidden:,} hidden from readers: not a quote).")
