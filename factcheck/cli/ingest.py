"""`flask ingest` and `flask seed`: articles from files, folders and the demo set."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from .. import stored_pages
from ..content import IngestError
from ..content.clean import decode_bytes
from ..content.html import parse_date
from ..db import db
from ..models import ArticleSource, Job, Role
from ..services import accounts
from ..services.ingestion import ArticleInput, IngestFailure, ingest_articles
from ..services.jobs import submit_job
from ..worker import dispatch
from . import needs_schema

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
INGESTIBLE = (".txt", ".html", ".htm", ".jsonl")


@dataclass
class IngestSummary:
    ingested: int = 0
    present: int = 0
    jobs: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def record(self, created: bool) -> None:
        if created:
            self.ingested += 1
        else:
            self.present += 1


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--background", is_flag=True,
              help="Queue the articles as jobs for `flask worker` instead of ingesting here.")
@click.option("--batch-size", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Articles stored per transaction (and per job with --background).")
@needs_schema
def ingest_command(paths: tuple[Path, ...], background: bool, batch_size: int) -> None:
    """Ingest .txt, .html and .jsonl files, and folders of them (recursively)."""
    files = list(_expand(paths))
    summary = IngestSummary()
    store = _queue_batch if background else _ingest_batch
    batch: list[tuple[str, ArticleInput]] = []
    with click.progressbar(files, label="Queueing" if background else "Ingesting", file=sys.stderr,
                           item_show_func=lambda p: p.name if p else "") as bar:
        for path in bar:
            for label, data in _inputs_from(path, summary):
                batch.append((label, data))
                if len(batch) >= batch_size:
                    store(batch, summary)
                    batch = []
        if batch:
            store(batch, summary)
    if background:
        click.echo(f"queued: {summary.ingested} in {summary.jobs} jobs, already queued: "
                   f"{summary.present}, failed: {len(summary.failures)} "
                   "(see `flask --app wsgi jobs list`)")
        for label, reason in summary.failures:
            click.echo(f"  failed: {label}: {reason}")
        sys.exit(1 if summary.failures else 0)
    click.echo(f"ingested: {summary.ingested}, already present: {summary.present}, "
               f"failed: {len(summary.failures)}")
    for label, reason in summary.failures:
        click.echo(f"  failed: {label}: {reason}")
    if summary.failures:
        sys.exit(1)


def _expand(paths):
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INGESTIBLE)
        else:
            yield path


def _inputs_from(path: Path, summary: IngestSummary):
    """(label, ArticleInput) pairs from one file; unreadable lines go to the summary."""
    try:
        raw = path.read_bytes()
        if len(raw) > current_app.config["MAX_ARTICLE_BYTES"] and path.suffix.lower() != ".jsonl":
            raise IngestError("The file is larger than the size limit.")
        body = decode_bytes(raw)
    except (OSError, IngestError) as error:
        summary.failures.append((str(path), str(error)))
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        for number, line in enumerate(body.splitlines(), 1):
            if not line.strip():
                continue
            label = f"{path}:{number}"
            try:
                yield label, _input_from_json(json.loads(line))
            except (ValueError, TypeError, AttributeError) as error:
                summary.failures.append((label, f"not a valid article line ({error})"))
    elif suffix in (".html", ".htm"):
        yield str(path), ArticleInput(source=ArticleSource.CLI, html=body)
    elif suffix == ".txt":
        yield str(path), ArticleInput(source=ArticleSource.CLI, text=body)
    else:
        summary.failures.append((str(path), "only .txt, .html and .jsonl files are ingested"))


def _input_from_json(record: dict) -> ArticleInput:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    text, html = record.get("text"), record.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        raise ValueError('a line needs "text" or "html" as a string')
    published = record.get("published_at")
    return ArticleInput(
        source=ArticleSource.CLI,
        text=text if isinstance(text, str) else None,
        html=html if isinstance(html, str) and not isinstance(text, str) else None,
        title=_str_or_none(record.get("title")),
        url=_str_or_none(record.get("url")),
        outlet=_str_or_none(record.get("outlet")),
        published_at=parse_date(published) if isinstance(published, str) else None,
    )


def _str_or_none(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _ingest_batch(batch: list[tuple[str, ArticleInput]], summary: IngestSummary) -> None:
    """Store a batch in one transaction; a bad article fails alone."""
    try:
        outcomes = ingest_articles(db.session, [data for _, data in batch],
                                   max_bytes=current_app.config["MAX_ARTICLE_BYTES"])
        # Read before the commit: reading them after would begin a transaction (on SQLite,
        # holding the write lock the pages are stored with).
        created = [outcome.article.id for outcome in outcomes
                   if not isinstance(outcome, IngestFailure) and outcome.created]
        db.session.commit()
    except Exception as error:  # the batch could not be committed: none of it is stored
        db.session.rollback()
        summary.failures.extend((label, f"unexpected error: {error.__class__.__name__}: {error}")
                                for label, _ in batch)
        return
    for (label, _), outcome in zip(batch, outcomes):
        if isinstance(outcome, IngestFailure):
            reason = outcome.reason if isinstance(outcome.error, IngestError) \
                else f"unexpected error: {outcome.reason}"
            summary.failures.append((label, reason))
        else:
            summary.record(outcome.created)
    stored_pages.render_new_articles(created)


def _queue_batch(batch: list[tuple[str, ArticleInput]], summary: IngestSummary) -> None:
    """One job per batch; the same batch twice maps to the same job."""
    articles = [_payload(data) for _, data in batch]
    key = "ingest:" + hashlib.sha256(json.dumps(articles, sort_keys=True).encode()).hexdigest()
    known = db.session.scalar(select(Job.id).where(Job.idempotency_key == key))
    payload = {"articles": [{**article, "label": label}
                            for (label, _), article in zip(batch, articles)]}
    job = submit_job(db.session, "ingest_articles", payload, idempotency_key=key)
    db.session.commit()
    if known is not None:
        summary.present += len(batch)
        return
    dispatch(job)
    summary.ingested += len(batch)
    summary.jobs += 1


def _payload(data: ArticleInput) -> dict:
    return {key: value for key, value in {
        "source": data.source.value, "text": data.text, "html": data.html, "title": data.title,
        "url": data.url, "outlet": data.outlet,
        "published_at": data.published_at.isoformat() if data.published_at else None,
    }.items() if value is not None}


@click.command("seed")
@needs_schema
def seed_command() -> None:
    """Load the demo articles (made up for this project) and demo accounts."""
    summary = IngestSummary()
    demos = [(label, _demo(data, path)) for path in sorted(DEMO_DIR.glob("*.txt"))
             for label, data in _inputs_from(path, summary)]
    _ingest_batch(demos, summary)
    created = []
    for name, role in (("reviewer", Role.REVIEWER), ("editor", Role.EDITOR), ("admin", Role.ADMIN)):
        if accounts.user_named(db.session, name) is None:
            accounts.create_user(db.session, name, f"{name}-demo-password", role=role)
            created.append(name)
    db.session.commit()
    click.echo(f"demo articles: {summary.ingested} added, {summary.present} already present")
    for label, reason in summary.failures:
        click.echo(f"  failed: {label}: {reason}")
    if created:
        click.echo("demo accounts (password is NAME-demo-password): " + ", ".join(created))


def _demo(data: ArticleInput, path: Path) -> ArticleInput:
    """Demo files start with 'Outlet | YYYY-MM-DD' so the list shows real metadata."""
    first, _, rest = (data.text or "").partition("\n")
    outlet, _, day = first.partition("|")
    published = parse_date(day.strip())
    if published is None:
        return data
    return ArticleInput(source=ArticleSource.DEMO, text=rest, outlet=outlet.strip(),
                        published_at=published, url=f"https://demo.factcheck.invalid/{path.stem}")


