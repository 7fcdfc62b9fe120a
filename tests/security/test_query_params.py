"""SQL metacharacters in every query parameter of every GET route are harmless.

The parameters are not listed by hand: each route is requested once while
``request.args`` records which names the route reads, and then every one of
them gets every hostile value. A new filter is covered the day it is added.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import ImmutableMultiDict

from factcheck.db import db
from factcheck.models import Article, Quote, Speaker, User
from tests.security.hostile import get_urls, seed

HOSTILE_VALUES = (
    "' OR '1'='1",
    "1; DROP TABLE quotes; --",
    "') UNION SELECT password_hash, username FROM users --",
    "%_%\\",
    "\"unclosed*",
    "NEAR(a b) OR quote_search MATCH '*' -",
    "999999999999999999999999",
    "2026-13-45",
    "\x00",
    "𝔘ÿ -1",
    "²",
)
# Names every route may read in passing (paging), asked even when the first request did not.
ALWAYS = ("page", "per_page", "q")


class RecordingArgs(ImmutableMultiDict):
    """``request.args`` that notes every name a view asks for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        RecordingArgs.asked.add(key)
        return super().get(key, default=default, type=type)

    def getlist(self, key, type=None):
        RecordingArgs.asked.add(key)
        return super().getlist(key, type=type)

    def __contains__(self, key):
        RecordingArgs.asked.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording(app):
    base = app.request_class

    class Recording(base):
        parameter_storage_class = RecordingArgs

    app.request_class = Recording
    yield RecordingArgs.asked
    app.request_class = base


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Article, Quote, Speaker, User))


@pytest.mark.parametrize("who", [None, "ada"], ids=["reader", "admin"])
def test_hostile_values_in_every_parameter(client, app, users, recording, who):
    with app.app_context():
        ids = seed(db.session)
        db.session.commit()
    if who:
        client.login(who)
    before = counts(app)
    checked = 0
    for url in get_urls(app, ids):
        recording.clear()
        if client.get(url).status_code in (302, 401, 403):
            continue  # not this caller's page: the other run covers it
        for name in sorted(recording | set(ALWAYS)):
            for value in HOSTILE_VALUES:
                response = client.get(url, query_string={name: value})
                # Never a 500 (oEmbed's 501 for an unknown format, and readyz's 503 without
                # migrations, are answers, not failures).
                assert response.status_code != 500, (url, name, value)
                checked += 1
    assert counts(app) == before  # nothing dropped, nothing added
    assert checked > 100
