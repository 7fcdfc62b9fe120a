"""Quote text as matching sees it: folded words, content terms and their hashes.

>>> words("“We’ll cut taxes by 1,000 dollars,” she said.")
['we’ll', 'cut', 'taxes', 'by', '1000', 'dollars', 'she', 'said']
"""

from __future__ import annotations

import re
import unicodedata
import zlib

__all__ = ["PAIR_BUCKETS", "STOPWORDS", "content_set", "content_terms", "normalise", "pair_term",
           "term_hash", "words"]

_APOSTROPHES = str.maketrans({"'": "’", "‘": "’", "`": "’", "´": "’", "ʼ": "’", "′": "’"})
# A word: letters or digits, with inner apostrophes, decimal points or thousands commas.
_WORD = re.compile(r"[^\W_]+(?:[’.,][^\W_]+)*")
# The same on text folded to lower-case ASCII letters, digits and ’ (most text): faster.
_PLAIN_WORD = re.compile(r"[a-z0-9]+(?:[’.,][a-z0-9]+)*")
# A comma after a digit, before three digits (written comma first: found by a quick scan).
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}\b)")

# Function words: they carry no identity, so they are never search terms.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren’t as at be because been
    before being below between both but by can can’t cannot could couldn’t did didn’t do
    does doesn’t doing don’t down during each few for from further had hadn’t has hasn’t
    have haven’t having he he’d he’ll he’s her here here’s hers herself him himself his how
    how’s i i’d i’ll i’m i’ve if in into is isn’t it it’s its itself let’s me more most
    mustn’t my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan’t she she’d she’ll she’s should shouldn’t so some such than that
    that’s the their theirs them themselves then there there’s these they they’d they’ll
    they’re they’ve this those through to too under until up very was wasn’t we we’d we’ll
    we’re we’ve were weren’t what what’s when when’s where where’s which while who who’s
    whom why why’s will with won’t would wouldn’t you you’d you’ll you’re you’ve your yours
    yourself yourselves also just said says say going get got go us one mr ms mrs
    """.split()
)


# Combining marks left by NFKD (accents on Latin, Greek and Cyrillic letters).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> tuple[str, bool]:
    """The text folded, and whether it is plain: ASCII but for ’ (which folding keeps)."""
    if text.isascii():
        if "'" in text or "`" in text:  # the only ASCII characters _APOSTROPHES changes
            text = text.translate(_APOSTROPHES)
        return text.lower(), True
    text = text.translate(_APOSTROPHES)
    if text.isascii() or text.replace("’", "").isascii():
        return text.lower(), True
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold(), False


def words(text: str) -> list[str]:
    """The words of a text, folded: case, diacritics, apostrophes and "1,000" unified."""
    folded, plain = _fold(text)
    if "," in folded:
        folded = _THOUSANDS.sub("", folded)
    # A word starts and ends with a letter or digit: nothing to strip.
    return (_PLAIN_WORD if plain else _WORD).findall(folded)


def normalise(text: str) -> str:
    """The text as matching compares it: folded words joined by single spaces.

    >>> normalise("It's  NOT over -- yet!") == normalise("it’s not over, yet")
    True
    """
    return " ".join(words(text))


def content_terms(tokens: list[str]) -> list[str]:
    """Distinct words worth searching for, in first-seen order (no function words)."""
    seen: dict[str, None] = {}
    for token in tokens:
        if token not in STOPWORDS and (len(token) > 1 or token.isdigit()):
            seen.setdefault(token, None)
    return list(seen)


def content_set(tokens: list[str]) -> frozenset[str]:
    """The words of :func:`content_terms`, as a set (what scoring compares)."""
    return frozenset([t for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())])


def term_hash(term: str) -> int:
    """A stable non-negative 31-bit hash of a word: what the search index stores.

    Collisions only merge two words' candidate lists; scoring sorts them out.

    >>> term_hash("taxes") == term_hash("taxes") >= 0
    True
    """
    return zlib.crc32(term.encode("utf-8")) & 0x7FFFFFFF


#: Adjacent word pairs are hashed into this many buckets (negative term ids).
PAIR_BUCKETS = 1 << 21


def pair_term(first: str, second: str, *, _crc32=zlib.crc32) -> int:
    """The term id of two adjacent words ("had said"): far rarer than either word,
    so it finds a quote made of common words. Bucketed, so the index stays bounded.

    >>> pair_term("had", "said") < 0
    True
    """
    return -1 - (_crc32(f"{first} {second}".encode()) & (PAIR_BUCKETS - 1))
