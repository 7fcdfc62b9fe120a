"""Figures on the PolNeAR dev split, scored by the shared scorer (issue 3, issue 8).

Skipped when ../shared/eval is absent (it is evaluation data, not part of the
project). The asserted floors are the figures the engine reaches now, a little
below the measured values so that a regression fails; where they are short of
the issue's targets the target is noted beside them.
"""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.extraction import extract_quotes
from factcheck.extraction.__main__ import quote_record

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
DEV = EVAL / "polnear-dev.jsonl"
SCORER = EVAL / "score_quotes.py"

pytestmark = pytest.mark.skipif(
    not (DEV.exists() and SCORER.exists()),
    reason=f"evaluation data not found at {EVAL} (shared, read-only, not in the repo)")


@pytest.fixture(scope="module")
def dev_articles():
    with DEV.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def summary(dev_articles, tmp_path_factory):
    pred = tmp_path_factory.mktemp("dev") / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as f:
        for art in dev_articles:
            quotes = [quote_record(q) for q in extract_quotes(art["text"])]
            f.write(json.dumps({"id": art["id"], "quotes": quotes}) + "\n")
    out = subprocess.run([sys.executable, str(SCORER), str(DEV), str(pred)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_quote_detection(summary):
    assert summary["detection"]["f1"] >= 0.964  # target 0.96; measured 0.9678


def test_speaker_accuracy(summary):
    assert summary["attribution"]["accuracy"] >= 0.938  # target 0.93; measured 0.9431


def test_end_to_end(summary):
    assert summary["end_to_end"]["f1"] >= 0.905  # target 0.90; measured 0.9103


def test_confidence_is_calibrated(dev_articles):
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    sq = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sq)
    judged = high = high_ok = 0
    for art in dev_articles:
        found = extract_quotes(art["text"])
        pred = [{"quote": q.text, "speaker": q.speaker or q.speaker_as_written,
                 "start": q.start, "end": q.end} for q in found]
        for gi, pi in sq.match(art["quotes"], pred, 0.5).items():
            spk = art["quotes"][gi].get("speaker")
            if not spk or sq.is_pronoun(spk) or not sq.speaker_head(spk):
                continue
            judged += 1
            if found[pi].confidence >= 0.9:
                high += 1
                high_ok += sq.speaker_correct(spk, pred[pi]["speaker"])
    assert high / judged >= 0.70  # target 0.70; measured 0.743
    assert high_ok / high >= 0.97  # target 0.97; measured 0.978
