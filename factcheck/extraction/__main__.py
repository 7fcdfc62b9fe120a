"""``python -m factcheck.extraction FILE...``: quotes as JSON lines.

Reads .txt files (one article each; id = file name) or .jsonl files (lines
with "id" and "text") and writes one line per article to stdout:
{"id", "quotes": [{"quote", "speaker", "start", "end", "segments",
"speaker_as_written", "role", "speaker_kind", "cue", "kind", "confidence"}]}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator

from .engine import extract_quotes
from .model import ExtractedQuote


def quote_record(q: ExtractedQuote) -> dict:
    """The stable JSON shape of one quote (the CLI contract)."""
    return {
        "quote": q.text,
        "speaker": q.speaker,
        "start": q.start,
        "end": q.end,
        "segments": [list(s) for s in q.segments],
        "speaker_as_written": q.speaker_as_written,
        "role": q.role,
        "speaker_kind": q.speaker_kind,
        "cue": q.cue,
        "kind": q.kind,
        "confidence": q.confidence,
    }


def _articles(path: str) -> Iterator[tuple[object, str]]:
    if path.endswith(".jsonl"):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                    yield d["id"], d["text"]
                except (ValueError, KeyError, TypeError) as e:
                    raise SystemExit(f"{path}:{n}: not an article line ({e})") from e
    else:
        with open(path, encoding="utf-8", errors="replace") as f:
            yield os.path.basename(path), f.read()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m factcheck.extraction",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", metavar="FILE", help=".txt or .jsonl")
    args = ap.parse_args(argv)
    out = sys.stdout
    for path in args.files:
        try:
            for aid, text in _articles(path):
                quotes = [quote_record(q) for q in extract_quotes(text)]
                out.write(json.dumps({"id": aid, "quotes": quotes}, ensure_ascii=False) + "\n")
        except OSError as e:
            print(f"{path}: {e.strerror or e}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
