"""Scoring a quote against an earlier one and naming the relation."""

import random

import pytest
from rapidfuzz import fuzz

from factcheck.matching.scoring import (
    PairScore, Prepared, compare, containment, is_common_phrase, possible_misattribution, rank,
)

EARLIER = "We will not raise taxes on working families this year, whatever the deficit says."


@pytest.mark.parametrize("new, relation", [
    ("We will not raise taxes on working families this year, whatever the deficit says.", "repeat"),
    ("“We will NOT raise taxes on working families this year -- whatever the deficit says”", "repeat"),
    ("We will raise taxes on working families this year, whatever the deficit says.", "variant"),
    ("We will not raise taxes on farming families next year, whatever the deficit says.", "variant"),
    ("We will not raise taxes on families this year, whatever deficit says.", "variant"),
    ("not raise taxes on working families this year", "fragment"),
    ("Asked again on Friday, she said: We will not raise taxes on working families this year, "
     "whatever the deficit says. And she left the room.", "extension"),
    ("The harbour bridge will close for repairs in the spring, the council said.", None),
    ("Taxes", None),
    ("", None),
])
def test_relation(new, relation):
    result = compare(Prepared.of(new), Prepared.of(EARLIER))
    assert (result.relation if result else None) == relation


def test_short_quote_with_two_words_changed_is_still_a_variant():
    assert compare(Prepared.of("I mean, everything I say, he agrees with her."),
                   Prepared.of("I mean, everything I say, he agrees with me.")).relation == "variant"


def test_short_text_inside_long_one_is_not_a_fragment_below_four_words():
    assert compare(Prepared.of("working families"), Prepared.of(EARLIER)) is None


def test_same_words_in_another_order_are_a_variant_not_a_repeat():
    result = compare(Prepared.of("this year we will not raise taxes on working families"),
                     Prepared.of("we will not raise taxes on working families this year"))
    assert result.relation == "variant" and result.score < 100


def test_containment_finds_the_window_in_a_long_text():
    long = Prepared.of(" ".join(["filler words here"] * 300) + " " + EARLIER + " and more filler")
    assert containment(Prepared.of(EARLIER), long) == 100.0


def _containment_by_positions(short: Prepared, long: Prepared, score_cutoff: float = 0.0) -> float:
    """containment() as first written: a word -> positions table of the longer text,
    anchors in order; the first offset with the most support wins a tie; every
    window scored (none ruled out by a bound)."""
    positions: dict[str, list[int]] = {}
    for index, word in enumerate(long.words):
        positions.setdefault(word, []).append(index)
    anchors = [(j, w) for j, w in enumerate(short.words) if w in short.content]
    if len(anchors) < 2:
        anchors = list(enumerate(short.words))
    votes: dict[int, int] = {}
    for j, word in anchors:
        for p in positions.get(word, ()):
            votes[p - j] = votes.get(p - j, 0) + 1
    if not votes:
        return 0.0
    offset, support, own = 0, -1, -1
    for d, n in votes.items():
        around = n + votes.get(d - 1, 0) + votes.get(d + 1, 0)
        if around > support or (around == support and n > own):
            offset, support, own = d, around, n
    if support * 2 < len(anchors):
        return 0.0
    n, total, best = len(short.words), len(long.words), 0.0
    cutoff = min(score_cutoff, 99.0)
    for start in (offset - 1, offset, offset + 1):
        for end in (start + n - 1, start + n, start + n + 1):
            lo, hi = max(start, 0), min(end, total)
            if hi - lo >= n - 2:
                score = fuzz.ratio(short.text, " ".join(long.words[lo:hi]), score_cutoff=cutoff)
                if score > best:
                    best, cutoff = score, max(cutoff, score)
    return best


def _fragments(seed: int, vocabulary: list[str], *, longest: int, shortest_cut: int,
               kept: float):
    """3,000 (short, long) pairs: a piece of a random text with some words swapped."""
    rng = random.Random(seed)
    for _ in range(3000):
        long_words = [rng.choice(vocabulary) for _ in range(rng.randint(4, longest))]
        start = rng.randrange(len(long_words))
        short_words = long_words[start:start + rng.randint(4, shortest_cut)]
        short_words = [w if rng.random() < kept else rng.choice(vocabulary) for w in short_words]
        yield Prepared(short_words), Prepared(long_words)


def test_containment_places_the_shorter_text_as_the_positions_table_did():
    # Few distinct words, so words repeat and offsets tie: the tie rule is exercised.
    vocabulary = ["taxes", "families", "working", "we", "will", "not", "raise", "deficit", "the"]
    for short, long in _fragments(5, vocabulary, longest=30, shortest_cut=12, kept=0.8):
        assert containment(short, long) == _containment_by_positions(short, long)


def test_containment_with_a_cutoff_scores_as_if_every_window_were_scored():
    # The cutoff lets containment() rule windows out by a bound before scoring them:
    # what it returns must not change, whatever the cutoff (one at the exact score
    # included, where rapidfuzz's rounding decides).
    vocabulary = ["taxes", "families", "working", "we", "will", "not", "raise", "deficit", "the",
                  "a", "on", "year", "minister", "said", "budget", "cuts"]
    for short, long in _fragments(8, vocabulary, longest=40, shortest_cut=14, kept=0.85):
        exact = containment(short, long)
        for cutoff in (50.0, 80.0, 90.0, round(exact, 6), exact, exact + 1e-12, 99.0, 100.0):
            assert containment(short, long, score_cutoff=cutoff) == \
                _containment_by_positions(short, long, score_cutoff=cutoff)


def test_rank_puts_the_best_and_longest_first():
    ranked = rank(Prepared.of(EARLIER), [
        (1, Prepared.of("We will raise taxes on working families this year, whatever the deficit says.")),
        (2, Prepared.of(EARLIER)),
        (3, Prepared.of("The harbour bridge will close for repairs.")),
    ])
    assert [ident for ident, _ in ranked] == [2, 1]


@pytest.mark.parametrize("text, speakers, common", [
    ("We are going to do it", 0, True),                 # under six words
    ("We will see about that one, won't we", 0, True),  # under three content words
    ("The pipeline will double exports to Hungary by 2030", 0, False),
    ("The pipeline will double exports to Hungary by 2030", 3, True),  # said by many already
])
def test_common_phrases(text, speakers, common):
    assert is_common_phrase(Prepared.of(text), speakers_saying_it=speakers) is common


@pytest.mark.parametrize("relation, shared, different, common, flagged", [
    ("repeat", 12, True, False, True),
    ("variant", 12, True, False, True),
    ("fragment", 8, True, False, True),
    ("extension", 12, True, False, False),  # the newer quote merely contains older words
    ("repeat", 12, False, False, False),    # same speaker
    ("repeat", 5, True, False, False),      # too short
    ("repeat", 12, True, True, False),      # a common phrase
])
def test_possible_misattribution(relation, shared, different, common, flagged):
    score = PairScore(relation, 95.0, shared)
    assert possible_misattribution(score, different_speakers=different, common=common) is flagged
