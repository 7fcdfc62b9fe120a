"""`flask match` (what earlier quotes match a text) and `flask rematch` (recompute all)."""

from __future__ import annotations

import json
import sys
import time

import click

from ..db import db
from ..models import Speaker, SpeakerKind
from ..names import is_plausible_name, name_key
from ..services import matching
from ..services.candidates import prepare_for_queries
from ..services.speakers import AmbiguousSpeaker, SpeakerNotFound, resolve_speaker
from . import needs_schema, reads_only

REMATCH_BATCH = 500


@click.command("match")
@click.argument("text", required=False)
@click.option("--speaker", "speaker_name", metavar="NAME",
              help="Who said the text: matches credited to someone else are flagged.")
@click.option("--jsonl", "jsonl", type=click.File("r", encoding="utf-8"), metavar="FILE",
              help='Match every line {"id", "text", "speaker"?} of FILE ("-": standard input).')
@reads_only
@needs_schema
def match_command(text: str | None, speaker_name: str | None, jsonl) -> None:
    """Print the earlier quotes that match TEXT, best first, as JSON.

    Each match is {"quote_id", "text", "speaker", "score", "relation"} (plus
    "misattribution" when --speaker is given). With --jsonl, one line
    {"id", "matches": [...]} is written per input line.
    """
    if (text is None) == (jsonl is None):
        raise click.UsageError("Give either TEXT or --jsonl FILE.")
    try:
        if jsonl is None:
            speaker = _speaker(speaker_name)
            found = matching.find_matches(db.session, text, speaker=speaker)
            flagged = speaker_name is not None
            click.echo(json.dumps([m.as_json(with_misattribution=flagged) for m in found],
                                  ensure_ascii=False, indent=2))
            return
        failures = _match_lines(jsonl)
    finally:
        db.session.rollback()  # read-only: nothing to keep
    if failures:
        click.echo(f"{failures} line(s) could not be matched; see their \"error\".", err=True)
        sys.exit(1)


def _match_lines(lines) -> int:
    failures = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ident = None
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            ident = record.get("id")
            text, speaker_name = record.get("text"), record.get("speaker")
            if not isinstance(text, str):
                raise ValueError('"text" must be a string')
            if speaker_name is not None and not isinstance(speaker_name, str):
                raise ValueError('"speaker" must be a string')
            speaker = _speaker(speaker_name)
            found = matching.find_matches(db.session, text, speaker=speaker)
            out = {"id": ident, "matches": [m.as_json(with_misattribution=speaker_name is not None)
                                            for m in found]}
        except (ValueError, click.ClickException) as error:
            failures += 1
            message = error.message if isinstance(error, click.ClickException) else str(error)
            out = {"id": ident, "line": number, "error": message}
        click.echo(json.dumps(out, ensure_ascii=False))
    return failures


def _speaker(name: str | None) -> Speaker | None:
    """The stored speaker of that name, or an unsaved one (someone not on record)."""
    if name is None:
        return None
    try:
        return resolve_speaker(db.session, name)
    except AmbiguousSpeaker as error:
        raise click.ClickException(str(error)) from None
    except SpeakerNotFound:
        if not is_plausible_name(name):
            raise click.ClickException(f"“{name}” is not a speaker's name.") from None
        return Speaker(name=name, key=name_key(name), kind=SpeakerKind.PERSON)


@click.command("rematch")
@click.option("--index-only", is_flag=True,
              help="Only rebuild the candidate index; keep the stored matches.")
@needs_schema
def rematch_command(index_only: bool) -> None:
    """Rebuild the matching index and recompute every quote's matches.

    Run it after changing thresholds, or once after upgrading a database that
    already held quotes. Each batch of quotes is committed as it is done, so an
    interrupted run can simply be started again.
    """
    started = time.perf_counter()
    click.echo("Rebuilding the candidate index...", err=True)
    postings = matching.rebuild_index(db.session)
    db.session.commit()
    prepare_for_queries(db.engine)
    click.echo(f"Index: {postings:,} postings in {time.perf_counter() - started:.1f} s.", err=True)
    if index_only:
        return
    ids = matching.quote_ids_in_order(db.session)
    stored = 0
    with click.progressbar(length=len(ids), label="Matching", file=sys.stderr,
                           show_eta=True, show_pos=True) as bar:
        for start in range(0, len(ids), REMATCH_BATCH):
            chunk = ids[start:start + REMATCH_BATCH]
            stored += matching.rematch_quotes(db.session, chunk)
            db.session.commit()
            bar.update(len(chunk))
    click.echo(f"quotes: {len(ids):,}, matches stored: {stored:,}, "
               f"time: {time.perf_counter() - started:.1f} s")
