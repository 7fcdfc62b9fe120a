from factcheck.db import db
from factcheck.models import Job, JobState
from tests.httpserver import ARTICLE_HTML, html


def test_jobs_pages_need_an_account(client):
    assert client.get("/jobs").status_code == 302


def test_failed_fetch_listed_and_retried(app, client, users, http_server):
    client.login("rita")
    url = http_server.url("/soon")
    response = client.submit("/articles/new/url", {"url": url})
    assert response.status_code == 422 and "404" in response.get_data(as_text=True)
    listing = client.get("/jobs").get_data(as_text=True)
    assert "fetch url" in listing and "failed" in listing
    with app.app_context():
        job_id = db.session.scalars(db.select(Job.id)).one()
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Why it failed" in page and "Retry" in page
    http_server.routes["/soon"] = html(ARTICLE_HTML)
    response = client.submit(f"/jobs/{job_id}/retry", {}, form_page=f"/jobs/{job_id}")
    assert response.status_code == 302
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job.state is JobState.DONE and job.result["created"]


def test_retry_refused_for_a_done_job(app, client, users, http_server):
    http_server.routes["/ok"] = html(ARTICLE_HTML)
    client.login("rita")
    client.submit("/articles/new/url", {"url": http_server.url("/ok")})
    with app.app_context():
        job_id = db.session.scalars(db.select(Job.id)).one()
    response = client.submit(f"/jobs/{job_id}/retry", {}, follow_redirects=True)
    assert "Only a failed job" in response.get_data(as_text=True)
