"""Speaker names: parse, normalise and compare. Pure: standard library only.

Three levels of sameness, from strict to loose:

* :func:`name_key` is the normalised name every speaker record is stored under
  (no titles, middle initials, party tags, possessives, case or diacritics);
* :func:`name_skeleton` also folds transliteration variants ("Zelenskyy",
  "Zelensky", "Zelenskiy" all give ``volodymyr zelenski``), so two keys with the
  same skeleton are the same name written two ways;
* :func:`compare_names` scores two different keys (typos, nicknames, a middle
  name more or less) and says whether the match is certain or only a suggestion.

>>> name_key("Dr. Elena Korosteleva")
'elena korosteleva'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

__all__ = [
    "TITLES", "NameComparison", "compare_names", "fold", "group_key", "is_plausible_name",
    "name_key", "name_skeleton", "organisation_key", "surname_key",
]

# Words stripped when they stand before a name ("Former Secretary of State ...").
# Only a leading run is stripped: "Martin Luther King" keeps its King.
TITLES = frozenset(
    """
    mr mrs ms miss mx messrs dr prof professor sir dame lord lady rev reverend father fr
    sister brother rabbi imam pastor bishop cardinal pope sheikh sheik
    sen sens senator rep reps representative congressman congresswoman congressmember
    assemblyman assemblywoman delegate councilman councilwoman councillor councilor alderman
    gov governor lt lieutenant col colonel gen gens general adm admiral capt captain cmdr
    commander sgt sergeant maj major cpl corporal pvt private marshal
    president presidentelect vice vp premier prime minister secretary undersecretary
    ambassador envoy chancellor mayor judge justice magistrate chief speaker leader whip
    commissioner superintendent supt inspector sheriff officer detective det constable
    attorney solicitor director chairman chairwoman chair chairperson ceo cfo coo founder
    king queen prince princess emir crown duke duchess baron baroness count countess
    candidate nominee presidential spokesman spokeswoman spokesperson
    former acting deputy interim incoming outgoing then current first state us u.s uk
    republican democratic democrat gop
    """.split()
)
# Words that join a title to its office: "Secretary of State", "Minister for Health".
_TITLE_LINKS = frozenset(
    """
    of for the to general foreign defense defence interior health state home finance
    treasury justice education energy homeland security labor labour commerce trade
    affairs house senate majority minority assembly council city county national
    federal white department district united states kingdom nations
    """.split()
)
_SUFFIXES = frozenset("jr jnr sr snr ii iii iv v phd md esq obe mbe cbe kbe qc kc mp".split())
# "(D-Mass.)", "(R)", "(R-Texas)", ", D-Mass.", "(Lab)".
_PARTY_TAG = re.compile(
    r"\((?:[DRIL]|Dem|Rep|Ind|Lab|Con|Lib|SNP|Green)(?:[-–,.\s][^)]*)?\)"
    r"|,?\s+\b[DRI]-[A-Z][A-Za-z.]*\.?(?=\s|,|$)"
)
_PARENS = re.compile(r"\([^)]*\)")
_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^\w\s'’.-]+")
_LETTER = re.compile(r"[^\W\d_]")
_PRONOUNS = frozenset(
    "i me we us you he him she her they them it one someone somebody anyone nobody who".split()
)
_ORG_LEADING = frozenset("the a an".split())

# Transliteration and spelling variants folded by name_skeleton, longest first.
_SKELETON_RULES = (
    (re.compile(r"(?:iy|yy|ij|yj|ii|yi)\b"), "y"),  # Zelenskiy, Zelenskyy, Zelenskij -> zelensky
    (re.compile(r"ey\b"), "ei"),                     # Sergey -> Sergei
    (re.compile(r"y\b"), "i"),                       # Zelensky -> zelenski, Yury -> yuri
    (re.compile(r"\biu"), "yu"),                     # Iurii -> yuri
    (re.compile(r"\bju"), "yu"),                     # Jurij -> yuri
    (re.compile(r"ks"), "x"),                        # Aleksei -> alexei
    (re.compile(r"kh"), "h"),                        # Mikhail -> mihail
    (re.compile(r"ph"), "f"),
    (re.compile(r"tch"), "ch"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"dh"), "d"),                        # Kadhafi -> kadafi
    (re.compile(r"q"), "k"),
    (re.compile(r"w"), "v"),                         # Wolodymyr -> volodymyr
    (re.compile(r"([a-z])\1+"), r"\1"),              # Mohammed -> mohamed
)

# Common English short forms of given names (both directions are looked up).
_NICKNAMES = {
    "bill": "william", "will": "william", "billy": "william", "liam": "william",
    "bob": "robert", "rob": "robert", "bobby": "robert", "bert": "robert",
    "mike": "michael", "mick": "michael", "jim": "james", "jimmy": "james", "jamie": "james",
    "joe": "joseph", "joey": "joseph", "tom": "thomas", "tommy": "thomas",
    "dick": "richard", "rick": "richard", "rich": "richard", "ricky": "richard",
    "chuck": "charles", "charlie": "charles", "ted": "edward", "ed": "edward", "eddie": "edward",
    "ned": "edward", "tony": "anthony", "andy": "andrew", "drew": "andrew", "dan": "daniel",
    "danny": "daniel", "dave": "david", "steve": "stephen", "steven": "stephen",
    "chris": "christopher", "matt": "matthew", "pat": "patrick", "pete": "peter",
    "sam": "samuel", "ben": "benjamin", "nick": "nicholas", "alex": "alexander",
    "greg": "gregory", "jeff": "jeffrey", "jerry": "gerald", "larry": "lawrence",
    "ron": "ronald", "don": "donald", "hank": "henry", "harry": "henry", "jack": "john",
    "johnny": "john", "jon": "jonathan", "fred": "frederick", "frank": "francis",
    "ken": "kenneth", "tim": "timothy", "phil": "philip", "ray": "raymond", "walt": "walter",
    "liz": "elizabeth", "beth": "elizabeth", "betsy": "elizabeth", "betty": "elizabeth",
    "lizzie": "elizabeth", "kate": "katherine", "katie": "katherine", "kathy": "katherine",
    "cathy": "catherine", "peggy": "margaret", "maggie": "margaret", "meg": "margaret",
    "sue": "susan", "susie": "susan", "jenny": "jennifer", "jen": "jennifer",
    "becky": "rebecca", "debbie": "deborah", "deb": "deborah", "vicky": "victoria",
    "nancy": "ann", "annie": "ann", "sandy": "sandra", "patty": "patricia", "trish": "patricia",
    "mandy": "amanda", "barb": "barbara", "abby": "abigail",
}


def fold(text: str) -> str:
    """Lower case without diacritics: 'Zelenskyy' stays, 'Đoković' -> 'dokovic'.

    >>> fold("Łukasz Đoković")
    'lukasz dokovic'
    """
    text = text.translate(_UNDECOMPOSABLE)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


_UNDECOMPOSABLE = str.maketrans({
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ı": "i", "ħ": "h", "Ħ": "H",
})


@lru_cache(maxsize=16_384)
def name_key(name: str) -> str:
    """The normalised key of a person's name: no titles, initials, party tags or case.

    A leading run of initials is kept as one token ("J.D. Vance" -> ``jd vance``),
    because dropping it would leave a bare surname.

    >>> name_key("Sen. Elizabeth A. Warren (D-Mass.)")
    'elizabeth warren'
    >>> name_key("Warren, Elizabeth")
    'elizabeth warren'
    >>> name_key("Former Secretary of State Hillary Clinton's")
    'hillary clinton'
    """
    return " ".join(_name_tokens(name))


@lru_cache(maxsize=16_384)
def name_skeleton(name_or_key: str) -> str:
    """A looser key that folds transliteration and spelling variants.

    >>> name_skeleton("Volodymyr Zelenskyy") == name_skeleton("Volodymyr Zelensky")
    True
    >>> name_skeleton("Aleksey Navalny")
    'alexei navalni'
    """
    words = []
    for word in name_key(name_or_key).split():
        word = word.replace("'", "").replace("-", "")
        for pattern, replacement in _SKELETON_RULES:
            word = pattern.sub(replacement, word)
        if word:
            words.append(word)
    return " ".join(words)


def surname_key(name: str) -> str | None:
    """The skeleton of the last word of a name: what similar names are looked up by.

    >>> surname_key("Dr. Elena Korosteleva")
    'korosteleva'
    >>> surname_key("!!!") is None
    True
    """
    skeleton = name_skeleton(name)
    return skeleton.split()[-1][:120] if skeleton else None


def organisation_key(name: str) -> str:
    """Key of an organisation or a named group: words in order, no leading article.

    Titles are not stripped ("Justice Department" keeps Justice).

    >>> organisation_key("The U.S. State Department")
    'us state department'
    """
    text = _NON_WORD.sub(" ", fold(_PARENS.sub(" ", name)))
    words = [w.replace(".", "").replace("'", "").replace("’", "").strip("-") for w in text.split()]
    words = [w for w in words if w]
    while words and words[0] in _ORG_LEADING:
        words.pop(0)
    return " ".join(words)


def group_key(name: str) -> str:
    """Key of a group ("Senate Democrats"); same rules as organisations."""
    return organisation_key(name)


def is_plausible_name(name: str | None) -> bool:
    """Could this be a speaker's name? Not empty, punctuation, emoji, a pronoun or a number.

    >>> [is_plausible_name(n) for n in ("Jane Roe", "he", "🙂🙂", "2016", "--")]
    [True, False, False, False, False]
    """
    if not name or len(name) > 300:
        return False
    stripped = name.strip().strip(".,;:!?\"'“”‘’()[]")
    if fold(stripped) in _PRONOUNS:
        return False
    letters = _LETTER.findall(stripped)
    return len(letters) >= 2


@dataclass(frozen=True, slots=True)
class NameComparison:
    """How alike two name keys are (0-100), and whether that is sure enough to merge."""

    score: float
    certain: bool


#: Name matches at or above this score are offered to editors as a suggested merge.
SUGGEST_MERGE_AT = 85.0


def compare_names(a: str, b: str) -> NameComparison:
    """Compare two person names (or keys).

    Certain only when the names are the same up to transliteration, or one adds
    middle names to the other with the same first name and surname. Typos,
    nicknames and bare surnames are never certain.

    >>> compare_names("Volodymyr Zelenskyy", "Volodymyr Zelensky")
    NameComparison(score=100.0, certain=True)
    >>> compare_names("Bill Clinton", "William Clinton").certain
    False
    >>> compare_names("Hillary Clinton", "Chelsea Clinton").score < SUGGEST_MERGE_AT
    True
    """
    sa, sb = name_skeleton(a).split(), name_skeleton(b).split()
    if not sa or not sb:
        return NameComparison(0.0, False)
    if sa == sb:
        return NameComparison(100.0, True)
    surname = _similarity(sa[-1], sb[-1])
    if len(sa) == 1 or len(sb) == 1:
        # A bare surname could be anyone of that name.
        return NameComparison(round(surname * 0.9, 1), False)
    first = _first_name_similarity(sa[0], sb[0], name_key(a).split()[0], name_key(b).split()[0])
    score = round(0.55 * surname + 0.45 * first, 1)
    shorter, longer = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    certain = (
        sa[0] == sb[0] and sa[-1] == sb[-1] and set(shorter) <= set(longer)
        and len(longer) - len(shorter) <= 1
    )
    return NameComparison(100.0 if certain else min(score, 99.0), certain)


def _first_name_similarity(a: str, b: str, written_a: str, written_b: str) -> float:
    """Skeletons ``a``, ``b``; nicknames are looked up as written ("bill", "william")."""
    if a == b:
        return 100.0
    if _NICKNAMES.get(written_a, written_a) == _NICKNAMES.get(written_b, written_b):
        return 95.0
    if len(a) <= 2 or len(b) <= 2:
        # An initial against a full name: compatible, not the same.
        return 70.0 if a[0] == b[0] else 0.0
    return _similarity(a, b)


@lru_cache(maxsize=16_384)
def _similarity(a: str, b: str) -> float:
    return 100.0 * SequenceMatcher(None, a, b, autojunk=False).ratio()


def _name_tokens(name: str) -> list[str]:
    name = _PARTY_TAG.sub(" ", name)
    name = _PARENS.sub(" ", name)
    name = _swap_comma_form(name)
    raw = _NON_WORD.sub(" ", fold(name)).split()
    tokens: list[str] = []
    for word in raw:
        word = _POSSESSIVE.sub("", word.strip("'’-."))
        if word:
            tokens.append(word)
    tokens = _strip_leading_titles(tokens)
    while len(tokens) > 1 and tokens[-1].replace(".", "") in _SUFFIXES:
        tokens.pop()
    return _drop_middle_initials(tokens)


def _swap_comma_form(name: str) -> str:
    """ "Warren, Elizabeth A." -> "Elizabeth A. Warren"; appositions are left alone."""
    if name.count(",") != 1:
        return name
    last, first = (part.strip() for part in name.split(","))
    if not first or not last or " " in last or len(first.split()) > 2:
        return name
    if not all(word[:1].isupper() for word in first.split()) or not last[:1].isupper():
        return name
    if fold(first.rstrip(".")).replace(".", "") in _SUFFIXES:
        return name
    return f"{first} {last}"


def _strip_leading_titles(tokens: list[str]) -> list[str]:
    start = 0
    seen_title = False
    while start < len(tokens) - 1:
        word = tokens[start].replace(".", "")
        if word in TITLES or tokens[start] in TITLES:
            seen_title = True
        elif not (seen_title and word in _TITLE_LINKS):
            break
        start += 1
    rest = tokens[start:]
    if len(rest) == 1 and rest[0].replace(".", "") in TITLES and (seen_title or len(tokens) == 1):
        return []  # a bare title ("Mr.", "the Senator") names nobody
    return rest


def _drop_middle_initials(tokens: list[str]) -> list[str]:
    leading: list[str] = []
    rest = tokens
    # "j.d." or "j" "d" at the front stay, joined into one token ("jd").
    while len(rest) > 1 and _is_initials(rest[0]):
        leading.append(rest[0].replace(".", ""))
        rest = rest[1:]
    kept = [w.replace(".", "") for w in rest if not _is_initials(w)]
    if not kept and rest:
        kept = [rest[-1].replace(".", "")]
    head = ["".join(leading)] if leading else []
    return [w for w in head + kept if w]


def _is_initials(word: str) -> bool:
    """A single letter, or dotted single letters ("h.w")."""
    parts = word.split(".")
    return all(len(part) == 1 for part in parts if part) and any(parts)
