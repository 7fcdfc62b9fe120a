"""Speaker names: parse, normalise and compare. Pure: standard library only.

>>> name_key("Dr. Elena Korosteleva")
'elena korosteleva'
"""

from __future__ import annotations

import re
import unicodedata

TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend father
    sen senator rep representative gov governor lt col gen general adm admiral
    capt captain sgt maj major president vice prime minister secretary ambassador
    chancellor mayor judge justice chief speaker commissioner deputy attorney
    director chairman chairwoman chair sheikh king queen prince princess pope
    """.split()
)
_PARTY_TAG = re.compile(r"\((?:[DRI]|Dem|Rep|Ind)[-–,.\s][^)]*\)|\([A-Z][a-z]*\.?\)")
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^\w\s'-]+")


def fold(text: str) -> str:
    """Lower case without diacritics: 'Zelenskyy' stays, 'Đoković' -> 'dokovic'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_key(name: str) -> str:
    """The normalised key of a name: no titles, initials, party tags or case.

    >>> name_key("Sen. Elizabeth A. Warren (D-Mass.)")
    'elizabeth warren'
    >>> name_key("Warren, Elizabeth")
    'elizabeth warren'
    """
    name = _PARTY_TAG.sub(" ", name)
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if first and last and " " not in last and len(first.split()) <= 2:
            name = f"{first} {last}"
    words = []
    for word in _NON_WORD.sub(" ", fold(name)).split():
        word = _POSSESSIVE.sub("", word.strip("'-"))
        if not word or word in TITLES or len(word) == 1:
            continue
        words.append(word)
    return " ".join(words)
