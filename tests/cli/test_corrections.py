"""`flask reextract` keeps editors' decisions; `flask export-corrections` round-trips through the scorer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from factcheck.db import db
from factcheck.models import ArticleSource, AttributionState, Quote, QuoteSegment, Verdict
from factcheck.services.attribution import CheckAction, decide
from factcheck.services.ingestion import ArticleInput, ingest_article
from tests import attribution_data as data
from tests.conftest import SHARED

SCORER = SHARED / "eval" / "score_quotes.py"

# Written for these tests: four quotes, one of them a scare quote, one by a pronoun.
ARTICLE = """Council Delays Tram Vote

"We need another month to read the costings," said Councillor Maria Jensen on Wednesday.

Deputy mayor Oskar Holm disagreed. "The costings have been public since June," Holm said. "Nobody asked for a delay."

Residents called the plan a "white elephant" at a packed meeting.

"It will carry ten thousand people a day," he said.
"""


def _quote(session, article, words: str) -> Quote:
    return next(q for q in article.quotes if q.text.startswith(words))


@pytest.fixture
def decided(app, users):
    """The article ingested, and an editor's three decisions on its quotes."""
    with app.app_context():
        session = db.session
        article = ingest_article(session, ArticleInput(source=ArticleSource.CLI, text=ARTICLE)).article
        ed = data.user(session, "ed")
        jensen, elephant, carry = (_quote(session, article, words) for words in
                                   ("We need another month", "white elephant", "It will carry"))
        assert carry.speaker.name == "Oskar Holm", "the extractor's answer this test corrects"
        decide(session, jensen, ed, CheckAction.CONFIRM, version=jensen.version)
        decide(session, elephant, ed, CheckAction.NOT_A_QUOTE, version=elephant.version)
        decide(session, carry, ed, CheckAction.NEW_SPEAKER, version=carry.version, name="Maria Jensen")
        session.commit()
        return {"article": article.id, "jensen": jensen.id, "elephant": elephant.id, "carry": carry.id,
                "holm": _quote(session, article, "The costings").id}


def _state(app, quote_id: int):
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        return (quote.attribution, quote.speaker.name if quote.speaker else None, quote.version)


# --- re-extraction ------------------------------------------------------------------------


def test_reextract_keeps_decisions_and_refreshes_the_rest(app, runner, decided):
    before = {name: _state(app, decided[name]) for name in ("jensen", "elephant", "carry")}
    with app.app_context():
        session = db.session
        holm = session.get(Quote, decided["holm"])
        holm.speaker = data.speaker(session, "Somebody Else")   # an older extractor's answer
        holm.confidence = 0.5
        article = holm.article
        for words, verdict in (("Deputy mayor Oskar Holm disagreed", None), ("packed meeting", Verdict.ACCURATE)):
            start = article.text.index(words)
            session.add(Quote(article=article, text=words, start=start, end=start + len(words),
                              verdict=verdict or Verdict.UNVERIFIED,
                              segments=[QuoteSegment(start=start, end=start + len(words))]))
        session.commit()

    result = runner.invoke(args=["reextract", str(decided["article"])])
    assert result.exit_code == 0, result.output
    assert ("quotes added: 0, updated: 1, unchanged: 0, kept as editors decided: 3, "
            "no longer found but reviewed (kept): 1, removed: 1") in result.output

    for name, state in before.items():
        assert _state(app, decided[name]) == state, f"the editor's word on {name} stands"
    assert _state(app, decided["holm"])[:2] == (AttributionState.UNCHECKED, "Oskar Holm")
    with app.app_context():
        texts = db.session.scalars(select(Quote.text).where(Quote.article_id == decided["article"])).all()
    assert "packed meeting" in texts and "Deputy mayor Oskar Holm disagreed" not in texts


