"""Speaker phrases: titles, kinds, and who "she" or "Korosteleva" is.

Resolution stays inside one article: a surname or a pronoun points back to a
person named earlier, the way a reader follows the story.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .cues import DOCUMENT_NOUNS

__all__ = ["SpeakerPhrase", "parse_speaker", "ArticlePeople", "PRONOUNS"]

PRONOUNS = {
    "he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "it": "n",
    "i": "", "we": "p", "you": "",
}

# Honorifics and ranks written before a name ("Dr.", "Sen.", "Ambassador").
_TITLE_WORDS = frozenset("""
mr mrs ms miss dr sen senator rep representative gov governor lt gen general
col colonel maj major sgt sergeant adm admiral capt captain cmdr prof professor
rev reverend fr father sister brother rabbi imam pope bishop cardinal judge
justice president vice-president vp ambassador commissioner mayor chancellor
minister premier secretary chairman chairwoman chair speaker sheriff officer
detective chief director king queen prince princess sir dame lord lady
councilman councilwoman councillor councilor superintendent inspector
coach attorney delegate assemblyman assemblywoman state former acting
deputy interim first u.s. us sens reps gens supt det
""".split())
_TITLE_PREFIX_RE = re.compile(
    r"^(?:(?:Former|former|Acting|acting|Deputy|deputy|U\.S\.|US|Vice|vice|State|state|"
    r"First|Prime|Attorney|Lt\.|Lieutenant|Chief|Majority|Minority|House|Senate|Foreign|"
    r"Defense|Defence|Interior|Health|Press)\s+)*"
    r"(?:Mr|Mrs|Ms|Miss|Dr|Sens?|Reps?|Gov|Gens?|Col|Maj|Sgt|Adm|Capt|Cmdr|Prof|Rev|Fr|Supt|Det|"
    r"Senator|Representative|Congressman|Congresswoman|Governor|General|Colonel|Major|"
    r"Sergeant|Admiral|Captain|Professor|Reverend|Father|Rabbi|Imam|Pope|Bishop|Cardinal|"
    r"Judge|Justice|President|Ambassador|Commissioner|Mayor|Chancellor|Minister|Premier|"
    r"Secretary(?:\s+of\s+(?:State|Defense|the\s+\w+|\w+))?|Chairman|Chairwoman|Chair|Speaker|"
    r"Sheriff|Officer|Detective|Chief|Director|King|Queen|Prince|Princess|Sir|Dame|Lord|"
    r"Lady|Leader|Councilman|Councilwoman|Councillor|Councilor|Superintendent|Inspector|"
    r"Coach|Attorney\s+General|General|Sen|Nominee|Candidate|CEO)\b\.?\s+(?=[A-Z])")
_PAREN_RE = re.compile(r"\s*\([^)]*\)?")
_NAME_RUN_RE = re.compile(
    r"(?:(?<=\s)|^)((?:[A-Z][\w'\u2019.\-]*|de|la|van|von|del|da|bin|al)"
    r"(?:\s+(?:[A-Z][\w'\u2019.\-]*|de|la|van|von|del|da|bin|al))*)$")

_NAME_ = r"[A-Z][\w'\u2019.\-]*(?:\s+[A-Z][\w'\u2019.\-]*){0,3}"
_NAME_AND_BEFORE_RE = re.compile(r"(?<![\w'\u2019.\-])(" + _NAME_ + r"\s+and\s+)$")
_NAME_PAIR_RE = re.compile(_NAME_ + r"(?:,\s+" + _NAME_ + r")*,?\s+and\s+" + _NAME_)

# Titles and labels that sit inside a capitalised run, before the name.
_INNER_TITLE_RE = re.compile(
    r"(?<=\s)(Gov\.|Sen\.|Rep\.|Governor|Senator|Representative|Mayor|Secretary|Speaker|"
    r"Director|Chairman|Chairwoman|Chair|Congressman|Congresswoman|Judge|Justice|"
    r"Ambassador|Minister|Commissioner|Sheriff|Councillor|Councilman|Councilwoman|"
    r"Spokesman|Spokeswoman|Democrat|Republican)\s+(?=[A-Z])")
_RUN_BREAKERS = frozenset("of for from at with in on to by and the a an".split())

_ORG_WORDS = frozenset("""
department ministry committee campaign party association agency office council
commission court bureau institute foundation center centre group corp corporation
inc company news times post journal network union university administration
service board police army government navy military embassy kremlin pentagon
house white senate congress parliament organization organisation newspaper
magazine website paper report statement study survey poll firm bank fund
league federation team club coalition caucus authority authorities
ministry state-run daily tribune herald gazette cnn nbc cbs abc fox msnbc reuters
ap afp bbc breitbart nato un fbi cia nsa dhs epa gop dnc rnc
""".split())
_GROUP_WORDS = frozenset("""
protesters protestors officials supporters critics democrats republicans
analysts experts residents voters lawmakers members leaders activists
demonstrators crowd crowds people students workers fans observers investigators
prosecutors doctors scientists economists researchers aides advisers advisors
organizers witnesses neighbors neighbours parents teachers families
participants delegates senators others many some both rebels soldiers troops
unions
""".split())
_COLLECTIVES = frozenset("""
community public crowd audience staff family electorate base majority minority
leadership opposition caucus chorus
""".split())
_ANON_RE = re.compile(
    r"^(?:an?|one|another|two|three|several|some)\s|\bsources?\b|\banonymity\b|"
    r"\bunnamed\b|\bofficial\b|\bspokesm[ae]n\b|\bspokeswom[ae]n\b|\bspokesperson\b",
    re.IGNORECASE)
_DESCRIPTION_CUT_RE = re.compile(
    r"\s+(?:speaking|who|which|that|familiar\s+with|close\s+to|said|says|told|on\s+condition)\b.*$",
    re.DOTALL)


@dataclass(frozen=True, slots=True)
class SpeakerPhrase:
    """A speaker phrase taken apart: display name, title and kind."""

    display: str
    title: str | None
    kind: str
    pronoun: str | None = None
    descriptor: str | None = None


_DOC_PREP_RE = re.compile(r"\s+(?:by|from|of|to)\s+")
_DOC_PLURALS = frozenset(w + "s" for w in DOCUMENT_NOUNS)
_PREP_CUT_RE = re.compile(r"\s+(?:of|at|for|from|with|in|on|and\s+(?=[a-z]))\s+")
_DETERMINER_RE = re.compile(r"^(?:the|a|an|one|another|some|two|three|several|many|most|"
                            r"his|her|their|its|our)\s+", re.IGNORECASE)


def _kind_of_description(words: list[str]) -> str:
    for i, w in enumerate(words[1:], 1):
        if w.lower() in ("of", "at", "for", "from", "in", "with", "on", "working", "speaking"):
            if not {x.lower() for x in words[i:]} & {"anonymity", "unnamed", "anonymous"}:
                words = words[:i]
            break
    head = words[-1].lower().strip(".,\u2019'") if words else ""
    lw = {w.lower().strip(".,\u2019'") for w in words}
    first = words[0].lower() if words else ""
    if head in ("sources", "source") or lw & {"anonymity", "unnamed", "anonymous"}:
        return "anonymous"
    if head in _GROUP_WORDS or (head.endswith("s") and not head.endswith(("ss", "us"))
                                and head not in _ORG_WORDS and head != "news"):
        return "group"
    if head in _ORG_WORDS or head in DOCUMENT_NOUNS or head == "page" or (
            lw & _ORG_WORDS and head not in (
            "spokesman", "spokeswoman", "spokesperson", "official", "aide", "adviser")):
        return "organization"
    if first in ("a", "an", "one", "another") or _ANON_RE.search(" ".join(words)):
        return "anonymous"
    if head in _COLLECTIVES:
        return "group"
    return "person"  # "the former harbour master": one person, described


@functools.lru_cache(maxsize=4096)
def parse_speaker(phrase: str) -> SpeakerPhrase:
    """Split a speaker phrase as written into display name, title and kind.

    >>> parse_speaker("Dr. Elena Korosteleva")
    SpeakerPhrase(display='Elena Korosteleva', title='Dr.', kind='person', pronoun=None, descriptor=None)
    """
    raw = _PAREN_RE.sub("", phrase).strip().strip(",.;:")
    low = raw.lower()
    if low in PRONOUNS:
        return SpeakerPhrase(raw, None, "unknown", pronoun=low)
    title = None
    rest = raw
    m = _TITLE_PREFIX_RE.match(raw)
    if m and not (m.group().strip() == "General" and len(raw[m.end():].split()) == 1):
        # (but "General Motors" is a company, not a general named Motors)
        title = m.group().strip()
        rest = raw[m.end():]
    words = rest.split()
    if not words:
        return SpeakerPhrase(raw, title, "unknown")
    if words[0][0].islower() or _DETERMINER_RE.match(rest):
        # A description: "a senior U.S. diplomat speaking on condition ...".
        cut = _DESCRIPTION_CUT_RE.sub("", rest).strip() or rest
        det = _DETERMINER_RE.match(cut)
        body = cut[det.end():] if det else cut
        bwords = body.split()
        pre = _DOC_PREP_RE.split(body, 1)[0].split()
        if len(pre) < len(bwords) and pre and pre[-1].lower() in DOCUMENT_NOUNS | _DOC_PLURALS:
            # "a projection by the consulting firm X": the document is the
            # speaker; the phrase as written names it and its source.
            return SpeakerPhrase(cut, title, "organization")
        run = _NAME_RUN_RE.search(body)
        if (det and det.group().strip().lower() == "the" and run and run.group(1) == body
                and bwords):
            # "the Daily News", "the State Department": a named organisation.
            return SpeakerPhrase(cut, title, "organization")
        before_run = body[: len(body) - len(run.group(1))].split() if run else []
        while before_run and before_run[-1].lower() in ("the", "a", "an"):
            before_run.pop()  # "critics in the United States"
        if before_run and before_run[-1].lower() in ("for", "of", "to", "from", "at", "with", "by",
                                                     "in", "on", "inside", "near", "within",
                                                     "outside", "behind", "about"):
            # "a spokesman for Senator Ana Ruiz": the speaker is the spokesman.
            return SpeakerPhrase(cut, title, _kind_of_description(cut.split()))
        if run and run.group(1) != body and bwords and bwords[-1][0].isupper() and \
                len(run.group(1).split()) >= 2 and not ({w.lower() for w in run.group(1).split()}
                                                        & _ORG_WORDS):
            # "campaign manager Robby Mook": a person with a descriptor.
            name = run.group(1).strip()
            kind = "person"
            both = _NAME_AND_BEFORE_RE.search(body, 0, len(body) - len(run.group(1)))
            if both:
                # "economists Ana Ruiz and Tomas Varga": both of them.
                name, kind = both.group(1) + name, "group"
            descriptor = cut[: len(cut) - len(name)].strip()
            tm = _TITLE_PREFIX_RE.match(name)
            if tm and not title:
                # "chief executive Dr. Amara Okafor": the title sits inside the run.
                title, name = tm.group().strip(), name[tm.end():]
            return SpeakerPhrase(name, title, kind, descriptor=descriptor or None)
        return SpeakerPhrase(cut, title, _kind_of_description(cut.split()))
    end_run = _NAME_RUN_RE.search(rest)
    if end_run and end_run.start(1) > 0:
        before = rest[: end_run.start(1)].split()
        if len(end_run.group(1).split()) >= 2 and before and before[-1][:1].islower() and \
                before[-1].lower() not in _RUN_BREAKERS and \
                not any(w.lower() in _RUN_BREAKERS and w != "for" for w in before):
            # "Fight for Ports organizing director Tomas Varga": the name that
            # ends the phrase, after its lower-case descriptor.
            return SpeakerPhrase(end_run.group(1).strip(), title, "person",
                                 descriptor=" ".join(before))
    # Cut "David Sandalow of Columbia University" at the preposition.
    main, tail = rest, ""
    pm = _PREP_CUT_RE.search(rest)
    if pm and pm.start() > 0 and rest[pm.start() - 1] != "." and rest[: pm.start()].split()[-1][0].isupper():
        main, tail = rest[: pm.start()], rest[pm.start():].strip()
    inner = None
    for inner in _INNER_TITLE_RE.finditer(main):
        pass  # the last one: "Senate Intelligence Ranking Democrat Dianne Feinstein"
    if inner is not None and inner.start() > 0 and not title:
        name = main[inner.end():].strip()
        if 2 <= len(name.split()) <= 4 and all(w[:1].isupper() for w in name.split()):
            # "New Jersey Gov. Chris Christie", "Springfield Mayor Ana Berki":
            # the name after a place or office and a title.
            word = inner.group(1)
            honorific = word.rstrip(".").lower() in _TITLE_WORDS
            before = main[: inner.start()].strip() if honorific else main[: inner.end()].strip()
            descriptor = " ".join(x for x in (before, tail) if x) or None
            return SpeakerPhrase(name, word if honorific else None, "person",
                                 descriptor=descriptor)
    mwords = main.split()
    pair = _NAME_PAIR_RE.fullmatch(main)
    if pair:
        # "Ana Ruiz and Tomas Varga", "Ruiz, Varga and Berki": they speak together.
        return SpeakerPhrase(main, title, "group", descriptor=tail or None)
    run = _NAME_RUN_RE.search(main)
    run_text = run.group(1).strip() if run else ""
    lw = {w.lower().strip(".,\u2019'") for w in mwords}
    if run_text and run_text != main.strip():
        # "Republican presidential nominee Donald Trump" -> Donald Trump.
        descriptor = (main[: len(main) - len(run_text)].strip() + (" " + tail if tail else "")).strip()
        return SpeakerPhrase(run_text, title, "person", descriptor=descriptor or None)
    last = mwords[-1].lower().strip(".,")
    if lw & _ORG_WORDS and not title:
        return SpeakerPhrase(main, title, "organization", descriptor=tail or None)
    if last in _GROUP_WORDS:
        return SpeakerPhrase(main, title, "group", descriptor=tail or None)
    return SpeakerPhrase(main, title, "person", descriptor=tail or None)


_NOT_FIRST_NAMES = frozenset("""
The A An In On At For And But Of To By With From As It This That He She They We
Former President Sen Senator Rep Gov Governor Secretary Mr Mrs Ms Dr Republican
Democratic Democrat United New North South East West Prime Minister White House
Supreme Court Capitol Attorney General Vice Chief Justice Judge State General
After Before When While If Since Under Over Speaker Majority Minority Leader
Mayor Ambassador Commissioner Professor Officials Police American Americans
Washington Senate Congress Department Donald Hillary Bernie Trump Clinton
January February March April May June July August September October November
December Monday Tuesday Wednesday Thursday Friday Saturday Sunday
Said Says Added Asked Wrote Here's Here’s There's There’s
""".split()) - {"Donald", "Hillary", "Bernie"}
_NAME_WINDOW = 50_000
_KNOWN_FIRST = frozenset(("Donald", "Hillary", "Bernie"))
# One to three capitalised words (or initials) right before a surname.
# (Same as r"(?<![\w.'’-])((?:[A-Z][a-z'’\-]+\s+|[A-Z]\.\s+){1,3})$", written
# to open with the capital, the look-behind after it: a faster scan.)
_NAMES_BEFORE_RE = re.compile(
    r"([A-Z](?<![\w.'\u2019-].)(?:[a-z'\u2019\-]+\s+|\.\s+)"
    r"(?:[A-Z][a-z'\u2019\-]+\s+|[A-Z]\.\s+){0,2})$")


def _names_before(text: str, at: int) -> re.Match | None:
    """``_NAMES_BEFORE_RE.search(text, max(0, at - 60), at)``, searched from
    the third word before ``at`` only: each of its one to three words ends at
    white space, so it cannot start earlier (and trying every position of
    the window, with its backtracking, was what this cost)."""
    lo = max(0, at - 60)
    window = text[lo:at]
    head = window.rstrip()
    if len(head) == len(window):
        return None  # it ends in white space
    parts = head.rsplit(None, 3)
    if len(parts) == 4:
        rest = head[len(parts[0]):]
        lo += len(parts[0]) + len(rest) - len(rest.lstrip())
    return _NAMES_BEFORE_RE.search(text, lo, at)


_FEMALE_TITLES = ("Mrs", "Ms", "Miss", "Madam", "Dame", "Queen", "Princess", "Lady", "Sister")
_MALE_TITLES = ("Mr", "Sir", "King", "Prince", "Lord", "Father", "Brother")


_CAP_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019-]*")


def _in_headline(text: str, at: int) -> bool:
    """Whether ``at`` sits in a short title-case line (a headline)."""
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    words = _CAP_WORD_RE.findall(text, a, b if b >= 0 else len(text))
    return 3 <= len(words) <= 30 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


class ArticlePeople:
    """People named in one article, for surname and pronoun resolution."""

    __slots__ = ("_text", "_full", "_recent", "_gender")

    def __init__(self, text: str) -> None:
        self._text = text
        self._full: dict[str, tuple[int, str | None, int, int]] = {}
        self._recent: list[tuple[str, str]] = []  # (display, kind)
        self._gender: dict[str, str] = {}

    def _first_full_mention(self, surname: str, lo: int, hi: int,
                            budget: int) -> tuple[int, str | None, int]:
        """Where the article first names ``surname`` with a first name, looking
        at occurrences that start in ``[lo, hi)``; also the budget left."""
        text = self._text
        i = text.find(surname, lo, hi + len(surname))
        while i >= 0 and budget > 0:
            budget -= 1
            end = i + len(surname)
            if (i == 0 or not text[i - 1].isalnum()) and (
                    end >= len(text) or not text[end].isalnum()):
                m = _names_before(text, i)
                if m and len(m.group(1).split()) > 1 and _in_headline(text, i):
                    m = None  # "Move Against Bernie Sanders": a title-case headline
                if m:
                    words = m.group(1).split()
                    start = m.start(1)
                    # "Mayor Ingrid Halvorsen", "Councillor Tomas Brennick":
                    # the name is what follows the title.
                    while words and (words[0] in _NOT_FIRST_NAMES or words[0].lower().rstrip(".")
                                     in _TITLE_WORDS) and words[0] not in _KNOWN_FIRST:
                        start += len(words[0]) + 1
                        words = words[1:]
                    if words and words[0][0].isupper() and words[0] not in _NOT_FIRST_NAMES:
                        return start, " ".join(words + [surname]), budget
            i = text.find(surname, end, hi + len(surname))
        return -1, None, budget

    def full_name(self, name: str, before: int) -> str:
        """"Korosteleva" -> "Elena Korosteleva" when named in full earlier."""
        if " " in name or not name:
            return name
        # Per surname: (position of the first full mention, its text, how far
        # the text has been searched, occurrences we may still examine) - a
        # first name comes early if at all, so the search is bounded.
        # Only the last _NAME_WINDOW characters are searched: a whole article
        # for news, and bounded work on a giant text.
        pos, full, searched, budget = self._full.get(
            name, (-1, None, max(0, before - _NAME_WINDOW), 100))
        if full is None and before > searched and budget > 0:
            pos, full, budget = self._first_full_mention(name, searched, before, budget)
            self._full[name] = (pos, full, before, budget)
        if full is not None and pos < before:
            return full
        return name

    def note(self, display: str, kind: str, *, title: str | None = None,
             pronoun: str | None = None) -> None:
        """Remember a resolved speaker (most recent last)."""
        if title:
            t = title.rstrip(".")
            if t in _FEMALE_TITLES:
                self._gender[display] = "f"
            elif t in _MALE_TITLES:
                self._gender[display] = "m"
        if pronoun in ("m", "f"):
            self._gender.setdefault(display, pronoun)
        if self._recent and self._recent[-1] == (display, kind):
            return  # (the most recent already; each speaker is listed once)
        self._recent = [r for r in self._recent if r[0] != display]
        self._recent.append((display, kind))
        if len(self._recent) > 8:
            self._recent.pop(0)

    def gender(self, display: str) -> str | None:
        """"m", "f" or None, from titles and pronouns seen so far."""
        return self._gender.get(display)

    def resolve_pronoun(self, pronoun: str) -> str | None:
        """Most recent speaker that the pronoun can refer to."""
        g = PRONOUNS.get(pronoun, "")
        if g in ("m", "f"):
            for display, kind in reversed(self._recent):
                if kind == "person" and self._gender.get(display, g) == g:
                    return display
            return None
        if g == "n":
            for display, kind in reversed(self._recent):
                if kind == "organization":
                    return display
            return None
        if g == "p":
            for display, kind in reversed(self._recent):
                if kind in ("group", "organization"):
                    return display
        return None
