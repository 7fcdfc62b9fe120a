"""Scoring a quote against an earlier one, and naming the relation between them.

Ranking on one rapidfuzz scorer fails at scale (``partial_ratio`` and
``token_set_ratio`` give 100 whenever a short quote sits inside a long one), so
a pair is scored in two ways:

* as a whole: the best of ``ratio`` and ``token_sort_ratio`` over the
  normalised words (repeats and variants), with a word-level check that lets
  short quotes with a changed word or two through;
* as containment, only when the lengths differ: the shorter text is aligned on
  the longer one word by word, then the aligned window is scored with
  ``ratio`` (fragments and extensions). This replaces ``partial_ratio``, which
  costs milliseconds when both texts are long.

>>> compare(Prepared.of("We will not raise taxes on working families"),
...         Prepared.of("We will not raise taxes on working families."))
PairScore(relation='repeat', score=100.0, shared_words=8)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, LCSseq

from .text import content_set, words

__all__ = [
    "CONTAINED_MIN", "EXTENSION", "FRAGMENT", "MIN_WORDS", "MISATTRIBUTION_MIN_WORDS",
    "PairScore", "Prepared", "REPEAT", "RELATIONS", "VARIANT", "VARIANT_MIN", "compare",
    "containment", "is_common_phrase", "possible_misattribution", "rank",
]

REPEAT, VARIANT, FRAGMENT, EXTENSION = "repeat", "variant", "fragment", "extension"
RELATIONS = (REPEAT, VARIANT, FRAGMENT, EXTENSION)

#: Texts shorter than this (in words) are never matched: "No." matches everything.
MIN_WORDS = 3
#: Whole-text score (best of ratio and token_sort_ratio) from which two quotes are variants.
VARIANT_MIN = 80.0
#: Short quotes with a word or two changed fall under VARIANT_MIN; they are variants
#: when the words still line up this well (0-100, in-order shared words) ...
VARIANT_WORDS_MIN = 70.0
#: ... and the characters at least this well.
VARIANT_FLOOR = 68.0
#: Aligned-window score from which the shorter text lies inside the longer one.
CONTAINED_MIN = 90.0
#: The shorter text needs this many words to count as a fragment or extension.
MIN_CONTAINED_WORDS = 4
#: Shared words needed before a different speaker is a possible misattribution.
MISATTRIBUTION_MIN_WORDS = 6
#: A quote with fewer content words than this is a common phrase ("we will see about that").
COMMON_PHRASE_MIN_CONTENT = 3
#: Said by this many different speakers already: a common phrase, not a misattribution.
COMMON_PHRASE_SPEAKERS = 3
# A bound on ratio() is raised by this much before it rules a window out, so that
# floating-point rounding never turns away a score that reaches the cutoff.
_ROUNDING = 1e-9
# ratio() can reach VARIANT_FLOOR only when the shorter text is at least this share of the longer.
_MIN_LENGTH_SHARE = VARIANT_FLOOR / (200.0 - VARIANT_FLOOR)


class Prepared:
    """A text normalised once for many comparisons (words, joined and sorted forms)."""

    __slots__ = ("words", "text", "content", "_sorted_text", "_anchor_map", "_anchor_count")

    def __init__(self, tokens: list[str]) -> None:
        self.words = tuple(tokens)
        self.text = " ".join(tokens)
        self.content = content_set(tokens)
        self._sorted_text: str | None = None
        self._anchor_map: dict[str, list[int]] | None = None
        self._anchor_count = 0

    @classmethod
    def of(cls, text: str) -> "Prepared":
        return cls(words(text))

    @property
    def sorted_text(self) -> str:
        """The words in sorted order (built on first use: most pairs never need it)."""
        if self._sorted_text is None:
            self._sorted_text = " ".join(sorted(self.words))
        return self._sorted_text

    @property
    def anchor_map(self) -> dict[str, list[int]]:
        """The anchors, the words that place this text inside a longer one, and the
        positions each anchors at, in order: the content words, or every word when
        fewer than two are content words (built on first use, in one pass: a new
        quote is placed inside many candidates with the same map)."""
        if self._anchor_map is None:
            self._map_anchors()
        return self._anchor_map

    @property
    def anchor_count(self) -> int:
        """How many positions anchor (counted with :attr:`anchor_map`)."""
        if self._anchor_map is None:
            self._map_anchors()
        return self._anchor_count

    def _map_anchors(self) -> None:
        found: dict[str, list[int]] = {}
        content, count = self.content, 0
        for j, word in enumerate(self.words):
            if word in content:
                count += 1
                if word in found:
                    found[word].append(j)
                else:
                    found[word] = [j]
        if count < 2:  # every word anchors
            found = {}
            for j, word in enumerate(self.words):
                found.setdefault(word, []).append(j)
            count = len(self.words)
        self._anchor_map, self._anchor_count = found, count

    def __repr__(self) -> str:
        return f"Prepared({self.text[:60]!r})"


@dataclass(frozen=True, slots=True)
class PairScore:
    """How a new quote relates to an earlier one: the relation, a 0-100 score and
    how many words the two share (the shorter side's length)."""

    relation: str
    score: float
    shared_words: int


def compare(new: Prepared, earlier: Prepared) -> PairScore | None:
    """The relation of ``new`` to ``earlier``, or None when they are not related.

    >>> compare(Prepared.of("raise taxes on working families"),
    ...         Prepared.of("We will not raise taxes on working families this year")).relation
    'fragment'
    >>> compare(Prepared.of("We will raise taxes on working families"),
    ...         Prepared.of("We will not raise taxes on working families")).relation
    'variant'
    """
    len_new, len_earlier = len(new.words), len(earlier.words)
    if min(len_new, len_earlier) < MIN_WORDS:
        return None
    if new.text == earlier.text:
        return PairScore(REPEAT, 100.0, len_new)
    shorter = new if len_new <= len_earlier else earlier
    if len(shorter.content) >= 3 and 2 * len(new.content & earlier.content) < len(shorter.content):
        return None  # fewer than half the shorter one's content words are shared: unrelated
    whole = 0.0
    lengths = sorted((len(new.text), len(earlier.text)))
    if lengths[0] >= lengths[1] * _MIN_LENGTH_SHARE:
        whole = max(fuzz.ratio(new.text, earlier.text),
                    fuzz.ratio(new.sorted_text, earlier.sorted_text))
    if len_new != len_earlier:
        short, long = (new, earlier) if len_new < len_earlier else (earlier, new)
        if len(short.words) >= MIN_CONTAINED_WORDS:
            inside = containment(short, long, score_cutoff=max(CONTAINED_MIN, whole))
            if inside >= CONTAINED_MIN and inside > whole:
                relation = FRAGMENT if short is new else EXTENSION
                return PairScore(relation, round(inside, 1), len(short.words))
    if whole >= VARIANT_MIN or (
        whole >= VARIANT_FLOOR
        and 100.0 * Indel.normalized_similarity(new.words, earlier.words) >= VARIANT_WORDS_MIN
    ):
        return PairScore(VARIANT, round(min(whole, 99.0), 1), min(len_new, len_earlier))
    return None


def containment(short: Prepared, long: Prepared, *, score_cutoff: float = 0.0) -> float:
    """How well ``short`` reads as a piece of ``long`` (0-100).

    The shorter text is placed where most of its words line up with the longer
    one (each shared word votes for an offset), and the window there, a word
    wider or narrower at each end, is scored with ``ratio``.

    >>> containment(Prepared.of("not raise taxes"), Prepared.of("we will not raise taxes now"))
    100.0
    """
    n, total = len(short.words), len(long.words)
    if not n:
        return 0.0
    text, size = short.text, len(short.text)
    cutoff = min(score_cutoff, 99.0)
    # ratio() is 200 x (characters in common, in order) / (both lengths). Every window
    # is a piece of the longer text, so what the shorter one shares in order with all
    # of it bounds them all (the bound peaks at a window of just the shared length):
    # most pairs stop here, before any window is placed.
    if cutoff:
        shared = LCSseq.similarity(text, long.text)
        if 200.0 * shared / (size + shared) + _ROUNDING < cutoff:
            return 0.0
    anchors = short.anchor_map
    # One pass over the longer text: each of its words that anchors the shorter one
    # votes for the offsets it would put the shorter text at.
    votes: dict[int, int] = {}
    first: dict[int, int] = {}  # offset -> the earliest anchor voting for it
    for p, word in enumerate(long.words):
        js = anchors.get(word)
        if js is not None:
            for j in js:
                d = p - j
                if d in votes:
                    votes[d] += 1
                    if j < first[d]:
                        first[d] = j
                else:
                    votes[d] = 1
                    first[d] = j
    if not votes:
        return 0.0
    # The offset with the most support (its votes and its neighbours'), then the most
    # votes of its own; on a tie, the one the earliest anchor of the shorter text
    # votes for (then the leftmost).
    offset, best_key = 0, None
    for d, n_votes in votes.items():
        key = (n_votes + votes.get(d - 1, 0) + votes.get(d + 1, 0), n_votes, -first[d], -d)
        if best_key is None or key > best_key:
            offset, best_key = d, key
    support = best_key[0]
    if support * 2 < short.anchor_count:
        return 0.0
    # The nine windows around the offset are pieces of the widest of them: what the
    # shorter text shares in order with that one bounds each, by its length.
    first_word = max(offset - 1, 0)
    widest = long.words[first_word:offset + n + 2]
    widest_text = " ".join(widest)
    shared = size
    if cutoff:
        shared = LCSseq.similarity(text, widest_text)
        if 200.0 * shared / (size + shared) + _ROUNDING < cutoff:
            return 0.0
    # Window [lo, hi) of the longer text is widest_text[before[a] + a:before[b] + b - 1]
    # (a, b: lo and hi counted from first_word), a slice rather than a new join.
    before = list(accumulate(map(len, widest), initial=0))
    best = 0.0
    ratio = fuzz.ratio
    for start in (offset - 1, offset, offset + 1):
        lo = start if start > 0 else 0
        for end in (start + n - 1, start + n, start + n + 1):
            hi = end if end < total else total
            if hi - lo < n - 2 or hi <= lo:
                continue
            a, b = lo - first_word, hi - first_word
            lo_at, hi_at = before[a] + a, before[b] + b - 1
            width = hi_at - lo_at
            if 200.0 * min(shared, width) / (size + width) + _ROUNDING < cutoff:
                continue  # cannot reach the cutoff: ratio() would return 0
            score = ratio(text, widest_text[lo_at:hi_at], score_cutoff=cutoff)
            if score > best:
                best = score
                cutoff = max(cutoff, score)
    return best


def rank(new: Prepared, earlier: list[tuple[int, Prepared]]) -> list[tuple[int, PairScore]]:
    """Score ``new`` against candidates; related ones best first (longer shared text wins ties)."""
    scored = []
    for ident, prepared in earlier:
        result = compare(new, prepared)
        if result is not None:
            scored.append((ident, result))
    scored.sort(key=lambda item: (item[1].score, item[1].shared_words, -item[0]), reverse=True)
    return scored


def is_common_phrase(prepared: Prepared, *, speakers_saying_it: int = 0) -> bool:
    """Short or common words, or already said by several people: never a misattribution alone.

    >>> is_common_phrase(Prepared.of("We are going to do it"))
    True
    >>> is_common_phrase(Prepared.of("The pipeline will double exports to Hungary by 2030"))
    False
    """
    return (
        len(prepared.words) < MISATTRIBUTION_MIN_WORDS
        or len(prepared.content) < COMMON_PHRASE_MIN_CONTENT
        or speakers_saying_it >= COMMON_PHRASE_SPEAKERS
    )


def possible_misattribution(score: PairScore, *, different_speakers: bool, common: bool) -> bool:
    """Is this match the same words credited to someone else?

    Extensions never are (the newer quote merely contains older words), and
    neither are short or common phrases.
    """
    return (
        different_speakers
        and not common
        and score.relation in (REPEAT, VARIANT, FRAGMENT)
        and score.shared_words >= MISATTRIBUTION_MIN_WORDS
    )
