"""Normalising quote text, and the word-level diff shown on the quote page."""

import random
import re
import unicodedata

import pytest

from factcheck.matching import DiffOp, normalise, word_diff, words
from factcheck.matching.text import content_terms, pair_term, term_hash


@pytest.mark.parametrize("a, b", [
    ("It's not over -- yet!", "it’s NOT over, yet"),
    ("“We’ll cut taxes,” she said.", "We'll cut taxes, she said"),
    ("It cost 1,000 dollars", "it cost 1000 dollars"),
    ("Café naïve", "cafe naive"),
    ("  spaced\n\tout  ", "spaced out"),
])
def test_normalise_folds_what_does_not_change_the_words(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize("a, b", [
    ("We will raise taxes", "We will not raise taxes"),
    ("Prices rose 5 percent", "Prices rose 7 percent"),
    ("3.5 percent", "35 percent"),
])
def test_normalise_keeps_what_changes_the_meaning(a, b):
    assert normalise(a) != normalise(b)


def _words_by_the_general_rule(text: str) -> list[str]:
    """words() without its fast path for plain text: every text through NFKD and
    casefold, Unicode letter classes, stripped of commas and full stops."""
    text = text.translate(str.maketrans({"'": "’", "‘": "’", "`": "’", "´": "’", "ʼ": "’", "′": "’"}))
    text = re.sub("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]", "",
                  unicodedata.normalize("NFKD", text)).casefold()
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)
    return [w.strip(".,") for w in re.findall(r"[^\W_]+(?:[’.,][^\W_]+)*", text)]


@pytest.mark.parametrize("text", [
    "“We’ll cut taxes by 1,000 dollars,” she said.", "It's NOT over -- yet!", "1,000,000 or 1,00 or 12,3456",
    "Zoë Ångström's café, São Paulo", "U.S. policy... ok,, fine. .5 and 3.14", "snake_case and x_1",
    "Straße STRASSE ǅ ﬁnance", "٣,٠٠٠ people", "‘quoted’ `tick´ ʼmodifierʼ ′prime′", "",
    "Plain ASCII: it's `ticked' and DON'T", "PLAIN ASCII, NO APOSTROPHE",
])
def test_words_plain_text_path_agrees_with_the_general_rule(text):
    assert words(text) == _words_by_the_general_rule(text)


def test_words_agree_with_the_general_rule_on_random_text():
    rng = random.Random(3)
    alphabet = "abcXYZ019 ,.'’-_éÉüß\u0301\n“”"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert words(text) == _words_by_the_general_rule(text), text


def test_content_terms_skip_function_words_and_keep_numbers():
    assert content_terms(words("We will not raise taxes by 5 percent, and we will not")) == [
        "raise", "taxes", "5", "percent"]


def test_term_ids_are_stable_and_words_and_pairs_never_collide():
    assert term_hash("taxes") == term_hash("taxes") >= 0
    assert pair_term("raise", "taxes") == pair_term("raise", "taxes") < 0


E = lambda old: DiffOp("equal", old, old, False, False)  # noqa: E731


@pytest.mark.parametrize("earlier, later, expected", [
    ("We will raise taxes", "We will raise taxes", [E("We will raise taxes")]),
    ("We will not raise taxes", "We will raise taxes",
     [E("We will"), DiffOp("delete", "not", "", False, True), E("raise taxes")]),
    ("We will raise taxes", "We won’t raise taxes",
     [E("We"), DiffOp("replace", "will", "won’t", False, True), E("raise taxes")]),
    ("Prices rose 5 percent", "Prices rose 7 percent",
     [E("Prices rose"), DiffOp("replace", "5", "7", True, False), E("percent")]),
    ("Prices rose five percent", "Prices rose sharply",
     [E("Prices rose"), DiffOp("replace", "five percent", "sharply", True, False)]),
    ("The bridge opens", "The new bridge opens today",
     [E("The"), DiffOp("insert", "", "new", False, False), E("bridge opens"),
      DiffOp("insert", "", "today", False, False)]),
    ("", "Something new", [DiffOp("insert", "", "Something new", False, False)]),
    ("Old words", "", [DiffOp("delete", "Old words", "", False, False)]),
])
def test_word_diff(earlier, later, expected):
    assert word_diff(earlier, later) == expected


def test_word_diff_compares_folded_words_but_shows_them_as_written():
    ops = word_diff("“We will WIN,” she said.", "We will win, she said")
    assert [op.op for op in ops] == ["equal"]
    assert ops[0].old == "“We will WIN,” she said." and ops[0].new == "We will win, she said"


def test_diff_ops_are_frozen():
    with pytest.raises(AttributeError):
        word_diff("a b", "a c")[0].op = "insert"
