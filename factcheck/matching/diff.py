"""Word-level differences between two wordings of a quote, for people to read.

Words are compared folded (case, diacritics, punctuation), and shown as written.
Changes that touch a number or a negation are marked: those are the edits that
turn a quote's meaning around.

>>> [op.op for op in word_diff("We will not raise taxes", "We will raise taxes")]
['equal', 'delete', 'equal']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .text import words

__all__ = ["DiffOp", "word_diff"]

_TOKEN = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
NUMBER_WORDS = frozenset(
    """
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion billions
    trillion trillions dozen dozens half quarter third percent per cent double triple
    twice thrice first second
    """.split()
)
NEGATIONS = frozenset(
    """
    not no never none nobody nothing nowhere neither nor cannot without n’t
    don’t doesn’t didn’t won’t wouldn’t can’t couldn’t shouldn’t isn’t aren’t wasn’t
    weren’t hasn’t haven’t hadn’t mustn’t mightn’t needn’t ain’t
    """.split()
)


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step from the earlier wording to the later one.

    ``old`` and ``new`` are the words as written (empty for inserts and
    deletes); ``number`` and ``negation`` say whether the changed words hold a
    number or a negation (always False for ``equal``).
    """

    op: Literal["equal", "insert", "delete", "replace"]
    old: str
    new: str
    number: bool
    negation: bool


def word_diff(earlier: str, later: str) -> list[DiffOp]:
    """The word-level steps that turn ``earlier`` into ``later``.

    >>> word_diff("Prices rose 5 percent", "Prices rose 7 percent")[1]
    DiffOp(op='replace', old='5', new='7', number=True, negation=False)
    """
    old_tokens, old_keys = _tokens(earlier)
    new_tokens, new_keys = _tokens(later)
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old = " ".join(old_tokens[i1:i2])
        new = " ".join(new_tokens[j1:j2])
        if tag == "equal":
            ops.append(DiffOp("equal", old, new, False, False))
            continue
        changed = old_keys[i1:i2] + new_keys[j1:j2]
        ops.append(DiffOp(
            tag,  # type: ignore[arg-type]
            old,
            new,
            any(_is_number(key) for key in changed),
            any(_is_negation(key) for key in changed),
        ))
    return ops


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """Surface tokens and their comparison keys; bare punctuation joins its neighbour."""
    surface: list[str] = []
    keys: list[str] = []
    for match in _TOKEN.finditer(text or ""):
        token = match.group()
        key = " ".join(words(token))
        if not key and surface:
            surface[-1] = f"{surface[-1]} {token}"
            continue
        surface.append(token)
        keys.append(key)
    return surface, keys


def _is_number(key: str) -> bool:
    return bool(_DIGIT.search(key)) or any(part in NUMBER_WORDS for part in key.split())


def _is_negation(key: str) -> bool:
    return any(part in NEGATIONS or part.endswith("n’t") for part in key.split())
