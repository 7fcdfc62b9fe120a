"""``flask --app wsgi ...`` commands, one module per area. Each unit of work commits once."""

from __future__ import annotations

from functools import wraps

import click
from flask import Flask

from ..db import db
from ..schema import SchemaNotCurrent, check_schema


def needs_schema(command):
    """Stop with a clear message when the database is missing or behind."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            check_schema(db.engine)
        except SchemaNotCurrent as error:
            raise click.ClickException(str(error)) from None
        return command(*args, **kwargs)

    return wrapped



def register_commands(app: Flask) -> None:
    from . import ingest, users

    app.cli.add_command(ingest.ingest_command)
    app.cli.add_command(ingest.seed_command)
    app.cli.add_command(users.users_cli)
    app.cli.add_command(users.tokens_cli)
