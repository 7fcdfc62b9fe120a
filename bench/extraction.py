"""Speed of the quote extractor: articles per second on one core.

    .venv/bin/python bench/extraction.py [--repeat N]

Runs over the PolNeAR train and dev texts (../shared/eval, read only), prints
articles/s, the ratio to a bare regex scan for quote marks over the same texts
in the same run, and the time for a 1 MB text full of stray quote marks (the
linear-time check from issue 3: marks among words and cues, then marks alone),
then for two harsher kinds of junk.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import extract_quotes  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
_MARKS_RE = re.compile(r"[\"\u201c\u201d\u2018\u2019']")


def _texts() -> list[str]:
    texts = []
    for split in ("train", "dev"):
        path = EVAL / f"polnear-{split}.jsonl"
        if not path.exists():
            sys.exit(f"{path} not found: the bench needs the shared eval data")
        with path.open(encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return texts


def _stray_marks(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    pieces = ["word", " ", "\"", "\u201c", "\u201d", "'", "''", "\u2018", "\u2019", ",",
              ".", " said Smith", "\n", "Jane Roe said: "]
    out, n = [], 0
    while n < size:
        p = rng.choice(pieces)
        out.append(p)
        n += len(p)
    return "".join(out)[:size]


def _marks_only(size: int, seed: int = 7) -> str:
    """Nothing but quote marks: every kind, at random, no words."""
    rng = random.Random(seed)
    return "".join(rng.choice("\"\u201c\u201d'\u2018\u2019") for _ in range(size))


def _random_characters(size: int, seed: int = 7) -> str:
    """Letters, marks, spaces and stops at random: many short quotes, few cues."""
    rng = random.Random(seed)
    return "".join(rng.choice("\"\u201c\u201d'\u2018\u2019 abcdefgh  ,.\n") for _ in range(size))


def _run_on(size: int, seed: int = 7) -> str:
    """Words, reporting verbs and marks with no sentence end or line break: every
    quote's sentence is the longest the extractor reads."""
    rng = random.Random(seed)
    words = ["\"", "\u201c", "\u201d", "'", "word", "Smith", "said", "the"]
    return " ".join(rng.choice(words) for _ in range(size // 3))[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = ap.parse_args()
    texts = _texts()
    chars = sum(map(len, texts))
    best = scan_best = cpu_best = float("inf")
    quotes = 0
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        quotes = sum(len(extract_quotes(t)) for t in texts)
        best = min(best, time.perf_counter() - t0)
        cpu_best = min(cpu_best, time.process_time() - c0)
        t0 = time.perf_counter()
        marks = sum(len(_MARKS_RE.findall(t)) for t in texts)
        scan_best = min(scan_best, time.perf_counter() - t0)
    print(f"articles: {len(texts)}  chars: {chars}  quotes found: {quotes}  marks: {marks}")
    print(f"extract_quotes: {len(texts) / best:,.0f} articles/s  ({best * 1000:.0f} ms wall; "
          f"{len(texts) / cpu_best:,.0f} articles/s by CPU time, {cpu_best * 1000:.0f} ms)")
    print(f"bare mark scan: {len(texts) / scan_best:,.0f} articles/s  "
          f"({scan_best * 1000:.1f} ms); extraction is {best / scan_best:.0f}x the scan")
    shapes = [("stray quote marks", _stray_marks(250_000)),
              ("stray quote marks", _stray_marks(1_000_000)),
              ("quote marks and nothing else", _marks_only(1_000_000)),
              # Two harsher shapes of junk, for the record (issue 3 names the first).
              ("random letters and marks", _random_characters(1_000_000)),
              ("words and marks without a sentence end", _run_on(1_000_000))]
    for label, junk in shapes:
        wall = cpu = float("inf")
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            n = len(extract_quotes(junk))
            wall = min(wall, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
        print(f"{len(junk) / 1e6:.2f} MB of {label}: {wall:.2f} s wall, {cpu:.2f} s CPU "
              f"({n} quotes)")
    # On a shared machine wall time swings with the load; CPU time is the
    # steadier figure to compare runs with.


if __name__ == "__main__":
    main()
