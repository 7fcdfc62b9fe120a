"""Desk accounts: create, authenticate, change role, disable."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..models import Role, User

MIN_PASSWORD_LENGTH = 10
# Checked when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def create_user(session: Session, username: str, password: str, *, role: Role = Role.REVIEWER,
                display_name: str = "") -> User:
    username = username.strip()
    if not username or len(username) > 80:
        raise AccountError("A user name has 1 to 80 characters.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"A password has at least {MIN_PASSWORD_LENGTH} characters.")
    if user_named(session, username) is not None:
        raise AccountError(f"There is already a user named {username!r}.")
    user = User(username=username, display_name=display_name or username, role=role,
                password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    return user


def user_named(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.strip())).first()


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same time either way)."""
    user = user_named(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def set_role(session: Session, username: str, role: Role) -> User:
    user = _existing(session, username)
    user.role = role
    return user


def set_active(session: Session, username: str, active: bool) -> User:
    user = _existing(session, username)
    user.active = active
    return user


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def _existing(session: Session, username: str) -> User:
    user = user_named(session, username)
    if user is None:
        raise AccountError(f"No user named {username!r}.")
    return user
