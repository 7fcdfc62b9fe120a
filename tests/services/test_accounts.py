"""Accounts: how passwords are stored and checked."""

import pytest

from factcheck.services import accounts
from tests.conftest import PASSWORD, PRODUCTION_HASH_METHOD


def test_passwords_are_stored_with_scrypt_and_only_as_a_hash(session, monkeypatch):
    monkeypatch.setattr(accounts, "PASSWORD_HASH_METHOD", PRODUCTION_HASH_METHOD)
    user = accounts.create_user(session, "rosa", PASSWORD)
    session.commit()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    assert accounts.authenticate(session, "rosa", PASSWORD).id == user.id
    assert accounts.authenticate(session, "rosa", PASSWORD + "!") is None


def test_the_cheap_test_hash_is_checked_like_any_other(session):
    user = accounts.create_user(session, "tam", PASSWORD)
    assert user.password_hash.startswith("pbkdf2:sha256:1$")
    assert accounts.authenticate(session, "tam", PASSWORD).id == user.id
    assert accounts.authenticate(session, "tam", "wrong password!") is None


def test_an_unknown_name_is_refused_after_a_full_check(session, monkeypatch):
    checked = []
    real = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda stored, password: checked.append(stored) or real(stored, password))
    assert accounts.authenticate(session, "nobody", PASSWORD) is None
    assert checked and checked[0].startswith(PRODUCTION_HASH_METHOD + ":")


@pytest.mark.parametrize("password", ["", "short"])
def test_short_passwords_are_refused(session, password):
    with pytest.raises(accounts.AccountError, match="at least"):
        accounts.create_user(session, "uma", password)