def test_reextract_adds_quotes_the_store_lacks_and_reports_missing_articles(app, runner, decided):
    with app.app_context():
        db.session.delete(db.session.get(Quote, decided["holm"]))
        db.session.commit()
    result = runner.invoke(args=["reextract", str(decided["article"]), "999"])
    assert result.exit_code == 1
    assert "quotes added: 1" in result.output and "no article 999" in result.output
    result = runner.invoke(args=["reextract"])
    assert result.exit_code == 0 and "articles: 1, quotes added: 0, updated: 0, unchanged: 1" in result.output


def test_reingesting_the_same_article_keeps_decisions(app, decided):
    before = _state(app, decided["carry"])
    with app.app_context():
        again = ingest_article(db.session, ArticleInput(source=ArticleSource.PASTE, text=ARTICLE))
        db.session.commit()
        assert not again.created
    assert _state(app, decided["carry"]) == before == (AttributionState.CORRECTED, "Maria Jensen", 2)


# --- export -------------------------------------------------------------------------------


def test_export_writes_each_decision_in_the_evaluation_shape(app, runner, decided, tmp_path):
    gold = tmp_path / "corrections.jsonl"
    result = runner.invoke(args=["export-corrections", str(gold)])
    assert result.exit_code == 0, result.output
    assert "decisions: 3 in 1 articles" in result.output
    [line] = gold.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["id"] == str(decided["article"]) and record["text"].startswith('"We need')
    rows = [{key: q[key] for key in ("quote", "speaker", "extractor_speaker", "action", "editor")}
            for q in record["quotes"]]
    assert rows == [
        {"quote": "We need another month to read the costings", "speaker": "Maria Jensen",
         "extractor_speaker": "Maria Jensen", "action": "confirmed", "editor": "ed"},
        {"quote": "white elephant", "speaker": None, "extractor_speaker": "Residents",
         "action": "not_a_quote", "editor": "ed"},
        {"quote": "It will carry ten thousand people a day", "speaker": "Maria Jensen",
         "extractor_speaker": "Oskar Holm", "action": "corrected", "editor": "ed"},
    ]
    for quote in record["quotes"]:
        assert record["text"][quote["start"]:quote["end"]] == quote["quote"]
        assert quote["decided_at"].endswith("+00:00")
    no_text = tmp_path / "bare.jsonl"
    runner.invoke(args=["export-corrections", str(no_text), "--no-text"])
    assert "text" not in json.loads(no_text.read_text(encoding="utf-8"))


def _score(gold, pred) -> dict:
    if not SCORER.exists():
        pytest.skip(f"the scorer is not here ({SCORER}); the export round trip needs ../shared/eval")
    done = subprocess.run([sys.executable, str(SCORER), str(gold), str(pred)],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_export_round_trip_through_the_scorer(app, runner, decided, tmp_path):
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    result = runner.invoke(args=["export-corrections", str(gold), "--predictions", str(pred)])
    assert result.exit_code == 0, result.output

    # The extractor against the desk: it had Jensen right and "It will carry..." wrong;
    # the scare quote is a don't-care item, as in the evaluation corpus.
    summary = _score(gold, pred)
    assert summary["articles"] == 1 and summary["articles_missing_in_pred"] == 0
    assert summary["gold_dont_care"] == 1
    assert summary["detection"]["recall"] == 1.0
    assert {k: summary["attribution"][k] for k in ("evaluated", "correct", "accuracy")} == \
        {"evaluated": 2, "correct": 1, "accuracy": 0.5}

    # The corrections scored against themselves: every speaker right.
    assert _score(gold, gold)["attribution"]["accuracy"] == 1.0

    # Confirming the extractor's answer instead moves the figure accordingly.
    with app.app_context():
        carry = db.session.get(Quote, decided["carry"])
        decide(db.session, carry, data.user(db.session, "eve"), CheckAction.PICK, version=carry.version,
               speaker_id=data.speaker(db.session, "Oskar Holm").id)
        db.session.commit()
    runner.invoke(args=["export-corrections", str(gold)])
    assert _score(gold, pred)["attribution"]["accuracy"] == 1.0
