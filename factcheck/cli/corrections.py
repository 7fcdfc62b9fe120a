"""`flask reextract` and `flask export-corrections`: the extractor and the desk's decisions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..db import db
from ..models import Article
from ..services import corrections, reextraction
from . import needs_schema, reads_only


@click.command("reextract")
@click.argument("article_ids", nargs=-1, type=click.IntRange(min=1))
@needs_schema
def reextract_command(article_ids: tuple[int, ...]) -> None:
    """Run the extractor again over ARTICLE_IDS (default: every article).

    Editors' attribution decisions are kept; each article is committed on its own.
    """
    ids = reextraction.article_ids(db.session, article_ids)
    missing = sorted(set(article_ids) - set(ids))
    totals = dict(added=0, updated=0, unchanged=0, kept_decided=0, kept_reviewed=0, removed=0)
    failures: list[tuple[int, str]] = []
    with click.progressbar(ids, label="Re-extracting", file=sys.stderr) as bar:
        for article_id in bar:
            try:
                result = reextraction.reextract_article(db.session, db.session.get(Article, article_id))
                db.session.commit()
            except Exception as error:  # one bad article never stops the others
                db.session.rollback()
                failures.append((article_id, f"{type(error).__name__}: {error}"))
                continue
            for name in totals:
                totals[name] += getattr(result, name)
    click.echo(f"articles: {len(ids) - len(failures)}, quotes added: {totals['added']}, "
               f"updated: {totals['updated']}, unchanged: {totals['unchanged']}, "
               f"kept as editors decided: {totals['kept_decided']}, "
               f"no longer found but reviewed (kept): {totals['kept_reviewed']}, "
               f"removed: {totals['removed']}")
    for article_id in missing:
        click.echo(f"  no article {article_id}")
    for article_id, reason in failures:
        click.echo(f"  failed: article {article_id}: {reason}")
    if missing or failures:
        sys.exit(1)


@click.command("export-corrections")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--predictions", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Also write the current extractor's output on the same articles here, "
                   "to score it against the corrections.")
@click.option("--no-text", is_flag=True, help="Leave the article texts out.")
@reads_only
@needs_schema
def export_corrections_command(file: Path, predictions: Path | None, no_text: bool) -> None:
    """Write every editor's attribution decision to FILE as JSONL, one article a line.

    The shape is the evaluation data's, so `score_quotes.py FILE PREDICTIONS`
    measures the extractor against the desk's corrections.
    """
    articles = quotes = 0
    with _output(file) as out:
        for record in corrections.correction_records(db.session, with_text=not no_text):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            articles += 1
            quotes += len(record["quotes"])
    click.echo(f"decisions: {quotes} in {articles} articles -> {file}")
    if predictions is not None:
        ids = corrections.decided_article_ids(db.session)
        with _output(predictions) as out:
            for record in corrections.extractor_records(db.session, ids):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        click.echo(f"extractor output on the same {len(ids)} articles -> {predictions}")


def _output(path: Path):
    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
