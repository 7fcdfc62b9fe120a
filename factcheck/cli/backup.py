"""`flask backup PATH`: a consistent copy of the live database."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from sqlalchemy.engine import make_url

from ..db import db
from . import needs_schema


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@needs_schema
def backup_command(path: Path, force: bool) -> None:
    """Copy the database to PATH while the app keeps running.

    SQLite: the online backup API copies a consistent snapshot page by page.
    PostgreSQL: pg_dump's custom format (restore with pg_restore).
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to replace it.")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        pages = backup_sqlite(url.database, path)
        click.echo(f"backed up {url.database} to {path} ({pages} pages)")
    elif url.get_backend_name() == "postgresql":
        backup_postgres(url, path)
        click.echo(f"backed up {url.database} to {path} (pg_dump custom format)")
    else:
        raise click.ClickException(f"No backup method for {url.get_backend_name()}.")


def backup_sqlite(source: str, target: Path) -> int:
    """Snapshot ``source`` into ``target`` (written beside it, then renamed)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as live, \
            sqlite3.connect(partial) as copy:
        live.backup(copy)  # one step: the snapshot is consistent even while others write
        pages = copy.execute("PRAGMA page_count").fetchone()[0]
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise click.ClickException("The copy failed its integrity check; nothing was replaced.")
    live.close()
    copy.close()
    partial.replace(target)
    return pages


def backup_postgres(url, target: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed (Debian: postgresql-client).")
    plain = make_url(url).set(drivername="postgresql")
    result = subprocess.run(
        ["pg_dump", "--format=custom", f"--file={target}",
         plain.render_as_string(hide_password=False)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise click.ClickException(f"pg_dump failed: {result.stderr.strip()}")
