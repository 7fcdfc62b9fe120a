"""Fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

Set FACTCHECK_TEST_POSTGRES_URL (``.ci/run`` does) to run every database test
on PostgreSQL as well; without it those runs skip and say so.

The suite runs in parallel (pytest-xdist, one process per core). Each of its
processes gets a PostgreSQL database and a Redis database number of its own,
derived below before any test module reads the two variables, so no test sees
another process's rows, queues or sessions.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from factcheck.app import create_app, database_url
from factcheck.db import db
from factcheck.models import Role
from factcheck.services import accounts


def _own_services(worker: str | None) -> None:
    """Point this xdist worker (``gw0``, ``gw1``...) at its own databases.

    PostgreSQL: ``<database>_<worker>``, created on first use on the same server.
    Redis: the configured database number counted down by the worker's number
    (15, 14... for ``/15``), so the sixteen numbers of a default Redis serve up
    to sixteen processes.
    """
    if not worker:
        return
    if postgres := os.environ.get("FACTCHECK_TEST_POSTGRES_URL"):
        os.environ["FACTCHECK_TEST_POSTGRES_URL"] = _own_postgres(postgres, worker)
    if redis := os.environ.get("FACTCHECK_TEST_REDIS_URL"):
        url = make_url(redis)
        number = (int(url.database or 0) - int(worker.removeprefix("gw"))) % 16
        os.environ["FACTCHECK_TEST_REDIS_URL"] = url.set(database=str(number)).render_as_string(
            hide_password=False)


def _own_postgres(configured: str, worker: str) -> str:
    url = make_url(database_url(configured, ""))
    own = f"{url.database or 'postgres'}_{worker}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}).scalar()
            if not exists:
                connection.exec_driver_sql(f'CREATE DATABASE "{own}"')
    except OperationalError:
        return configured  # unreachable: the PostgreSQL tests say so themselves, the rest run
    finally:
        server.dispose()
    return url.set(database=own).render_as_string(hide_password=False)


_own_services(os.environ.get("PYTEST_XDIST_WORKER"))
POSTGRES_URL = os.environ.get("FACTCHECK_TEST_POSTGRES_URL")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _backends():
    yield pytest.param("sqlite", id="sqlite")
    yield pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgres, pytest.mark.skipif(
            not POSTGRES_URL, reason="FACTCHECK_TEST_POSTGRES_URL is not set")],
    )


@pytest.fixture(scope="session")
def postgres_engine():
    engine = create_engine(database_url(POSTGRES_URL, ""))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    yield engine
    engine.dispose()


def make_config(backend: str, tmp_path: Path, request) -> dict:
    if backend == "sqlite":
        uri = f"sqlite:///{tmp_path / 'test.sqlite3'}"
    else:
        request.getfixturevalue("postgres_engine")
        uri = database_url(POSTGRES_URL, "")
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": uri,
        "FETCH_ALLOWED_NETWORKS": ["127.0.0.0/8"],
        "FETCH_CONNECT_TIMEOUT": 2.0,
        "FETCH_READ_TIMEOUT": 2.0,
        "RATELIMIT_ENABLED": False,
        "SCHEMA_CHECK": False,  # tests build the schema with create_all; test_migrations checks Alembic
    }


#: The method the app hashes new passwords with; tests swap in a cheap one (below).
PRODUCTION_HASH_METHOD = accounts.PASSWORD_HASH_METHOD


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Passwords made in tests are hashed with one round of PBKDF2, not scrypt.

    scrypt costs about 80 ms a hash and as much a sign-in, on purpose; with five
    accounts made for most tests that was most of the suite's time. A stored hash
    names its method, so sign-in checks work the same either way;
    ``tests/services/test_accounts.py`` checks the production method itself.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:1")
        yield


@pytest.fixture(params=list(_backends()))
def app(request, tmp_path):
    app = create_app(make_config(request.param, tmp_path, request))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        if request.param == "postgresql":
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One account per role, plus a disabled one; the password is PASSWORD."""
    with app.app_context():
        made = {}
        for name, role in (("rita", Role.REVIEWER), ("ed", Role.EDITOR), ("ada", Role.ADMIN),
                           ("eve", Role.EDITOR), ("dan", Role.REVIEWER)):
            made[name] = accounts.create_user(db.session, name, PASSWORD, role=role).id
        accounts.set_active(db.session, "dan", False)
        db.session.commit()
    return made


class FormClient:
    """A test client that sends the CSRF token a real browser would have."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, page: str = "/login") -> str:
        body = self.client.get(page).get_data(as_text=True)
        match = _CSRF.search(body)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, url: str, data: dict, *, form_page: str | None = None, **kwargs):
        data = {"csrf_token": self.csrf_token(form_page or "/login"), **data}
        return self.client.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = PASSWORD):
        response = self.submit("/login", {"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response


@pytest.fixture
def http_server():
    from tests.httpserver import LocalServer

    with LocalServer() as server:
        yield server
