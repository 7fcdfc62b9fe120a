"""`flask users ...`: desk accounts."""

from __future__ import annotations

import getpass
import sys

import click
from flask.cli import AppGroup

from ..db import db
from ..models import Role
from ..services import accounts
from . import needs_schema, reads_only

users_cli = AppGroup("users", help="Manage desk accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="reviewer")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_schema
def users_create(username: str, role: str, password_stdin: bool) -> None:
    """Create an account; asks for the password unless --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise click.ClickException("The passwords differ.")
    try:
        user = accounts.create_user(db.session, username, password, role=Role(role))
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role.value})")


@users_cli.command("list")
@reads_only
@needs_schema
def users_list() -> None:
    for user in accounts.all_users(db.session):
        state = "active" if user.active else "disabled"
        click.echo(f"{user.username}\t{user.role.value}\t{state}")


@users_cli.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@needs_schema
def users_set_role(username: str, role: str) -> None:
    try:
        accounts.set_role(db.session, username, Role(role))
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{username} is now {role}")


@users_cli.command("disable")
@click.argument("username")
@needs_schema
def users_disable(username: str) -> None:
    try:
        accounts.set_active(db.session, username, False)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{username} is disabled")




tokens_cli = AppGroup("tokens", help="API tokens for the JSON API.")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for.")
@needs_schema
def tokens_create(username: str, name: str) -> None:
    """Print a new token for USERNAME, alone on the last line."""
    try:
        secret = accounts.create_token(db.session, username, name=name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"API token for {username} (shown once; store it now):", err=True)
    click.echo(secret)


@tokens_cli.command("revoke")
@click.argument("username")
@needs_schema
def tokens_revoke(username: str) -> None:
    """Revoke every token of USERNAME."""
    try:
        count = accounts.revoke_tokens(db.session, username)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"revoked {count} token(s) of {username}")
