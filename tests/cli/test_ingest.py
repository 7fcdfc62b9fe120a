import json

from sqlalchemy import func, select

from factcheck.db import db
from factcheck.models import Article, Job, JobState

STORY = """Smiley face
Weather     Live Markets

Harbour Bridge Vote Ends Long Debate

"We cannot keep patching this structure," said Mayor Ingrid Halvorsen.
"""


def articles(app) -> list[Article]:
    with app.app_context():
        return db.session.scalars(select(Article).order_by(Article.id)).all()


def test_folder_with_one_broken_file(app, runner, tmp_path):
    folder = tmp_path / "intake"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text(STORY)
    (folder / "nested" / "b.html").write_text(
        "<html><head><title>Water prices rise</title></head><body><article>"
        "<p>The water utility raised prices by nine percent on Thursday after a dry summer.</p>"
        '<p>"Every household will see it on the next bill," said Dr. Amara Okafor, its chief executive.</p>'
        "</article></body></html>")
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    result = runner.invoke(args=["ingest", str(folder)])
    assert result.exit_code == 1
    assert "ingested: 2, already present: 0, failed: 1" in result.output
    assert "broken.html" in result.output and "binary" in result.output
    stored = articles(app)
    assert [a.title for a in stored] == ["Harbour Bridge Vote Ends Long Debate", "Water prices rise"]


def test_txt_title_skips_page_furniture(app, runner, tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    result = runner.invoke(args=["ingest", str(path)])
    assert result.exit_code == 0, result.output
    (article,) = articles(app)
    assert article.title == "Harbour Bridge Vote Ends Long Debate"
    assert "Smiley" not in article.text and "Live Markets" not in article.text


def test_jsonl_lines_and_duplicates(app, runner, tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"text": STORY, "title": "Bridge", "url": "https://news.example/bridge", "outlet": "Courier",
         "published_at": "2026-10-02"},
        {"text": STORY, "title": "Bridge again"},
        "not an object",
        {"title": "no text"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken json\n")
    result = runner.invoke(args=["ingest", str(path)])
    assert result.exit_code == 1
    assert "ingested: 1, already present: 1, failed: 3" in result.output
    (article,) = articles(app)
    assert article.outlet == "Courier" and article.published_at.year == 2026


def test_all_good_exits_zero_and_second_run_finds_them_present(app, runner, tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    assert runner.invoke(args=["ingest", str(tmp_path)]).exit_code == 0
    again = runner.invoke(args=["ingest", str(tmp_path)])
    assert again.exit_code == 0
    assert "ingested: 0, already present: 1, failed: 0" in again.output


def test_seed_loads_demo_articles_and_accounts(app, runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "demo articles: 4 added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Article)) == 4
    assert "demo articles: 0 added, 4 already present" in runner.invoke(args=["seed"]).output


def test_commands_refuse_a_database_without_schema(tmp_path):
    from factcheck.app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                      "SECRET_KEY": "x", "TESTING": True})
    result = app.test_cli_runner().invoke(args=["ingest", str(tmp_path)])
    assert result.exit_code != 0
    assert "flask --app wsgi db upgrade" in result.output


def test_background_queues_one_job_per_batch(app, runner, tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [{"text": STORY.replace("Mayor", f"Mayor {n}"), "title": f"Story {n}"} for n in range(5)]
    lines.insert(2, {"title": "no text", "text": " "})
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = runner.invoke(args=["ingest", "--background", "--batch-size", "2", str(path)])
    assert result.exit_code == 0, result.output
    assert "queued: 6 in 3 jobs, already queued: 0" in result.output
    with app.app_context():  # no queue configured: each job ran at once
        states = db.session.scalars(select(Job.state).order_by(Job.id)).all()
        assert states == [JobState.DONE, JobState.FAILED, JobState.DONE]
        assert db.session.scalar(select(func.count()).select_from(Article)) == 5
    again = runner.invoke(args=["ingest", "--background", "--batch-size", "2", str(path)])
    assert "queued: 0 in 0 jobs, already queued: 6" in again.output
