"""`flask match` and `flask rematch`."""

import json

import pytest
from sqlalchemy import delete, func, select

from factcheck.db import db
from factcheck.models import Article, ArticleSource, Quote, QuoteMatch, Speaker
from factcheck.services import matching

PIPELINE = "The pipeline will double gas exports to Hungary before the end of 2030."


@pytest.fixture
def stored(app):
    with app.app_context():
        jane = Speaker(name="Jane Roe", key="jane roe")
        ids = []
        for n, text in enumerate([PIPELINE, PIPELINE.replace("2030", "2031"),
                                  "The valley will flood again unless the dams are repaired soon."]):
            article = Article(title=f"S{n}", text="t", content_hash=f"h{n}", source=ArticleSource.CLI)
            quote = Quote(article=article, speaker=jane, text=text, start=0, end=len(text))
            db.session.add(quote)
            db.session.flush()
            matching.match_new_quotes(db.session, [quote])
            ids.append(quote.id)
        db.session.commit()
        return ids


def test_match_prints_json(runner, stored):
    result = runner.invoke(args=["match", "will double gas exports to Hungary before the end of 2030"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [m["quote_id"] for m in found][:1] == [stored[0]]
    assert set(found[0]) == {"quote_id", "text", "speaker", "score", "relation"}
    assert (found[0]["relation"], found[0]["speaker"], found[0]["score"]) == ("fragment", "Jane Roe", 100.0)


@pytest.mark.parametrize("speaker, flagged", [("Jane Roe", False), ("Ann Lee", True)])
def test_match_with_a_speaker_flags_misattribution(runner, stored, speaker, flagged):
    result = runner.invoke(args=["match", "--speaker", speaker, PIPELINE])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found[0]["quote_id"] == stored[0] and found[0]["misattribution"] is flagged


@pytest.mark.parametrize("args, message", [
    (["match"], "Give either TEXT or --jsonl FILE"),
    (["match", "--speaker", "🙂", PIPELINE], "is not a speaker's name"),
])
def test_match_usage_errors(runner, stored, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output


@pytest.mark.parametrize("text", ["", "yes", "🙂" * 50, "word " * 10_000])
def test_match_odd_texts_print_an_empty_list(runner, stored, text):
    result = runner.invoke(args=["match", text])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_match_jsonl(runner, stored, tmp_path):
    lines = tmp_path / "in.jsonl"
    lines.write_text("\n".join([
        json.dumps({"id": "a", "text": PIPELINE}),
        json.dumps({"id": 7, "text": "Nothing like anything stored here at all today.", "speaker": "Ann Lee"}),
        "not json",
        json.dumps({"id": "c"}),
        "",
        json.dumps({"id": "d", "text": PIPELINE, "speaker": "Ann Lee"}),
    ]), encoding="utf-8")
    result = runner.invoke(args=["match", "--jsonl", str(lines)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 7, None, "c", "d"]
    assert out[0]["matches"][0]["quote_id"] == stored[0] and "misattribution" not in out[0]["matches"][0]
    assert out[1]["matches"] == []
    assert "error" in out[2] and out[3]["error"] == '"text" must be a string'
    assert out[4]["matches"][0]["misattribution"] is True


def test_rematch_recomputes_everything(app, runner, stored):
    with app.app_context():
        before = db.session.execute(select(QuoteMatch.quote_id, QuoteMatch.earlier_id,
                                           QuoteMatch.relation)).all()
        db.session.execute(delete(QuoteMatch))
        db.session.commit()
    result = runner.invoke(args=["rematch"])
    assert result.exit_code == 0, result.output
    assert f"quotes: 3, matches stored: {len(before)}" in result.stdout
    with app.app_context():
        after = db.session.execute(select(QuoteMatch.quote_id, QuoteMatch.earlier_id,
                                          QuoteMatch.relation)).all()
        assert sorted(after) == sorted(before)


def test_rematch_index_only_keeps_matches(app, runner, stored):
    result = runner.invoke(args=["rematch", "--index-only"])
    assert result.exit_code == 0 and "postings" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuoteMatch)) == 1
