"""What a reader or the desk gets when a component is down."""

from __future__ import annotations

from factcheck.app import create_app
from factcheck.db import db
from factcheck.models import Job, JobState
from factcheck.services.jobs import can_retry

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_an_unreachable_queue_fails_the_job_visibly(app, client, users):
    app.config["REDIS_URL"] = CLOSED_PORT
    client.login("rita")
    response = client.submit("/articles/new/url", {"url": "https://example.com/story"},
                             form_page="/articles/new")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "could not be reached" in body and "https://example.com/story" in body
    with app.app_context():
        job = db.session.scalars(db.select(Job)).one()
        assert job.state is JobState.FAILED and can_retry(job)


def test_readiness_fails_while_postgresql_is_down():
    """A PostgreSQL server that is not there: /readyz says so, /healthz (the process) is fine."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SCHEMA_CHECK": False,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://127.0.0.1:1/factcheck",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["reason"] == "database unreachable"
    assert client.get("/healthz").status_code == 200
    page = client.get("/articles/1")
    assert page.status_code in (500, 503) and "half-saved" in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()
