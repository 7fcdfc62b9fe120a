"""Desk accounts: create, authenticate, change role, disable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import utcnow
from ..models import ApiToken, Role, User

MIN_PASSWORD_LENGTH = 10
#: How new passwords are hashed (werkzeug's method string). scrypt is slow on purpose,
#: about 80 ms a hash here; each stored hash names its own method, so checking a
#: password never depends on this value.
PASSWORD_HASH_METHOD = "scrypt"
# Checked when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method=PASSWORD_HASH_METHOD)


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
                password_hash=generate_password_hash(password, method=PASSWORD_HASH_METHOD))
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


def create_token(session: Session, username: str, *, name: str = "") -> str:
    """A new API token for the user; only its hash is stored, so show it once."""
    user = _existing(session, username)
    secret = "fct_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, name=name, token_hash=_token_hash(secret)))
    session.flush()
    return secret


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not secret or len(secret) > 200:
        return None
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if token is None or not token.user.active:
        return None
    return token.user


def revoke_tokens(session: Session, username: str) -> int:
    user = _existing(session, username)
    tokens = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
    return len(tokens)


def _token_hash(secret: str) -> str:
    # Tokens are long random strings, so one round of SHA-256 is enough to store them.
    return hashlib.sha256(secret.encode()).hexdigest()
