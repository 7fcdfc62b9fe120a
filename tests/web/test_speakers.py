"""The speaker page (readers) and the editors' speaker tools, through the HTTP interface."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from factcheck.db import db
from factcheck.models import (
    Article, ArticleSource, Quote, QuoteMatch, ReviewStatus, Speaker, SpeakerKind,
    SpeakerMergeSuggestion, Verdict,
)
from factcheck.services import matching

PIPELINE = "The pipeline will double gas exports to Hungary before the end of 2030."


def body(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def desk(app, users):
    """Jane Roe (three quotes: one published verdict, a variant pair), Ann Lee, a suggestion."""
    with app.app_context():
        session = db.session
        jane = Speaker(name="Jane Roe", key="jane roe")
        ann = Speaker(name="Ann Lee", key="ann lee")
        janet = Speaker(name="Janet Roe", key="janet roe")
        session.add_all([jane, ann, janet])
        session.flush()
        session.add(SpeakerMergeSuggestion(speaker_id=janet.id, candidate_id=jane.id, score=90.0))
        quotes = {}
        for n, (name, speaker, text, extra) in enumerate([
            ("first", jane, PIPELINE, {"verdict": Verdict.ACCURATE, "status": ReviewStatus.PUBLISHED,
                                       "role": "energy minister"}),
            ("variant", jane, PIPELINE.replace("2030", "2031"), {"verdict": Verdict.MISQUOTED}),
            ("other", jane, "The valley will flood again unless the dams are repaired soon.", {}),
            ("ann_quote", ann, "Our party will never support this pipeline, not now and not later.", {}),
        ]):
            article = Article(title=f"Story {n}", text="t", content_hash=f"h{n}", source=ArticleSource.CLI,
                              published_at=datetime(2024, n + 1, 3, tzinfo=timezone.utc))
            quote = Quote(article=article, speaker=speaker, text=text, start=0, end=len(text), **extra)
            session.add(quote)
            session.flush()
            matching.match_new_quotes(session, [quote])
            quotes[name] = quote.id
        session.commit()
        return {"jane": jane.id, "ann": ann.id, "janet": janet.id, **quotes}


def test_reader_page_summarises_verdicts_time_roles_and_clusters(client, desk):
    page = body(client.get(f"/speakers/{desk['jane']}"))
    assert "<h1>Jane Roe</h1>" in page
    assert "What the desk found on 3 quotes" in page
    # Readers see published verdicts only; the chart's bars come with a label and a number.
    assert 'verdict-accurate">Accurate</span>' in page and "Misquoted" not in page
    assert '<rect class="fill-unverified" width="66.7"' in page
    assert "Quotes over time" in page and "2024-01" in page and "2024-03" in page
    assert "energy minister" in page
    assert "Said more than once" in page and '<span class="tag">variant</span>' in page
    assert "<script" not in page and "style=" not in page  # no script, nothing the CSP blocks
    assert "Edit speaker" not in page


def test_signed_in_desk_sees_internal_verdicts(client, desk):
    client.login("rita")
    page = body(client.get(f"/speakers/{desk['jane']}"))
    assert "Misquoted" in page and "Edit speaker" not in page


def test_editor_sees_tools_and_suggestions(client, desk):
    client.login("ed")
    page = body(client.get(f"/speakers/{desk['jane']}"))
    assert "Edit speaker" in page and "1 suggested merge" in page
    assert "Janet Roe" in body(client.get("/speakers/suggestions"))


@pytest.mark.parametrize("user, status", [(None, 302), ("rita", 403), ("ed", 200), ("ada", 200)])
def test_editor_pages_need_the_editor_role(client, desk, user, status):
    if user:
        client.login(user)
    assert client.get(f"/speakers/{desk['jane']}/edit").status_code == status
    assert client.get("/speakers/suggestions").status_code == status


def test_reviewer_cannot_post_editor_actions(client, desk):
    client.login("rita")
    response = client.submit(f"/speakers/{desk['jane']}/rename", {"name": "Someone Else"},
                             form_page=f"/speakers/{desk['jane']}")
    assert response.status_code == 403


def test_rename_and_errors_next_to_the_field(app, client, desk):
    client.login("ed")
    edit = f"/speakers/{desk['jane']}/edit"
    response = client.submit(f"/speakers/{desk['jane']}/rename", {"name": "Ann Lee"}, form_page=edit)
    assert response.status_code == 422
    page = body(response)
    assert "is already Ann Lee" in page and 'value="Ann Lee"' in page  # what was typed stays
    response = client.submit(f"/speakers/{desk['jane']}/rename", {"name": "🙂"}, form_page=edit)
    assert response.status_code == 422 and "at least two letters" in body(response)
    response = client.submit(f"/speakers/{desk['jane']}/rename", {"name": ""}, form_page=edit)
    assert response.status_code == 400
    response = client.submit(f"/speakers/{desk['jane']}/rename", {"name": "Jane Roe-Smith"}, form_page=edit)
    assert response.status_code == 302
    page = body(client.get(edit))
    assert "Jane Roe-Smith" in page and "renamed from “Jane Roe” to “Jane Roe-Smith”" in page


def test_aliases_added_and_removed(app, client, desk):
    client.login("ed")
    edit = f"/speakers/{desk['jane']}/edit"
    assert client.submit(f"/speakers/{desk['jane']}/aliases", {"alias": "J. Roe Jr."},
                         form_page=edit).status_code == 302
    with app.app_context():
        alias_id = db.session.get(Speaker, desk["jane"]).aliases[0].id
    assert "“J. Roe Jr.”" in body(client.get(edit))
    response = client.submit(f"/speakers/{desk['jane']}/aliases/{alias_id}/delete", {}, form_page=edit)
    assert response.status_code == 302
    page = body(client.get(edit))
    assert "alias “J. Roe Jr.” removed" in page and "No aliases yet." in page


def test_merge_then_undo(app, client, desk):
    client.login("ed")
    edit = f"/speakers/{desk['ann']}/edit"
    response = client.submit(f"/speakers/{desk['ann']}/merge", {"into": "Nobody Known"}, form_page=edit)
    assert response.status_code == 422 and "No speaker is called" in body(response)
    response = client.submit(f"/speakers/{desk['ann']}/merge", {"into": str(desk["jane"])}, form_page=edit)
    assert response.headers["Location"].endswith(f"/speakers/{desk['jane']}/edit")
    assert client.get(f"/speakers/{desk['ann']}").status_code == 301  # the merged record redirects
    with app.app_context():
        assert db.session.get(Quote, desk["ann_quote"]).speaker_id == desk["jane"]
    page = body(client.get(f"/speakers/{desk['jane']}/edit"))
    assert "Ann Lee</a> (#%d) merged in, with 1 quote" % desk["ann"] in page
    with app.app_context():
        from factcheck.models import SpeakerEvent

        event_id = db.session.scalars(select(SpeakerEvent.id).where(
            SpeakerEvent.action == "merged_in")).one()
    response = client.submit(f"/speakers/{desk['jane']}/history/{event_id}/undo", {},
                             form_page=f"/speakers/{desk['jane']}/edit")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Quote, desk["ann_quote"]).speaker_id == desk["ann"]
    assert client.get(f"/speakers/{desk['ann']}").status_code == 200
    page = body(client.get(f"/speakers/{desk['jane']}/edit"))
    assert '<span class="tag">undone</span>' in page


def test_move_a_quote(app, client, desk):
    client.login("ed")
    edit = f"/speakers/{desk['jane']}/edit"
    url = f"/speakers/{desk['jane']}/quotes/{desk['other']}/move"
    prefix = f"move{desk['other']}-"
    response = client.submit(url, {prefix + "to": "Ghost Writer"}, form_page=edit)
    assert response.status_code == 422
    page = body(response)
    assert "No speaker is called “Ghost Writer”" in page and 'value="Ghost Writer"' in page
    assert client.submit(url, {prefix + "to": "Ann Lee"}, form_page=edit).status_code == 302
    with app.app_context():
        assert db.session.get(Quote, desk["other"]).speaker_id == desk["ann"]
    assert f"quote #{desk['other']}</a> moved to" in body(client.get(edit))
    # The quote is not Jane's any more: moving it "from Jane" again is a 404, not a 500.
    assert client.submit(url, {prefix + "to": "Ann Lee"}, form_page=edit).status_code == 404


def test_accept_and_reject_suggestions(app, client, desk):
    client.login("ed")
    with app.app_context():
        suggestion_id = db.session.scalars(select(SpeakerMergeSuggestion.id)).one()
    response = client.submit(f"/speakers/suggestions/{suggestion_id}/reject", {},
                             form_page="/speakers/suggestions")
    assert response.status_code == 302
    assert "No suggestions are waiting." in body(client.get("/speakers/suggestions"))
    response = client.submit(f"/speakers/suggestions/{suggestion_id}/accept", {},
                             form_page="/speakers/suggestions")
    assert response.status_code == 302  # already closed: a message, not an error page
    assert "no longer open" in body(client.get("/speakers/suggestions"))


def test_misattribution_is_flagged_and_cleared_by_a_merge(app, client, desk):
    with app.app_context():
        session = db.session
        article = Article(title="Copy", text="t", content_hash="copy", source=ArticleSource.CLI)
        copy = Quote(article=article, speaker=session.get(Speaker, desk["ann"]), text=PIPELINE, start=0,
                     end=len(PIPELINE))
        session.add(copy)
        session.flush()
        matching.match_new_quotes(session, [copy])
        session.commit()
        assert session.scalars(select(QuoteMatch.misattribution).where(QuoteMatch.quote_id == copy.id)).first()
    client.login("ed")
    client.submit(f"/speakers/{desk['ann']}/merge", {"into": "Jane Roe"}, form_page=f"/speakers/{desk['ann']}/edit")
    with app.app_context():
        flags = db.session.scalars(select(QuoteMatch.misattribution).where(QuoteMatch.quote_id == copy.id)).all()
        assert flags and not any(flags)


def test_anonymous_speaker_page(app, client):
    with app.app_context():
        article = Article(title="Leak", text="t", content_hash="leak", source=ArticleSource.CLI)
        source = Speaker(name="a senior official", key="senior official", kind=SpeakerKind.ANONYMOUS)
        db.session.add_all([article, source])
        db.session.flush()
        source.article_id = article.id
        db.session.commit()
        ident = source.id
    page = body(client.get(f"/speakers/{ident}"))
    assert "a source described in" in page and "No quotes recorded." in page
