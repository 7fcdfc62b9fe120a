"""Reliability of the extractor's confidence, on the PolNeAR dev split.

    .venv/bin/python bench/calibration.py [--split dev|train]

Speaker accuracy by confidence band, judged with the scorer's own matching
and speaker rules (../shared/eval/score_quotes.py, imported, not copied), and
the share of evaluated quotes with confidence >= 0.9. Target (issue 8):
accuracy >= 0.97 in that band, holding >= 70% of the quotes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import extract_quotes  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
BANDS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.01)]


def _scorer():
    path = EVAL / "score_quotes.py"
    if not path.exists():
        sys.exit(f"{path} not found: calibration needs the shared eval data")
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    args = ap.parse_args()
    sq = _scorer()
    total, correct = Counter(), Counter()
    by_res_total, by_res_ok = Counter(), Counter()
    with (EVAL / f"polnear-{args.split}.jsonl").open(encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            found = extract_quotes(art["text"])
            pred = [{"quote": q.text, "speaker": q.speaker or q.speaker_as_written,
                     "start": q.start, "end": q.end} for q in found]
            gold = art["quotes"]
            for gi, pi in sq.match(gold, pred, 0.5).items():
                spk = gold[gi].get("speaker")
                if not spk or sq.is_pronoun(spk) or not sq.speaker_head(spk):
                    continue  # the scorer does not judge these speakers
                ok = sq.speaker_correct(spk, pred[pi]["speaker"])
                conf = found[pi].confidence
                band = next(b for b in BANDS if b[0] <= conf < b[1])
                total[band] += 1
                correct[band] += ok
                key = f"{found[pi].resolution}@{conf:.2f}"
                by_res_total[key] += 1
                by_res_ok[key] += ok
    n = sum(total.values())
    print(f"split: {args.split}   judged quotes: {n}")
    print(f"{'confidence':>12} {'quotes':>7} {'share':>7} {'speaker acc':>12}")
    for band in BANDS:
        t = total[band]
        acc = f"{correct[band] / t:.3f}" if t else "-"
        print(f"{band[0]:5.2f}-{min(band[1], 1.0):4.2f}  {t:7d} {t / max(n, 1):7.1%} {acc:>12}")
    hi_t = sum(t for b, t in total.items() if b[0] >= 0.9)
    hi_ok = sum(c for b, c in correct.items() if b[0] >= 0.9)
    print(f"confidence >= 0.9: {hi_t / max(n, 1):.1%} of quotes, speaker accuracy "
          f"{hi_ok / max(hi_t, 1):.3f}  (target: >= 70%, >= 0.970)")
    print("by resolution@confidence: " + ", ".join(
        f"{r} {by_res_ok[r]}/{by_res_total[r]}" for r in sorted(by_res_total)))


if __name__ == "__main__":
    main()
