"""``flask --app wsgi ...`` commands, one module per area. Each unit of work commits once."""

from __future__ import annotations

from functools import wraps

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..db import db, reading_only
from ..schema import SchemaNotCurrent, check_schema


def needs_schema(command):
    """Run in the app context, and stop with a clear message when the database is missing or behind."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            if current_app.config.get("SCHEMA_CHECK", True):
                check_schema(db.engine)
        except SchemaNotCurrent as error:
            raise click.ClickException(str(error)) from None
        return command(*args, **kwargs)

    return with_appcontext(wrapped)


def reads_only(command):
    """For a command that only reads: on SQLite it does not queue for the write lock."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        with reading_only():
            return command(*args, **kwargs)

    return wrapped


def register_commands(app: Flask) -> None:
    from . import backup, ingest, jobs, users

    app.cli.add_command(ingest.ingest_command)
    app.cli.add_command(ingest.seed_command)
    app.cli.add_command(users.users_cli)
    app.cli.add_command(users.tokens_cli)
    app.cli.add_command(jobs.worker_command)
    app.cli.add_command(jobs.jobs_cli)
    app.cli.add_command(backup.backup_command)
    from . import corrections  # the attribution check: re-extraction, exported decisions

    app.cli.add_command(corrections.reextract_command)
    app.cli.add_command(corrections.export_corrections_command)
    from . import matching  # flask match / flask rematch

    app.cli.add_command(matching.match_command)
    app.cli.add_command(matching.rematch_command)
    from . import search  # flask search rebuild / check

    app.cli.add_command(search.search_cli)
    from . import pages  # flask pages render / status

    app.cli.add_command(pages.pages_cli)
