import io

import pytest
from sqlalchemy import func, select

from factcheck.db import db
from factcheck.models import Article
from factcheck.services import ingestion
from tests.httpserver import ARTICLE_HTML, html

TEXT = '"We cannot keep patching this structure," said Mayor Ingrid Halvorsen on Tuesday.'


def article_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Article))


def test_adding_needs_an_account(client, users):
    response = client.get("/articles/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.submit("/articles/new/paste", {"title": "T", "text": TEXT})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_paste_form_creates_article_and_redirects(app, client, users):
    client.login("rita")
    response = client.submit("/articles/new/paste", {
        "title": "Bridge vote", "text": TEXT, "outlet": "Courier", "published_on": "2026-10-02",
    }, form_page="/articles/new")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert "Bridge vote" in body and "Courier" in body and "02 Oct 2026" in body
    assert 'class="q ' in body, "the quote is marked in the article text"


def test_paste_duplicate_goes_to_existing(app, client, users):
    client.login("rita")
    first = client.submit("/articles/new/paste", {"title": "A", "text": TEXT})
    second = client.submit("/articles/new/paste", {"title": "B", "text": TEXT})
    assert first.headers["Location"] == second.headers["Location"]
    assert "already here" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert article_count(app) == 1


def test_csrf_is_enforced(client, users):
    client.login("rita")
    response = client.post("/articles/new/paste", data={"title": "T", "text": TEXT})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


@pytest.mark.parametrize("form, field_error", [
    ({"title": "", "text": TEXT}, "This field is required."),
    ({"title": "T", "text": TEXT, "url": "not a url"}, "Invalid URL."),
    ({"title": "T", "text": "Share.\nLeave A Reply"}, "No article text was found"),
])
def test_bad_paste_shows_error_and_keeps_input(app, client, users, form, field_error):
    client.login("rita")
    response = client.submit("/articles/new/paste", form)
    assert response.status_code in (400, 422)
    body = response.get_data(as_text=True)
    assert field_error in body
    if form["text"]:
        assert "Leave A Reply" in body or "patching this structure" in body, "what was typed is kept"
    assert article_count(app) == 0


def test_a_paste_with_more_quotes_than_an_article_holds_is_refused(app, client, users, monkeypatch):
    monkeypatch.setattr(ingestion, "MAX_QUOTES", 3)
    text = "\n\n".join(f'"Point {k} stands," said Mayor Ingrid Halvorsen.' for k in range(4))
    client.login("rita")
    response = client.submit("/articles/new/paste", {"title": "Wall", "text": text})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "more than 3 quotations" in body and "Nothing was stored" in body
    assert "Point 3 stands" in body, "what was pasted is kept in the form"
    assert article_count(app) == 0


def test_url_form_fetches(app, client, users, http_server):
    http_server.routes["/story"] = html(ARTICLE_HTML)
    client.login("rita")
    response = client.submit("/articles/new/url", {"url": http_server.url("/story")})
    assert response.status_code == 302
    assert "Harbour Bridge Vote" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_url_form_refuses_private_address_with_message(app, client, users, http_server):
    app.config["FETCH_ALLOWED_NETWORKS"] = []
    http_server.routes["/story"] = html(ARTICLE_HTML)
    client.login("rita")
    url = http_server.url("/story")
    response = client.submit("/articles/new/url", {"url": url})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "not a public internet address" in body and url in body


def test_upload_html_file(app, client, users):
    client.login("rita")
    response = client.submit("/articles/new/upload", {
        "file": (io.BytesIO(ARTICLE_HTML.encode()), "story.html"), "title": "",
    }, content_type="multipart/form-data")
    assert response.status_code == 302
    assert article_count(app) == 1


@pytest.mark.parametrize("filename, data, message", [
    ("photo.png", b"\x89PNG", "Upload an .html or .txt file."),
    ("story.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    ("story.html", b"<html><body><nav>Menu</nav></body></html>", "No article text"),
])
def test_bad_upload_explains(app, client, users, filename, data, message):
    client.login("rita")
    response = client.submit("/articles/new/upload", {"file": (io.BytesIO(data), filename)},
                             content_type="multipart/form-data")
    assert response.status_code in (400, 422)
    assert message in response.get_data(as_text=True)
    assert article_count(app) == 0


def test_oversized_request_gets_413_page(app, client, users):
    client.login("rita")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.submit("/articles/new/paste", {"title": "T", "text": "x" * 5000})
    assert response.status_code == 413
    assert "Request Entity Too Large" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/articles/999", "/quotes/999", "/speakers/999", "/nowhere"])
def test_missing_things_get_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Not Found" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/articles", "/quotes", "/speakers", "/articles?page=abc", "/articles?page=99"])
def test_list_pages_answer(client, path):
    assert client.get(path).status_code == 200


def test_add_page_labels_point_at_distinct_fields(client, users):
    import re
    from collections import Counter

    client.login("rita")
    body = client.get("/articles/new").get_data(as_text=True)
    ids = Counter(re.findall(r'<(?:input|textarea|select)[^>]*\sid="([^"]+)"', body))
    repeated = {i for i, n in ids.items() if n > 1 and i != "csrf_token"}
    assert not repeated, f"duplicate field ids: {repeated}"
    for target in re.findall(r'<label for="([^"]+)"', body):
        assert ids[target] == 1
