"""Reporting verbs and the attribution patterns that surround a quote.

Works on a *masked* copy of the article in which quoted content is blanked
out (same length, same offsets), so a reporting verb inside a quote is never
mistaken for the cue, and sentence boundaries are only looked for in the
reporter's own words.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

__all__ = ["Cue", "REPORTING_VERBS", "plausible_speaker", "dash_byline", "headline_subject", "according_after",
           "sentence_subject", "cue_after", "cue_before", "sentence_start",
           "sentence_end", "MASK"]

MASK = "\x00"

_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing", "written"),
    "speak": ("speaks", "spoke", "speaking"),
    "sing": ("sings", "sang", "singing"),
    "go on": ("goes on", "went on", "going on"),
    "put it": ("puts it", "put it", "putting it"),
    "read": ("reads", "read", "reading"),
    "cry": ("cries", "cried", "crying"),
    "reply": ("replies", "replied", "replying"),
    "testify": ("testifies", "testified", "testifying"),
    "quip": ("quips", "quipped", "quipping"),
    "snap": ("snaps", "snapped", "snapping"),
    "admit": ("admits", "admitted", "admitting"),
    "chime in": ("chimes in", "chimed in", "chiming in"),
    "hit back": ("hits back", "hit back", "hitting back"),
    "shoot back": ("shoots back", "shot back", "shooting back"),
    "fire back": ("fires back", "fired back", "firing back"),
    "point out": ("points out", "pointed out", "pointing out"),
    "wonder aloud": ("wonders aloud", "wondered aloud", "wondering aloud"),
    "set out": ("sets out", "set out", "setting out"),
}

# Regular reporting verbs (lemma); inflections are generated once below.
_REGULAR = """
add explain note observe argue warn insist post tweet continue ask call
describe state declare conclude recall respond remark acknowledge announce
answer assert claim comment complain concede confirm contend counter demand
deny emphasize emphasise exclaim joke lament maintain mention muse predict
pledge promise proclaim recount reiterate remind report retort reveal scream
shout chant stress suggest urge vow whisper yell boast brag charge grumble
mutter opine repeat speculate summarize tout caution thunder fume gush
hint plead pronounce rail rant scoff sneer text email message blog
affirm announce assure complain confide disclose elaborate estimate
fret groan huff interject marvel mock object protest query question reassure
recommend rejoin remark retort sigh stammer surmise taunt tease underscore
implore inform insist instruct lecture mourn murmur nod praise quote relate
reply swear tweet toast wail worry begin agree disagree echo concur recount start
remember confess chide scold sum offer
vent bark press riff retweet wonder boom grouse beam gloat react blare ponder jeer
exhort
""".split()


def _inflect(lemma: str) -> tuple[str, ...]:
    if lemma.endswith("e"):
        return lemma + "s", lemma + "d", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    if lemma.endswith(("sh", "ch", "ss", "x")):
        return lemma + "es", lemma + "ed", lemma + "ing"
    return lemma + "s", lemma + "ed", lemma + "ing"


def _forms() -> dict[str, str]:
    forms: dict[str, str] = {}
    for lemma, infl in _IRREGULAR.items():
        forms[lemma] = lemma
        for f in infl:
            forms[f] = lemma
    for lemma in _REGULAR:
        forms[lemma] = lemma
        for f in _inflect(lemma):
            forms.setdefault(f, lemma)
    for f in _NOUN_FORMS:
        del forms[f]
    return forms


# Forms of speaking verbs that are nouns or adjectives in news copy ("press
# secretary", "a pressing issue"): never cues.
_NOUN_FORMS = frozenset("press presses pressing beam beams".split())


#: every reporting-verb form -> its lemma ("told" -> "tell")
REPORTING_VERBS: dict[str, str] = _forms()

# Forms that are nouns or adjectives far more often than verbs: only used
# as cues right next to the quote or in the inverted "..., says X" order.
_WEAK = frozenset({
    "call", "calls", "post", "posts", "text", "texts", "email", "emails",
    "message", "messages", "blog", "comment", "comments", "note", "notes",
    "answer", "question", "report", "reports", "quote", "quotes", "charge",
    "charges", "state", "states", "claim", "claims", "promise", "promises",
    "counter", "object", "nod", "toast", "worry", "query", "demand", "demands",
    "read", "reading", "speaking", "writing", "written", "continue", "begin",
    "protest", "mock", "sigh", "rail", "reflect", "estimate", "joke", "tease",
    "question", "relate", "message", "hint", "plead", "swear", "start", "starts", "started",
    "starting", "wonder", "wonders", "boom", "booms", "vent", "vents", "bark", "barks",
    "jeer", "jeers",
})

_SINGLE_FORMS = frozenset(v for v in REPORTING_VERBS if " " not in v) - {"message", "messages"}
_PARTICLE_VERBS = {v.split()[0]: v.split()[1] for v in REPORTING_VERBS if " " in v}
# (Same as r"(?<![\w'’-])[a-z]+(?![\w'’-])", written to open with a
# character class, the look-behind moved past the first letter: the regex
# engine then skips to candidates instead of trying the look-behind everywhere.)
_LOWER_WORD_RE = re.compile(r"[a-z](?<![\w'\u2019-][a-z])[a-z]*(?![\w'\u2019-])")
_PARTICLE_RE = re.compile(r"\s+([a-z]+)\b")
_ACCORDING_RE = re.compile(r"\b(?:according\s+to|in\s+the\s+words\s+of)\s+", re.IGNORECASE)
_IN_WHOSE_WORDS_RE = re.compile(
    r"\b[Ii]n\s+((?:[Tt]he\s+)?(?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)['\u2019]s?\s+"
    r"(?:own\s+)?words[,:]?\s*$")

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr sen sens rep reps gov gen lt col maj sgt adm capt cmdr cpl prof rev
st jr sr u.s u.k u.n e.u inc corp co ltd no vs v p.m a.m jan feb mar apr aug
sept sep oct nov dec calif fla ill mass mich minn ore penn tenn tex va wash
wis ariz colo conn ind kan ky la md mo mont neb nev okla pa ala ark del ga
miss d.c n.y n.j ft mt gens supt det insp sgts fr msgr
""".split())
# A . ! or ? (and closing marks) before white space and a word that is not
# lower-case, or a line break; written to open with one character class,
# which the regex engine scans for much faster than for an alternation.
_BOUNDARY_RE = re.compile(r"[.!?\n](?:(?<=\n)|[\"'\u201d\u2019)\]]*(?=\s+[^\sa-z]))")
_INITIALS_RE = re.compile(r"^(?:[a-z]\.)+[a-z]$")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)\.$")


def _is_boundary(masked: str, m: re.Match) -> bool:
    if m.group() == "\n":
        return True
    if masked[m.start()] != ".":
        return True
    # "Sen. Warren", "J. Smith" and "U.S." are not sentence ends.
    w = _WORD_BEFORE_RE.search(masked, max(0, m.start() - 12), m.start() + 1)
    if not w:
        return True
    word = w.group(1).lower()
    if word in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha() or _INITIALS_RE.match(word):
        return False
    return True


# Sentence boundaries of the last masked text seen, found in one pass: the
# look-ups below are then bisections (the text is immutable, so identity is
# a safe cache key).
_boundary_cache: tuple[str, list[int], list[int], list[int]] | None = None


def _boundaries(masked: str) -> tuple[list[int], list[int], list[int]]:
    global _boundary_cache
    cache = _boundary_cache
    if cache is not None and cache[0] is masked:
        return cache[1], cache[2], cache[3]
    starts: list[int] = []
    ends: list[int] = []
    stops: list[int] = []
    for m in _BOUNDARY_RE.finditer(masked):
        # (_is_boundary, inline: this runs for every line and full stop)
        a, b = m.span()
        c = masked[a]
        if c == "." and a and (masked[a - 1].isalnum() or masked[a - 1] in "._"):
            # (_WORD_BEFORE_RE needs a word character or a stop right before.)
            w = _WORD_BEFORE_RE.search(masked, max(0, a - 12), a + 1)
            if w:
                word = w.group(1).lower()
                if word in _ABBREVIATIONS or len(word) == 1 and word.isalpha() or \
                        _INITIALS_RE.match(word):
                    continue
        starts.append(a)
        ends.append(b)
        stops.append(a if c == "\n" else b)
    _boundary_cache = (masked, starts, ends, stops)
    return starts, ends, stops


_UNSEEN = object()


def _memo_per_text(fn):
    """Memoise ``fn(masked, *args)`` for the last masked text seen: the same
    look-ups recur for the quotes of one sentence (pure functions only; each
    call keeps the table of its own text, so concurrent texts never mix)."""
    last: list = [None]

    @functools.wraps(fn)
    def memoised(masked: str, *args):
        table = last[0]
        if table is None or table[0] is not masked:
            table = last[0] = (masked, {})
        hit = table[1].get(args, _UNSEEN)
        if hit is _UNSEEN:
            hit = table[1][args] = fn(masked, *args)
        return hit

    return memoised


# Below this size a local scan around each quote is cheaper than indexing
# every boundary of the text.
_INDEX_SENTENCES_FROM = 100_000


def sentence_start(masked: str, pos: int, floor: int) -> int:
    """Start of the sentence holding ``pos`` (never before ``floor``)."""
    lo = max(floor, pos - 600)
    if len(masked) < _INDEX_SENTENCES_FROM:
        last = lo
        # Search a little past ``pos`` so the look-ahead can see the next word.
        for m in _BOUNDARY_RE.finditer(masked, lo, min(len(masked), pos + 3)):
            if m.end() > pos:
                break
            if _is_boundary(masked, m):
                last = m.end()
        return last
    cache = _boundary_cache  # (the look-up of _boundaries, inline: this runs per quote)
    ends = cache[2] if cache is not None and cache[0] is masked else _boundaries(masked)[1]
    i = bisect.bisect_right(ends, pos) - 1
    if i >= 0 and ends[i] >= lo:
        return ends[i]
    return lo


def sentence_end(masked: str, pos: int, ceiling: int) -> int:
    """End of the sentence holding ``pos`` (never after ``ceiling``)."""
    if len(masked) < _INDEX_SENTENCES_FROM:
        for m in _BOUNDARY_RE.finditer(masked, pos, ceiling):
            if _is_boundary(masked, m):
                return m.end() if m.group() != "\n" else m.start()
        return ceiling
    cache = _boundary_cache
    if cache is not None and cache[0] is masked:
        _, starts, ends, stops = cache
    else:
        starts, ends, stops = _boundaries(masked)
    i = bisect.bisect_left(starts, pos)
    if i < len(starts) and ends[i] <= ceiling:
        return stops[i]
    return ceiling


@dataclass(slots=True)
class Cue:
    """An attribution found next to a quote.

    ``speaker`` is the span of the speaker phrase (or None when the verb has
    no subject of its own, e.g. a participle), ``role`` an appositive span.
    ``tight`` means the cue sits directly against the quote ("…,” she said").

    Never changed once made (``dataclasses.replace`` makes another), but not
    frozen: a frozen dataclass takes four times as long to build, and the
    extractor builds tens of thousands on a long text.
    """

    verb: str
    verb_span: tuple[int, int]
    speaker: tuple[int, int] | None
    role: tuple[int, int] | None
    tight: bool
    after: bool
    subject_only: bool = False


# Words that may sit between a subject and its verb ("Smith also said").
_AUX = frozenset("""
also later then has had have would will could once previously again further
recently repeatedly simply just quickly finally earlier often frequently
famously reportedly publicly privately angrily flatly bluntly candidly
told has
""".split())
# Words that open a clause before its subject; dropped from the left of an NP.
_LEADERS = frozenset("""
and but as so yet when while because though although if since meanwhile
however still also now later earlier then indeed instead after before in
on at by with what where how why whom that which who than or nor for
""".split())
# Where a speaker phrase stops: punctuation, a dash, a relative pronoun, a
# time, a place or a verb. (Same as r",|;|:|\(|\)|\s[—–―]\s|\s-\s|…", each
# alternative after white space written after one shared class for the first
# character, the look-behinds moved past it: the regex engine then skips to
# candidates instead of trying every alternative at every position.)
_NP_STOP_RE = re.compile(
    r"[,;:()\s](?:(?<=[,;:()])|(?<=\s)(?:[\u2014\u2013\u2015]\s|-\s|--\s|who\s|which\s|whose\s"
    r"|speaking\s|who$|in\sa\sstatement|in\san\s|on\s|during\s"
    r"|at\sa\s|at\sthe\s|(?<!\b[Aa]\s)(?<!\b[Aa]n\s)(?<!\b[Tt]he\s)(?<!\b[Tt]his\s)(?<!\b[Ll]ast\s)"
    r"(?:on\s)?(?:Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday)\b|in\s(?:an?\s)?(?:interview|statement|email|"
    r"e-mail|speech|letter|post|tweet|press)|this\s+week|last\s+week"
    r"|(?:yesterday|today|tonight)\b"
    r"|(?:as|when|while|after|before|because|during|to|about|with|in|at|on|from|"
    r"outside|near|told|said|says|adding|saying|noting)\s))")
_WORD_RE = re.compile(r"\S+")
_TIME_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday yesterday today
tonight recently earlier later this last week month year morning afternoon
evening night in a an interview statement on the reporters told him her them
""".split())


def _trim(masked: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (masked[a].isspace() or masked[a] in ",;:\u2014\u2013\u2015-"):
        a += 1
    while b > a and (masked[b - 1].isspace() or masked[b - 1] in ",;:.\u2014\u2013\u2015-"):
        b -= 1
    return a, b


_ROLE_STOP_RE = re.compile(r",\s|;|\s[\u2014\u2013\u2015]\s")


def _np_forward(masked: str, a: int, b: int) -> tuple[tuple[int, int] | None,
                                                      tuple[int, int] | None]:
    """Speaker phrase starting at ``a`` (inverted "said Smith, a ...")."""
    a, b = _trim(masked, a, b)
    if a >= b or MASK in masked[a:b]:
        b2 = masked.find(MASK, a, b)
        if b2 == a:
            return None, None
        if b2 > 0:
            a, b = _trim(masked, a, b2)
    stop = _NP_STOP_RE.search(masked, a, b)
    if stop and stop.start() == a:
        return None, None
    np_end = stop.start() if stop else b
    np_a, np_b = _trim(masked, a, np_end)
    if np_a >= np_b:
        return None, None
    role = None
    if stop and masked[stop.start()] == ",":
        r_a, r_end = stop.end(), b
        r_stop = _ROLE_STOP_RE.search(masked, r_a, b)
        if r_stop:
            r_end = r_stop.start()
        r_a, r_b = _trim(masked, r_a, r_end)
        if r_b > r_a:
            role = (r_a, r_b)
    return (np_a, np_b), role


# (Same as r"[;:—–―()\[\]]|\s--\s|\s-\s|,", opening with one character class.)
_CLAUSE_BREAK_RE = re.compile(r"[;:\u2014\u2013\u2015()\[\],\s](?:(?<=\s)--?\s|(?<!\s))")

# Lower-case words that can sit inside a subject noun phrase.
_NP_FUNCTION = frozenset("""
the a an one some many most several two three four five six his her their its
our my your this that these those both another each other former top senior
chief deputy acting longtime then no of
""".split())
# Lower-case words that cannot: verbs, auxiliaries, conjunctions, prepositions.
_NOT_NP = frozenset("""
is was are were be been being has have had will would can could should may
might must do does did not never also still even just only that which who
whom whose what when where why how and but or nor so yet if as than because
while although though since until unless after before about above across
against along among around at by during for from in into like near on onto
over through to toward towards under upon with within without there here
it he she they we i you him them us me very really already always then now
later once again soon however too much more less made make makes took take
takes got get gets went go goes came come comes gave give gives put puts
""".split())
_PRONOUN_SUBJECTS = frozenset("he she they it we i you who".split())


_DETERMINERS = frozenset("""
the a an his her their its our my your this that these those one another some many
most several two three four five both each every no any
""".split())
_NOT_SPEAKER_HEADS = frozenset("""
time times past future year years week weeks month months day days ago night morning
way case point fact end part kind lot number rest thing things moment
latest hours
""".split())


@functools.lru_cache(maxsize=4096)  # pure, and the same few phrases recur
def plausible_speaker(phrase: str) -> bool:
    """Whether a phrase can be who spoke: "the mayor", "Ana Ruiz", "officials" -
    not "the time", "arranging calls" or "said his"."""
    words = [w.strip(",.;:()\"\u201c\u201d") for w in phrase.split()]
    words = [w for w in words if w]
    if not words:
        return False
    low = [w.lower() for w in words]
    if low[0] in _PRONOUN_SUBJECTS:
        return len(words) == 1
    if any(w.endswith(("'ve", "\u2019ve", "'re", "\u2019re", "'ll", "\u2019ll")) for w in low):
        return False
    if low[-1].endswith(("'s", "\u2019s", "s'", "s\u2019")) or low[0] in _SUBORDINATORS \
            or low[0] in ("was", "is", "were", "are", "immediately"):
        return False  # "the network's", "For example": not a speaker
    if words[-1][0].islower() and len(low[-1]) > 4 and low[-1].endswith(
            ("ed", "ing", "ous", "ful")):
        return False  # "an unprompted", "the winning": an adjective, not who
    if low[-1] in _NOT_SPEAKER_HEADS and not (words[-1] == "Times" and len(words) > 1) or \
            low[-1] in _WHEN_WORDS or \
            low[0] in _WHEN_WORDS or \
            low[-1] in _NP_FUNCTION and low[-1] != "one":
        return False
    if words[0][0].islower() and low[0] not in _SUBJECT_OPENERS and low[0] not in _DETERMINERS \
            and not (len(words) >= 3 and words[-1][0].isupper() and words[-2][0].isupper()):
        return False  # but "campaign manager Robby Mook" is fine
    for i, w in enumerate(low[1:], 1):
        if w in _NOT_NP and words[i][0].islower() and \
                w not in ("of", "at", "for", "in", "on", "from", "and", "to") and \
                not (w == "by" and (low[i - 1].rstrip("s") in DOCUMENT_NOUNS
                                    or low[i - 1] in _RECORD_PARTICIPLES)) and \
                not (w == "with" and low[i - 1] in ("familiar", "associated", "connected")):
            # (but "a source familiar with the talks" speaks)
            return False  # but "a study by two economists" speaks
        if w.endswith("ing") and len(w) > 5 and not w.startswith(("king", "wing")):
            # "an engineer working on the project" is a speaker; "his
            # fundraising emails" or "future paid speaking" are not.
            i = low.index(w)
            if not (0 < i < len(low) - 1 and low[i + 1] in ("on", "for", "at", "in", "with")
                    and low[i - 1] not in _DETERMINERS):
                return False
    return True


@functools.lru_cache(maxsize=8192)  # pure; the same words recur in every phrase
def _word_ok(word: str) -> bool:
    w = word.strip(",.\u2019'\"")
    if not w:
        return False
    if w[0].isupper() or w[0].isdigit():
        return True
    low = w.lower()
    if low in _NP_FUNCTION:
        return True
    if low in _NOT_NP or low.endswith("ly") or MASK in w:
        return False
    return True


_WHEN_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday yesterday today tonight
week month year night morning afternoon evening weekend january february march
april june july august september october november december earlier
""".split())
_NP_PREPOSITIONS = frozenset("of for from at with in on".split())
_LY_NOUNS = frozenset("ally family rally assembly supply july italy anomaly monopoly".split())


def _time_phrase(seg: str) -> bool:
    """ "Just last week", "Hours later", "Two days ago": when, not who."""
    words = seg.lower().split()
    return 0 < len(words) <= 4 and (
        words[-1] in ("ago", "later", "earlier", "afterward", "afterwards")
        or words[-1] in _WHEN_WORDS and words[0] in ("just", "only", "last", "earlier",
                                                     "late", "early", "this", "that"))


# Endings of the words before a verb that close an appositive or an aside
# (",", ",”" before a masked quote, "--", "—", "–").
_ROLE_CLOSERS = (",", ",\u201d", ",\"", "-", "\u2014", "\u2013")
_RELATIVE_APPOS_RE = re.compile(r"[A-Za-z.],\s+(?:who|which)\s+[^,]*$")


@_memo_per_text
def _np_backward(masked: str, a: int, b: int) -> tuple[tuple[int, int] | None,
                                                       tuple[int, int] | None]:
    """Speaker phrase ending at ``b`` ("Smith, the mayor, [said]")."""
    a = max(a, b - 300)  # a subject with its appositives never runs longer
    w = masked.find(" who ", a, b)
    if w > a and not _STOP_CHARS_RE.search(masked, w, b) and \
            masked[w + 5:b].strip()[:1].islower() and \
            not _WHO_QUESTION_RE.search(masked, max(a, w - 12), w) and \
            not _SUBCLAUSE_RE.search(masked, w + 5, b) and \
            not _CLAUSE_BREAK_RE.search(masked, w, b):
        # (but not "grew heated over who backed which bill that Gov. Roe [said]",
        # nor "People who backed it sounded equivocal: Ana Ruiz [called]": a
        # new clause after the colon)
        # "Another Muslim who worshiped there and who did not want to be named
        # said": the subject is the noun phrase the relative clause hangs on.
        sp, role = _np_backward(masked, a, w)
        if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
            m = _NAME_BEFORE_COMMA_RE.search(masked, max(a, sp[0] - 60), sp[0])
            if m and m.end() == sp[0] and not masked[a:m.start(1)].strip() and \
                    masked[sp[0]:sp[0] + 1].islower():
                # "Tomas Varga, the polling guru who founded the site [said]":
                # the name, whose appositive lost its closing comma.
                return m.span(1), _trim(masked, sp[0], b)
            return sp, _trim(masked, w + 1, b)
    # Drop auxiliaries and adverbs between subject and verb.
    # (Usually the word before the verb is none of those, and only where it
    # ends is needed: read it with rsplit - same white space as \s - and
    # list the words only when some may be dropped.)
    head = masked[a:b].rstrip()
    if not head:
        return None, None
    if not _could_name(head) and not head.endswith(_ROLE_CLOSERS):
        # Marks and punctuation only (common between stray quote marks): no
        # phrase, as every path below wants a letter for one (" who ", a
        # lower-case word to recurse on, an alphabetic character in the
        # result); and no role either, without a comma or a dash at the end
        # to close an appositive or an aside.
        return None, None
    raw = head.rsplit(None, 1)[-1]
    last = raw.lower().strip(",")
    if not (last in _AUX or last.endswith("ly") or last in _WHEN_WORDS or last == "ago"):
        b = a + len(head)  # (the loop below would keep this word: none of its tests holds)
    else:
        words = [m.span() for m in _WORD_RE.finditer(masked, a, b)]
        while words:
            raw = masked[words[-1][0]:words[-1][1]]
            last = raw.lower().strip(",")
            if raw.endswith(",") and last in _WHEN_WORDS and len(words) > 2 and (
                    _RELATIVE_APPOS_RE.search(masked, words[0][0], words[-1][0])
                    or _NAME_COMMA_IN_RE.match(masked, words[0][0], words[-1][0])):
                # "Ruiz, who was in Oslo this week, said", "Varga, in a speech in
                # Salem on Tuesday night, said": the appositive closes here
                break
            if last in _AUX or last.endswith("ly") and len(last) > 4 and last not in _LY_NOUNS \
                    and raw[:1].islower() or last in _WHEN_WORDS:  # but not "Kelly"
                words.pop()
                # "on Tuesday", "last week", "in April": when, not who.
                while words and masked[words[-1][0]:words[-1][1]].lower() in (
                        "on", "in", "last", "this", "next", "early", "late", "that"):
                    words.pop()
                continue
            if last == "ago" and len(words) > 2:
                # "The ministry less than two weeks ago [said]": when, not who.
                words.pop()
                n = 0
                while words and n < 4 and masked[words[-1][0]:words[-1][1]].lower() in _AGO_WORDS:
                    words.pop()
                    n += 1
                continue
            break
        if not words:
            return None, None
        b = words[-1][1]
    role = None
    text = masked[a:b]
    if text.endswith((",\u201d", ",\"")) and MASK in text[-3:]:
        # "Roe, star of the show “Harbour,” [said]": the comma inside the
        # closing mark ends the appositive.
        b -= 1
        text = masked[a:b]
    # (The pattern ends in a dash and white space: test for that first, the
    # search tries every white space character of the phrase.)
    dash = _DASH_END_RE.search(text) if text.rstrip().endswith(("--", "\u2014", "\u2013")) \
        else None
    if dash:
        opening = text.rfind(" " + dash.group(1) + " ", 0, dash.start())
        if opening > 0 and MASK not in text[opening:]:
            # "A former candidate -- Ana Ruiz, who lost -- [said]": an aside
            # between dashes, after the subject.
            role = _trim(masked, a + opening + len(dash.group(1)) + 2, a + dash.start())
            b = a + opening
            text = masked[a:b]
    if text.endswith(","):
        # Appositive: "X, the mayor of Y, said" / "X, who ..., said": the
        # subject is the first comma-delimited piece that is not an intro.
        body = b - 1
        cut = -1
        seg_start = a
        for c in re.finditer(r",", masked[a:body]):
            seg = masked[seg_start:a + c.start()].strip()
            first = seg.split()[0].lower() if seg.split() else ""
            if first in ("as", "but", "and") and len(seg.split()) > 1 and \
                    seg.split()[1][:1].isupper() and MASK not in seg and \
                    seg.split()[1].lower() not in _WHEN_WORDS and \
                    seg.split()[1].lower() not in _INTRO_WORDS:
                # "As Tomas Varga, a former harbour master, put it", "But Tom
                # Miller, the head of …, said": the name after the word speaks.
                seg_start = masked.index(seg, seg_start) + len(seg.split()[0]) + 1
                cut = a + c.start()
                break
            if first in _DAY_WORDS or _STATE_CODE_RE.fullmatch(seg):
                seg_start = a + c.end()
                continue  # "Tuesday at the hall in Salem, OR, after the vote, Roe said"
            if len(first) > 5 and first.endswith("ing") and len(seg.split()) > 1 and \
                    seg.split()[1][:1].islower():
                seg_start = a + c.end()
                continue  # "Dashing into the hall, Senator Roe, …, called": an opening
            if seg and first not in _INTRO_WORDS and not first.isdigit() and MASK not in seg \
                    and not _time_phrase(seg):
                cut = a + c.start()
                break
            seg_start = a + c.end()
        last = masked[seg_start:body].split()
        if cut < 0 and seg_start > a and last and last[0][:1].isupper() and \
                last[0].lower() not in _INTRO_WORDS:
            # "Tuesday at the hall, after the vote, Mayor Ana Ruiz, said": the
            # openings skipped, the last piece is the subject.
            cut = body
            paren = masked.rfind("(", seg_start, body)
            if paren > seg_start and masked[seg_start:body].rstrip().endswith(")"):
                cut = paren  # "Mayor Ana Ruiz (D-Ore.)": the name without the party
        commas = [a + c.start() for c in re.finditer(r",", masked[a:body])]
        first_piece = masked[seg_start:cut].split() if cut >= 0 else []
        if cut >= 0 and (len(first_piece) > 8 or any(
                w in _FINITE_AUX for w in first_piece[1:])) \
                and len(commas) >= 2 and \
                commas[-2] >= cut and MASK not in masked[commas[-2]:body]:
            # "… went to the convention in 1976, in what Bay Lenz, a treasurer for
            # the campaign, called": the name before the last role, not the
            # start of a long sentence.
            piece = commas[-2] + 1
            for m in _CLAUSE_WORD_RE.finditer(masked, piece, commas[-1]):
                piece = m.end()  # "in what Bay Lenz", "charges that Rush Lenz"
            for m in re.finditer(r"\b(?:what|whom)\s+", masked[piece:commas[-1]]):
                piece += m.end()
            if len(masked[piece:commas[-1]].split()) >= 2:
                seg_start, cut = piece, commas[-1]
        if cut < 0:
            return None, None
        r = _trim(masked, cut + 1, body)
        if r[1] > r[0]:
            role = r
        a = seg_start
        b = cut
        paren = masked.rfind("(", a, b)
        if paren > a and masked[a:b].rstrip().endswith(")"):
            b = paren  # "Sen. Tomas Varga (R-Ore.), a candidate, said": no party tag
    elif text.endswith(("\u2014", "\u2013")) and MASK not in text:
        # "Tom Sims — a teacher from Salem — says": the name before the dashes.
        d2 = max(masked.rfind("\u2014", a, b - 1), masked.rfind("\u2013", a, b - 1))
        if d2 > a:
            r = _trim(masked, d2 + 1, b - 1)
            role = r if r[1] > r[0] else None
            b = d2
    elif text.endswith(")"):
        # "Sen. Warren (D-Mass.) said": keep the parenthesis out of the name.
        cut = masked.rfind("(", a, b)
        if cut > a:
            b = cut
    start = a
    for m in _CLAUSE_BREAK_RE.finditer(masked, a, b):
        start = m.end()
    np_words = [m.span() for m in _WORD_RE.finditer(masked, start, b)]
    if not np_words:
        return None, role
    # Walk back from the verb while the words can belong to a noun phrase.
    if len(np_words) > 1 and masked[np_words[-1][0]:np_words[-1][1]].lower() in (
            "that", "who", "which"):
        np_words.pop()  # "the resolution, which said" / "a group that said"
    k = len(np_words)
    last = masked[np_words[-1][0]:np_words[-1][1]].strip(",").lower()
    coordinated = long_np = False
    if last in _PRONOUN_SUBJECTS:
        k = len(np_words) - 1
    else:
        while k > 0:
            word = masked[np_words[k - 1][0]:np_words[k - 1][1]]
            if word.lower() == "that":
                if k < len(np_words) and masked[
                        np_words[k][0]:np_words[k][1]].lower() in _DETERMINERS:
                    break  # "a trend that the foundation [predicts]"
                if 2 <= k < len(np_words) - 1 and masked[
                        np_words[k][0]:np_words[k][0] + 1].isupper() and masked[
                        np_words[k + 1][0]:np_words[k + 1][0] + 1].isupper() and masked[
                        np_words[k - 2][0]:np_words[k - 2][1]].islower() and masked[
                        np_words[k - 2][0]:np_words[k - 2][1]] not in _NP_PREPOSITIONS:
                    break  # "three years ago that Michael Lenz [said]", "a bill that Senate
                    # Democrats [blocked]": the subject of the clause after "that"
            if word[:1].islower() and (word.endswith("ed") or word.endswith("s") and word in
                                       REPORTING_VERBS):
                nxt = masked[np_words[k][0]:np_words[k][1]] if k < len(np_words) else ""
                prv = masked[np_words[k - 2][0]:np_words[k - 2][1]] if k >= 2 else ""
                if nxt != "by" and (
                        nxt.lower() in ("a", "an", "the", "his", "her", "their", "its")
                        or prv[:1].isupper() and prv.lower() not in _LEADERS
                        and prv.lower() not in _DETERMINERS):
                    # "Roe shared a syllabus for a class [called]": the subject of
                    # the verb inside the phrase carries the words.
                    sub, sub_role = _np_backward(masked, a, np_words[k - 1][0] - 1)
                    if sub is not None:
                        # "at one point the crowd [reprised]": the second noun phrase.
                        m = _JUXTAPOSED_NP_RE.search(masked, sub[0], sub[1])
                        if m:
                            sub = (m.start(1), sub[1])
                    if sub is not None and plausible_speaker(masked[sub[0]:sub[1]]):
                        return sub, sub_role
                    break
            if _word_ok(word) and not (coordinated and _verbish(word, False)):
                k -= 1
                continue
            if (word == "and" and not coordinated and 2 <= k < len(np_words)
                    and _name_word(masked[np_words[k][0]:np_words[k][1]])
                    and _name_word(masked[np_words[k - 2][0]:np_words[k - 2][1]])):
                # "Ana Ruiz and Tomas Varga [wrote]": both speak; past the
                # "and" only noun-phrase words, not "Police met Ana Ruiz and …".
                coordinated = True
                k -= 1
                continue
            if (word.lower() == "to" and k >= 2 and k < len(np_words) and masked[
                    np_words[k - 2][0]:np_words[k - 2][1]].lower() in ("speaking", "talking")):
                k -= 1  # "another source speaking to Fox News [said]"
                continue
            if (word == "by" and k >= 3 and k < len(np_words) and masked[
                    np_words[k - 2][0]:np_words[k - 2][1]].lower() in _RECORD_PARTICIPLES):
                k -= 1  # "a letter from the union obtained by the Courier [warns]"
                long_np = True
                continue
            # "the senator from Vermont", "a reporter for Agence France-Presse"
            if (word.lower() in _NP_PREPOSITIONS and k >= 2 and k < len(np_words)
                    and _word_ok(masked[np_words[k - 2][0]:np_words[k - 2][1]])
                    and masked[np_words[k - 2][0]:np_words[k - 2][1]][:1].isalpha()):
                k -= 1
                continue
            break
        # "of" only inside names and titles ("Secretary of State John Kerry").
        while k < len(np_words) and masked[np_words[k][0]:np_words[k][1]].lower() in (
                "of", "that"):
            k += 1
        if k > 0:
            prev = masked[np_words[k - 1][0]:np_words[k - 1][1]].lower()
            if prev in ("a", "an", "the"):
                k -= 1
    np_words = np_words[k:]
    # Leading discourse words ("But", "As", "When asked,") are not the subject.
    while np_words and masked[np_words[0][0]:np_words[0][1]].lower().strip(",") in _LEADERS:
        np_words.pop(0)
    if len(np_words) > 9 and not (coordinated or long_np) and len(np_words) <= 13 and all(
            masked[x:y][:1].isupper() or masked[x:y] in ("of", "on", "for", "the", "and")
            for x, y in np_words):
        long_np = True  # "The Council on Harbor Relations Executive Director Nihad Lenz"
        titled = [i for i, (x, y) in enumerate(np_words) if masked[x:y] in _TITLE_WORDS]
        if titled and 2 <= len(np_words) - titled[-1] - 1 <= 4:
            np_words = np_words[titled[-1]:]  # the person: "Director Nihad Lenz"
    if not np_words or len(np_words) > (12 if coordinated else 15 if long_np else 9):
        return None, role
    na, nb = _trim(masked, np_words[0][0], np_words[-1][1])
    if na >= nb or not (masked[na].isalpha() or any(c.isalpha() for c in masked[na:nb])):
        return None, role
    first = masked[na:nb].split()[0]
    last_two = masked[na:nb].split()[-2:]
    if first[0].islower() and first.lower() not in _SUBJECT_OPENERS and len(
            np_words) > 3 and not all(x[:1].isupper() for x in last_two):
        return None, role  # but "super PAC spokeswoman Kellyanne Conway" is fine
    clause = masked[start:b].lstrip()
    if role is None and start > a and clause[:1].islower() and \
            clause.split()[0].lower() not in _PRONOUN_SUBJECTS:
        # "Sam Lau, the party's spokesman said", "Ana Ruiz, president and
        # CEO of the firm stated": an appositive whose closing comma went
        # missing; the name before it is the subject.
        c_start = start + (len(masked[start:b]) - len(clause))
        m = _NAME_BEFORE_COMMA_RE.search(masked, max(a, c_start - 60), c_start)
        if m and m.end() == c_start and (m.start(1) == a or not masked[a:m.start(1)].strip()):
            name_at = m.start(1)
            words = m.group(1).split()
            while len(words) > 1 and words[0].lower() in _CONJUNCTIONS:
                name_at += len(words[0]) + 1  # "But Tom Miller, …"
                words = words[1:]
            opener = words[0].lower()
            if opener not in _INTRO_WORDS and not (opener.endswith("ing") and len(opener) > 5):
                # (but "Leaving Springfield, the mayor said": an opening phrase)
                return (name_at, m.end(1)), _trim(masked, c_start, b)
    if start > a and masked[start - 1] == "," and len(np_words) <= 3 and \
            all(masked[x:y][:1].isupper() for x, y in np_words):
        # "Stacy Baker of Columbia, South Carolina says": a place after "of".
        m = _OF_PLACE_BEFORE_RE.search(masked, max(a, start - 80), start)
        if m and m.end() == start:
            na = m.start(1)
    if coordinated and masked[na - 2:na] == ", " and masked[na:na + 1].isupper():
        # "Ana Ruiz, Tomas Varga and Ilona Berki [wrote]": a list of names
        # opening the clause.
        m = _NAME_LIST_BEFORE_RE.search(masked, max(a, na - 120), na)
        if m and not masked[a:m.start()].strip() and all(
                _name_word(item.split()[0]) and item.split()[0].lower() not in _SUBORDINATORS
                for item in m.group().split(",")[:-1]):
            na = m.start()
    # (The pattern ends in "by", "from", "of", "to" or "and" and white space:
    # test for that first, the search tries every start in the window.)
    d = _DOC_OF_BEFORE_RE.search(masked, max(a, na - 80), na) \
        if masked[max(a, na - 80):na].rstrip().endswith(_DOC_OF_LINKS) else None
    if d and d.end() == na and MASK not in d.group():
        # "a projection by the consulting firm X [warned]": the document
        # speaks, and the phrase as written keeps both it and its source.
        na = d.start(1)
    lo = na
    phrase = masked[na:nb]
    # (A look for the stops first: it costs less than starting the regex.)
    for m in _SENTENCE_IN_NP_RE.finditer(masked, na, nb) if (
            "." in phrase or "!" in phrase or "?" in phrase) else ():
        if m.start() - 3 < lo:
            continue  # (the three letters before the stop must lie in the phrase)
        # "… on the convention floor. But a fresh poll [said]": a sentence ended
        # inside the phrase; the subject is in the new one.
        na = m.end()
        while masked[na:nb].split() and masked[na:nb].split()[0].lower() in _LEADERS:
            na += len(masked[na:nb].split()[0]) + 1
    return (na, nb), role


_DAY_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday "
                       "today tonight".split())
_FRONTED_VERB_RE = re.compile(
    r"\s*(Said|Says|Asked|Asks|Added|Adds|Wrote|Writes|Explained|Recalled|Noted)\s+")
# "was prompted to", "felt compelled to" (the subject speaks) or "led Roe to",
# "prompted the atlas, which …, to" (the object speaks), right before "say".
_TO_SAY_RE = re.compile(
    r"(?:\s(?:was|were|is|are|been|felt|seemed)\s+(?:\w+\s+)?"
    r"(?:prompted|moved|forced|compelled|led|inspired|pushed|driven|asked|invited|quick|"
    r"eager|careful|sure|able|willing|happy|ready)"
    r"|\b(?:prompted|led|forced|moved|caused|inspired|pushed|drove|compelled|got|invited)"
    r"\s+(?P<who>[^\x00]{2,120}?),?)\s+to\s+$")
_FINITE_AUX = frozenset("has had have would will could is was are were".split())
_CLAUSE_WORD_RE = re.compile(r"\b(?:that|when|while|because|as|and|but|so|after|before|"
                             r"until|if|though|although)\s+")
_BY_RE = re.compile(r"\s+by\s+")
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|is|are|been|being)\s+$")
_QUESTION_WORD_RE = re.compile(r"\s(?:whether|if|why|how|what|about|to)\s")
_STATE_CODE_RE = re.compile(r"[A-Z]\.?[A-Z]\.?")
_JUXTAPOSED_NP_RE = re.compile(r"\b(?!of\b|for\b|from\b|at\b|in\b|on\b|and\b|with\b)"
                               r"[a-z]+\s+((?:the|a|an)\s)")
# A sentence end after a lower-case word of three letters or more: with the
# check that the three letters lie in the searched window, the same ends as
# r"[a-z]{3,}[.!?]\s+(?=[A-Z])", found from the stop (that pattern tries every
# letter of every word).
_SENTENCE_IN_NP_RE = re.compile(r"[.!?](?<=[a-z]{3}.)\s+(?=[A-Z])")
# ", 54, a retired captain", ", the mayor": roles after a name, before a colon.
_ROLE_TAIL_RE = re.compile(
    r"(?:,\s*(?:\d{1,3}|(?:the|a|an|his|her|its|their)\s+[^,:;\x00]+))+,?\s*")
_MEDIUM_TAIL_RE = re.compile(
    r",?\s*(?:in|on)\s+(?:an?\s+|his\s+|her\s+|its\s+|their\s+)?(?:[\w-]+\s+)?"
    r"(?:statement|e-?mail|tweet|interview|post|letter|release|Twitter|Facebook|speech)\s*")
_NAME_COMMA_IN_RE = re.compile(r"(?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*,\s+"
                               r"(?:in|at|on|during|after|before)\s")
_TITLE_WORDS = frozenset(
    "Director Chairman Chairwoman President Secretary Spokesman Spokeswoman Leader Chief "
    "Officer Commissioner Minister Governor Senator Mayor Editor Chair Founder".split())
_WHO_QUESTION_RE = re.compile(r"\b(?:over|about|of|on|to|for|asked|know|knows|knew|wonder)$")
_SUBCLAUSE_RE = re.compile(r"\s(?:that|which|when|because|while|so)\s")
_NEW_CLAUSE_RE = re.compile(
    r"[\s,.\"'\u201d\u2019]*((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*)\s+"
    r"([a-z]+(?:ed|es))\b")
_STOP_CHARS_RE = re.compile(r"[,:;\u2014\u2013]")
_NAME_LIST_BEFORE_RE = re.compile(
    r"(?:[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3},\s+)+$")


_ANTECEDENT_PREP_RE = re.compile(r"\s(?:from|for|by|with|to)\s+(?=[A-Z]|(?:a|an|the)\s)")
_PERSON_SUFFIXES = ("man", "woman", "person", "er", "or", "ist", "ian", "ant", "ent", "official",
                    "aide", "adviser", "member", "head", "chief", "leader", "staff", "secretary")


def _nearest_antecedent(masked: str, span: tuple[int, int]) -> tuple[int, int]:
    """What ", who" hangs on: the noun phrase nearest the comma ("praise from
    a professor at Yale, who", "steep for Mr. Roe, who") - but a person's
    role keeps its "for" ("a spokesman for Senator Roe, who")."""
    a, b = span
    words = list(_WORD_RE.finditer(masked, a, b))
    for w in reversed(words[1:]):
        if _verbish(w.group(), True) and w.group().endswith("ed"):
            a = w.end()  # "The plan drew praise from …": after the verb
            break
    cut = None
    for m in _ANTECEDENT_PREP_RE.finditer(masked, a, b):
        cut = m
    if cut is None:
        return _trim(masked, a, b)
    before = masked[a:cut.start()].split()
    if before and before[-1].lower().rstrip(",").endswith(_PERSON_SUFFIXES):
        return _trim(masked, a, b)
    return _trim(masked, cut.end(), b)


def _name_word(word: str) -> bool:
    """A capitalised word that can be part of a name ("Ruiz", "Democrats")."""
    low = word.lower()
    return word[:1].isupper() and low not in _LEADERS and low not in _PRONOUN_SUBJECTS \
        and low not in _DETERMINERS and not word.endswith((",", "."))


# Participles that hang a record on who obtained or made it.
_RECORD_PARTICIPLES = frozenset("""
obtained seen reviewed released published issued written signed sent provided filed
drafted posted shared prepared commissioned conducted produced compiled
""".split())


# Documents and media that speak for their authors in news copy.
DOCUMENT_NOUNS = frozenset("""
report study projection forecast estimate analysis survey poll paper memo memorandum
letter statement email e-mail tweet post ad advertisement editorial article story
column book complaint lawsuit filing indictment ruling opinion footnote copy transcript
summary review audit assessment document video recording excerpt excerpts note notice
petition resolution brief draft release
""".split())
_DOC_OF_BEFORE_RE = re.compile(
    r"\b((?:[Aa]n?|[Tt]he|[Oo]ne|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Tt]his|[Tt]hat)\s+"
    r"(?:[\w'\u2019-]+\s+){0,3}?(?:" + "|".join(sorted(DOCUMENT_NOUNS)) + r")s?)\s+"
    r"(?:by|from|of|to)\s+(?:(?:[\w.'\u2019-]+\s+){1,6}?and\s+)?$")


_DOC_OF_LINKS = ("by", "from", "of", "to", "and")


_OF_PLACE_BEFORE_RE = re.compile(
    r"\b([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3}\s+of\s+[A-Z][\w.'\u2019-]*"
    r"(?:\s+[A-Z][\w.'\u2019-]*){0,2}),")


_OWN_SUBJECT_RE = re.compile(
    r"(?:[,;\u2014\u2013]|\band|\bwith|\bwhile|^)\s*"
    r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,2})(?:\s+\([^)]{1,12}\))?\s+"
    r"(?:[a-z]+ly\s+)?(?:(?:kept|keeps|keep|began|begins|started|starts|continued|continues|"
    r"was|were|is|are|went\s+on|goes\s+on)\s+)?$")
_CARRIER_ING_RE = re.compile(
    r"\b((?:[Aa]n?|[Tt]he|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:signs?|banners?|placards?|posters?|(?:t-)?shirts?|hats?|caps?|stickers?|captions?|"
    r"headlines?|billboards?))\s+$")
_WITH_GROUP_ING_RE = re.compile(
    r"\bwith\s+((?:(?:about|some|many|most|several|hundreds\s+of|dozens\s+of|thousands\s+of|"
    r"the|\d[\d,]*)\s+)?[a-z][\w-]*(?:\s+(?:and\s+)?[a-z][\w-]*){0,3})\s+$")


def _group_head(phrase: str) -> bool:
    last = phrase.split()[-1].lower()
    return last in ("crowd", "crowds", "audience", "people") or (
        last.endswith("s") and not last.endswith(("ss", "us", "ing")) and len(last) > 4
        and last not in _NOT_SPEAKER_HEADS)


_WITH_NAME_ING_RE = re.compile(
    r"\bwith\s+((?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?:of|for|and|the|[A-Z][\w.'\u2019-]*)){0,6})"
    r"(?:\s+\([^)]{1,20}\))?\s+$")
_IMPERATIVES = frozenset(
    "Like Follow Watch See Read Click Share Sign Subscribe Listen Join Check Tap".split())
_WHO_BEFORE_RE = re.compile(
    r",\s+who\s+(?:(?:also|later|then|has|have|had|once|long|[a-z]+ly|in\s+the\s+past)\s+)*$")
_NAME_BEFORE_COMMA_RE = re.compile(
    r"\b([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){1,3}),\s+")


_SUBJECT_OPENERS = frozenset("""
the a an one some many most several two three four five his her their its our
my your this that these those both another each other he she they it we i
officials protesters critics experts analysts supporters police aides sources
democrats republicans people residents voters lawmakers ex former
""".split())


_NOUN_BEFORE_RE = re.compile(
    r"(?:\b(?:a|an|the|his|her|its|their|our|my|your|this|these|those|whose|each|every|"
    r"no|any|another|first|last|latest|new|written|formal|brief|public|"
    r"joint|press|which)|['\u2019]s)\s+$", re.IGNORECASE)
_NOUN_BEFORE_WORDS = frozenset(
    "a an the his her its their our my your this these those whose each every no any another "
    "first last latest new written formal brief public joint press which".split())


def _noun_before(masked: str, at: int) -> bool:
    """``_NOUN_BEFORE_RE.search(masked, max(0, at - 12), at)`` without the regex
    in the usual case (a search for its many words at every position of the
    window costs more than all the rest of the verb test): the word before
    ``at`` makes the word at ``at`` a noun ("the report", "his call")."""
    lo = max(0, at - 12)
    window = masked[lo:at]
    head = window.rstrip()
    if len(head) == len(window) or not head:
        return False  # it needs the word, then white space up to ``at``
    if head[-1] in "sS\u017f" and len(head) >= 2 and head[-2] in "'\u2019":
        return True  # "Smith's"
    k = len(head)
    while k and (head[k - 1].isalnum() or head[k - 1] == "_"):
        k -= 1
    word = head[k:]  # the whole word: the regex wants a word boundary before it
    if not word.isascii():
        # Case-insensitive matching folds a few non-ASCII letters into ASCII
        # ones ("\u017f" is an "s"): leave those to the regex.
        return _NOUN_BEFORE_RE.search(masked, lo, at) is not None
    if word.lower() not in _NOUN_BEFORE_WORDS:
        return False
    return k > 0 or lo == 0 or not (masked[lo - 1].isalnum() or masked[lo - 1] == "_")


_DET_WORD_BEFORE_RE = re.compile(
    r"\b(?:a|an|the|his|her|its|their|our|my|your|this|that|no|any)\s+[\w'\u2019-]+\s+$",
    re.IGNORECASE)


_PAST_LIKE_BASE = frozenset("read put set cut hit let quit spread bet".split())
_SG_DET_WORD_BEFORE_RE = re.compile(
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother|[Ee]ach|[Ee]very)\s+[a-z][\w'\u2019-]*\s+$")


_PREP_DET_WORD_BEFORE_RE = re.compile(
    r"\b(?:in|on|at|of|with|from|by|via)\s+(?:a|an|the|his|her|its|their|this|that)\s+"
    r"[\w'\u2019-]+\s+$", re.IGNORECASE)


# A reporting verb found in the text is a re.Match: the word's own match,
# or for a verb with its particle ("pointed out") a match of the whole
# phrase (start(), end(), span() and group() are then calls into C, and
# nothing is built for the common one-word verb).
_WHOLE_RE = re.compile(r".+", re.DOTALL)


# Verdicts of ``_verb_word`` for the last masked text seen, by position,
# with the word they were given for: the same words are looked at again for
# every quote of a long sentence (see _memo_per_text on why identity is a
# safe key). (An int key: no tuple to build and hash for every look-up.)
_verb_verdicts: tuple[str, dict[int, tuple[str, int]]] | None = None
_NOT_VERB, _VERB_UNLESS_STRICT, _VERB = 0, 1, 2


def _verb_word(masked: str, at: int, w: str) -> int:
    """Whether the reporting-verb form ``w`` at ``at`` reads as a verb here:
    ``_NOT_VERB`` after a determiner ("the report", "his call"),
    ``_VERB_UNLESS_STRICT`` for a weak form after one further back, else
    ``_VERB``. Depends only on the text before ``at`` and on ``w``."""
    if _noun_before(masked, at) and \
            not masked.endswith("Press ", 0, at):  # "the Associated Press said"
        return _NOT_VERB
    if masked.endswith(" of ", 0, at) and not w.endswith("ing"):
        return _NOT_VERB  # "the secretary of state said": a noun after "of"
    if REPORTING_VERBS.get(w) == w and not w.endswith("s") and w not in _PAST_LIKE_BASE \
            and _SG_DET_WORD_BEFORE_RE.search(masked, max(0, at - 30), at):
        return _NOT_VERB  # "an early tweet", "one blunt statement": a singular subject
        # would take "tweets" or "tweeted", so the bare form is a noun
    if w in _WEAK and _DET_WORD_BEFORE_RE.search(masked, max(0, at - 30), at):
        return _VERB_UNLESS_STRICT  # before a quote, "in a Facebook post", "an unprompted call"
    return _VERB


def _verb_matches(masked: str, a: int, b: int, *, strict: bool = False) -> list[re.Match]:
    """Reporting verbs in ``masked[a:b]``, minus nouns ("the report", "his call").

    A word scan plus set look-ups: much faster than one big alternation.
    """
    global _verb_verdicts
    memo = _verb_verdicts
    if memo is None or memo[0] is not masked:
        memo = _verb_verdicts = (masked, {})
    verdicts = memo[1]
    out = []
    for m in _LOWER_WORD_RE.finditer(masked, a, b):
        w = m.group()
        end = -1  # (the end of the verb's particle, if it has one)
        if w in _PARTICLE_VERBS:
            p = _PARTICLE_RE.match(masked, m.end(), b)
            if not p or p.group(1) != _PARTICLE_VERBS[w]:
                if w not in _SINGLE_FORMS:
                    continue
            else:
                end = p.end()
        elif w not in _SINGLE_FORMS:
            continue
        at = m.start()
        # (The word is kept with its verdict: a word cut short by ``b`` is
        # another word, looked at afresh.)
        seen = verdicts.get(at)
        if seen is not None and seen[0] == w:
            verdict = seen[1]
        else:
            verdict = _verb_word(masked, at, w)
            verdicts[at] = (w, verdict)
        if verdict == _NOT_VERB or strict and verdict == _VERB_UNLESS_STRICT:
            continue
        out.append(m if end < 0 else _WHOLE_RE.match(masked, at, end))
    return out


_INTRO_WORDS = frozenset("""
of in on at after before during since when while as but and so yet still however
meanwhile earlier later last this that by for from with without under over
speaking asked if although though because despite instead indeed now then
once unlike like among amid following or
""".split())
_HEADLINE_SPEAKER_RE = re.compile(
    r"\s*((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w'\u2019-]*):\s")
_EXPLETIVES = frozenset("it there this that what which who here".split())


_IRREGULAR_PAST = frozenset("""
took made gave went came got put set told said wrote spoke began ran won lost led
left kept held brought thought felt saw knew found became sent spent stood paid
meant hit cut let drew threw grew fell sought taught bought fought struck stuck
shook chose rose broke wore swore blew drove ate sang sold met hung spun sat
understood upheld withheld overcame forgot forgave bet quit shut spread built
""".split())
_VERBISH = frozenset("""
has had have is was are were will would could can should may might must does did
do also never not still just even often already again once now then later
cannot won't can't didn't doesn't isn't wasn't hasn't haven't wouldn't
makes takes gives puts gets keeps
""".split()) | _IRREGULAR_PAST
# (Same as r"[,;]\s+|[”’\"']\s+|\s[—–―]\s+|\s--\s+", opening with one character class.)
_CLAUSE_OPENERS_RE = re.compile(
    r"[,;\u201d\u2019\"'\s](?:(?<!\s)\s+|(?<=\s)(?:[\u2014\u2013\u2015]|--)\s+)")
_SUBORDINATORS = frozenset("""
as when while after before if because although though since until unless once
whether whereas where how why what from in on at by for with without under over
during despite amid among following like unlike speaking asked asking according based
to of into through about against between beyond toward towards upon
""".split())
_CONJUNCTIONS = frozenset("and but so yet still then or nor".split())
# Words that may open a clause before its subject ("And then Roe said").
_CLAUSE_LEADS = _CONJUNCTIONS | frozenset(
    "then now later also instead finally meanwhile however still again even yet indeed first "
    "next thus hence therefore".split())


_S_NOUNS = frozenset("news politics economics series species headquarters "
                     "physics ethics means".split())


@functools.lru_cache(maxsize=8192)  # pure; the same words recur in every phrase
def _verbish(word: str, after_name: bool) -> bool:
    """A lower-case word that can be the verb right after a subject."""
    w = word.strip(",.;:\u2019'\"")
    if not w or not w[0].islower() or "'" in w or "\u2019" in w:
        return False  # "capital's" is a possessive, not a verb
    if w in _VERBISH or w.endswith("ed"):
        return True
    if w in REPORTING_VERBS and not w.endswith("ing"):
        return True
    if w.endswith("ly") and len(w) > 4:
        return True  # an adverb between subject and verb ("Smith flatly denied")
    return after_name and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) \
        and w not in _NP_FUNCTION and w not in _S_NOUNS and not word.endswith(",")  # "Latin American artists, writers"


_SINGULAR_DETS = frozenset("a an one another each every".split())
_ADJ_SUFFIXES = ("al", "ic", "ive", "ous", "ful", "ary", "ian", "ern", "ish", "ing", "ed")


def _noun_slot(first: str, prev: str, bare: str) -> bool:
    """A lower-case word that must be a noun where it stands in a subject:
    after a possessive ("the inspector general's report"), or a bare verb
    form after a singular determiner and a modifier ("An early tweet",
    "the congressional report") - a singular subject takes "tweets", "tweeted".
    """
    low = bare.lower()
    if low in _VERBISH or low in ("been", "being", "got", "gotten") or low.endswith("ly"):
        return False
    if prev.endswith(("'s", "\u2019s", "s'", "s\u2019")) and prev[:1].isalpha() and \
            prev.lower() not in ("it's", "it\u2019s", "that's", "that\u2019s", "what's",
                                 "what\u2019s", "there's", "there\u2019s", "here's",
                                 "here\u2019s", "who's", "who\u2019s", "he's", "he\u2019s",
                                 "she's", "she\u2019s", "let's", "let\u2019s"):
        return True
    if low not in REPORTING_VERBS or low.endswith(("s", "ed", "ing")):
        return False
    det = first.strip(",.").lower()
    plow = prev.lower()
    return det in _SINGULAR_DETS or (det == "the" and plow.endswith(_ADJ_SUFFIXES)
                                     and plow != "the")


def _subject_at(masked: str, words: list[tuple[int, int]], i: int,
                stop: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """("NP", verb) when ``words[i:]`` open with a noun phrase and a verb."""
    n = len(words)
    w = lambda k: masked[words[k][0]:words[k][1]]  # noqa: E731
    while i < n and w(i).lower().strip(",") in _CLAUSE_LEADS:
        i += 1
    if i >= n:
        return None
    tok = w(i)
    if MASK in tok:
        return None
    first = tok.strip(",.\u2019'\"")
    if not first:
        return None
    low = first.lower()
    if low in _PRONOUN_SUBJECTS and low not in ("who", "it"):
        if i + 1 < n and _verbish(w(i + 1), True):
            return words[i], words[i + 1]
        return None
    if low in _EXPLETIVES or low in _SUBORDINATORS or low in _WHEN_WORDS:
        return None
    if not (first[0].isupper() or low in _SUBJECT_OPENERS or any(
            masked[words[j][0]].isupper() for j in range(i + 1, min(n, i + 5)))
            # (a descriptor needs a name, capitalised, after its first word)
            and _descriptor_before_name([w(j) for j in range(i, min(n, i + 5))])):
        return None
    k = i
    while k < n and k - i < 8:
        tok = w(k)
        bare = tok.strip(",.\u2019'\"()")
        if not bare or MASK in tok:
            return None
        if k > i and bare[0].islower():
            prev = w(k - 1).strip(",.\"")
            after_name = (prev[:1].isupper() and prev.lower() not in _DETERMINERS
                          and not prev.endswith(("'s", "\u2019s", "s'", "s\u2019"))) or \
                prev.lower() in _PRONOUN_SUBJECTS or \
                prev.lower().endswith(("man", "woman", "s", "er", "or", "ist", "ent", "ant"))
            only_det = all(w(x).strip(",.").lower() in _DETERMINERS for x in range(i, k))
            if _noun_slot(w(i), prev, bare):
                pass  # "An early tweet from …", "the inspector general's report"
            elif _verbish(tok, after_name) and not (
                    only_det and bare.lower() not in _VERBISH):  # "The retired neurosurgeon"
                low_tok = bare.lower()
                plural_noun = (low_tok.endswith("s") and low_tok not in _VERBISH
                               and low_tok not in REPORTING_VERBS and k + 1 < n
                               and w(k + 1).strip(",.").lower() in _VERBISH)
                if not plural_noun and not (
                        bare.endswith("ly") and k + 1 < n and (
                            not _verbish(w(k + 1), True)
                            or _noun_slot(w(i), bare, w(k + 1).strip(",.\u2019'\"")))):
                    break  # ("Democratic leaders are …": "leaders" is the noun)
            if bare.lower() in _NOT_NP:
                # "officials from Washington and Kyiv have said": a prepositional
                # phrase or a pair of names inside the subject.
                nxt = w(k + 1).strip(",.\u2019'\"") if k + 1 < n else ""
                prev_cap = w(k - 1)[:1].isupper()
                if not (bare.lower() in ("from", "at", "for", "in", "with", "on") and nxt and (
                        nxt[0].isupper() or nxt.lower() in _DETERMINERS)
                        or bare.lower() == "and" and prev_cap and nxt[:1].isupper()):
                    return None
        k += 1
        if tok.endswith(","):
            # "Smith, the mayor of Y, said": an appositive up to the next comma.
            j = k
            while j < n and j - k < 14 and not w(j).endswith(",") and MASK not in w(j):
                j += 1
            if j < n and j + 1 < n and w(j).endswith(",") and _verbish(w(j + 1), True):
                a, b = _trim(masked, words[i][0], words[k - 1][1])
                return (a, b), words[j + 1]
            return None
    if k == i or k >= n or k - i >= 8 or words[k][0] >= stop:
        return None
    if not _verbish(w(k), True):
        return None
    end = k
    for j in range(i + 1, k):
        # "Gov. Ana Ruiz on Monday [signed]", "Roe earlier [vowed]": when, not who.
        low = w(j).strip(",.").lower()
        if low in _WHEN_WORDS or low in ("earlier", "later") or low in ("on", "last", "this") \
                and j + 1 < k and w(j + 1).strip(",.").lower() in _WHEN_WORDS:
            end = j
            break
    a, b = _trim(masked, words[i][0], words[end - 1][1])
    if b <= a:
        return None
    return (a, b), words[k]


def _descriptor_before_name(words: list[str]) -> bool:
    """"city council member Ana Ruiz …": lower-case nouns, then a name."""
    for j, word in enumerate(words):
        if word[:1].isupper():
            return j > 0
        low = word.lower()
        if low in _NOT_NP or low in _NP_PREPOSITIONS or low in _SUBORDINATORS or \
                low.endswith("ing") or _verbish(word, False) or not low.isalpha() \
                and "-" not in low:
            return False
    return False


def sentence_subject(masked: str, start: int, end: int, *, after: int = -1,
                      nearest: bool = False) -> Cue | None:
    """The subject of the main clause of a sentence, for quotes carried by a
    verb that is not a reporting verb ("Smith blasted the “reckless” plan",
    "As the race turned, Smith decried the “rigged” system").

    Tries the sentence start, then each clause opening after a comma or a
    closing quote mark, skipping subordinate clauses ("As …", "Speaking to …").
    """
    # A main clause opens within the first few hundred characters; looking
    # further only costs time on run-on text.
    end = min(end, start + 400)
    words = [m.span() for m in _WORD_RE.finditer(masked, start, end)]
    if not words:
        return None
    starts = [0]
    first = masked[words[0][0]:words[0][1]].lower().strip(",")
    subordinate = first in _SUBORDINATORS or first in _INTRO_WORDS or first.isdigit()
    for c in _CLAUSE_OPENERS_RE.finditer(masked, start, end):
        k = bisect.bisect_left(words, (c.end(), -1))
        if 0 < k < len(words) and (not starts or starts[-1] != k):
            starts.append(k)
            if len(starts) >= 8:
                break
    if nearest:
        # For pronouns: the clause subject closest before ``end`` first, and
        # the subject of an opening subordinate clause counts ("Although
        # Roe admitted it, he …").
        starts.reverse()
        if subordinate and len(words) > 1:
            starts.append(1)
    fallback = None
    for k in starts:
        if (k == 0 and subordinate) or words[k][0] < after:
            continue
        w0 = masked[words[k][0]:words[k][1]].lower().strip(",")
        if w0 == "who" and k > 0 and masked[words[k - 1][1] - 1] == "," and k + 1 < len(words):
            # "…, one Democrat familiar with it, who added that …": the antecedent.
            sp, _ = _np_backward(masked, start, words[k - 1][1])
            if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
                v = words[k + 1]
                return Cue(masked[v[0]:v[1]].strip(",."), v, sp, None, False, False, True)
            continue
        if w0 in ("who", "which", "that", "whose", "where", "when"):
            continue
        hit = _subject_at(masked, words, k, end)
        if hit is not None:
            (a, b), v = hit
            cue = Cue(masked[v[0]:v[1]].strip(",."), v, (a, b), None, False, False, True)
            if plausible_speaker(masked[a:b]):
                return cue
            # "Hours later, Roe returned …": the next clause may hold who.
            fallback = fallback or cue
    return fallback


def _parenthetical(masked: str, a: int, end: int, verbs: list) -> Cue | None:
    """"…” are sickening, Hollande said Tuesday." - an attribution set off by a
    comma later in the sentence."""
    for v in verbs:
        comma = masked.rfind(",", a, v.start())
        if comma < 0:
            continue
        tail = masked[v.end():end]
        stop = re.search(r"[,.;]|$", tail)
        if stop and len(tail[:stop.start()].split()) > 3:
            continue
        if v.start() - comma <= 2:
            # "…, said Smith." inverted (but "…, a source, who …, told the Courier")
            sp, role = _np_forward(masked, v.end(), end)
            if sp and REPORTING_VERBS.get(v.group().lower()) in _INVERTED_VERBS and \
                    _INVERTED_SUBJECT_RE.match(masked, sp[0]):  # not "said matter-of-factly"
                return Cue(v.group(), v.span(), sp, role, False, True)
            # "…, Howard Dean, the former governor, said."
            sp, role = _np_backward(masked, a, v.start())
        else:
            sp, role = _np_backward(masked, comma + 1, v.start())
        if sp is not None and len(masked[sp[0]:sp[1]].split()) <= 6:
            return Cue(v.group(), v.span(), sp, role, False, True)
    return None


def _appositive_subject(masked: str, a: int, b: int) -> tuple[tuple[int, int],
                                                               tuple[int, int] | None] | None:
    """"…,” James Roe, the director of the agency, who …, said": the subject
    is the first comma piece, the rest up to the verb is its role."""
    comma = masked.find(",", a, b)
    if comma < 0:
        return None
    na, nb = _trim(masked, a, comma)
    words = masked[na:nb].split()
    if not 1 <= len(words) <= 8 or MASK in masked[na:nb]:
        return None
    if not (words[0][0].isupper() or words[0].lower() in _SUBJECT_OPENERS):
        return None
    if words[0].lower() in _EXPLETIVES or words[0].lower() in _LEADERS or \
            words[0].lower() in _INTRO_WORDS:
        return None  # "Of Varga, Levine, who …, said": an opening phrase
    if not all(_word_ok(w) or w.lower() == "of" for w in words):
        return None
    ra, rb = _trim(masked, comma + 1, b)
    return (na, nb), ((ra, rb) if rb > ra else None)


_CAP_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019.\-]*")


# Headline verbs for speaking out, besides the reporting verbs.
_HEADLINE_VERBS = frozenset("""
slam blast rip accus defend back endors attack knock mock hit bash torch prais
pan trash rebuk scold chid hail tout vow urg demand deni reject dismiss question
""".split())


def headline_subject(masked: str, start: int, end: int) -> Cue | None:
    """"Jane Roe Says Talks Are ‘Stuck’": in a title-case headline the speaker
    is the name that opens it, before its verb."""
    words = [m for m in _CAP_WORD_RE.finditer(masked, start, end)]
    if not 3 <= len(words) <= 30:
        return None
    caps = sum(1 for m in words if m.group()[0].isupper())
    if caps < 0.7 * len(words):
        return None
    k = 0
    while k < len(words) and k < 5 and words[k].group()[0].isupper():
        low = words[k].group().lower()
        if k >= 1 and _verbish(low, True) and not low.endswith("ly"):
            break
        k += 1
    if not 1 <= k < 5 or k >= len(words):
        return None
    low = words[k].group().lower()
    if not (low in REPORTING_VERBS or _verbish(low, True)) or low.endswith("ly"):
        return None
    speaking = low in REPORTING_VERBS or low[:-1] in _HEADLINE_VERBS or \
        low[:-2] in _HEADLINE_VERBS or low.rstrip("s").rstrip("e") in _HEADLINE_VERBS
    a, b = words[0].start(), words[k - 1].end()
    if masked[a:b].split()[0].lower() in _DETERMINERS | _EXPLETIVES | _SUBORDINATORS:
        return None
    # A verb of speaking ("Ana Ruiz Slams …") names a speaker; any other verb
    # ("Diplomatic Momentum Builds …") only a weak guess.
    return Cue(words[k].group(), words[k].span(), (a, b), None, False, False, not speaking)


# (Callers stop the match at the sentence end, so a period inside it is an
# abbreviation: "he told Sen. Ruiz (R-Ore.), according to aides".)
_ACCORDING_AFTER_RE = re.compile(
    r"(?:[^.\n\u201c\"\x00]|\.(?=[\s),]))*?"
    r"(?:\b(according\s+to)\s+|,\s+(reported|reports)\s+(?=[A-Za-z]))",
    re.IGNORECASE)


_RECORD_NOUNS = DOCUMENT_NOUNS | frozenset("""
audio footage records documents data minutes notes emails e-mails transcripts letters
recordings videos copy copies filings excerpts reports
""".split())


_PARTICIPLE_TAIL_RE = re.compile(r"\s+(?:to|by|from)\s+[^,;:.\n]*?(?=[,;:]|\.(?:\s|$)|$)")


def _source_record(phrase: str) -> bool:
    """ "according to audio provided to the Courier", "according to a copy of
    the letter seen by the Courier": a record that carries the words."""
    words = phrase.lower().split()
    if words and words[0] in ("a", "an", "the"):
        words = words[1:]
    # "a Courier poll conducted in May": the record noun may follow a modifier.
    return 1 <= len(words) <= 12 and any(w in _RECORD_NOUNS for w in words[:3])


def according_after(masked: str, cue: Cue, ceiling: int) -> Cue | None:
    """"…,” Smith said, according to a transcript": the reporter's source
    for the words, which is who the words are attributed to."""
    lim = min(ceiling, cue.verb_span[1] + 120)
    if masked.find("ccording", cue.verb_span[1], lim) < 0 and \
            masked.find("report", cue.verb_span[1], lim) < 0:
        return None  # (a cheap test before the regex)
    m = _ACCORDING_AFTER_RE.match(masked, cue.verb_span[1], lim)
    if m is None:
        return None
    sp, role = _np_forward(masked, m.end(), ceiling)
    if sp is None or not (plausible_speaker(masked[sp[0]:sp[1]])
                          or m.group(1) and _source_record(masked[sp[0]:sp[1]])):
        return None
    last = masked[sp[0]:sp[1]].split()[-1].lower()
    if m.group(1) and (last.endswith("ed") or last in ("seen", "given", "shown", "written")):
        # "audio provided to the Courier": the participle keeps its object.
        e = _PARTICIPLE_TAIL_RE.match(masked, sp[1], min(ceiling, sp[1] + 60))
        if e and MASK not in e.group():
            sp = _trim(masked, sp[0], e.end())
        elif " " in masked[sp[0]:sp[1]]:
            # "a poll conducted [in May]": the record without its dangling participle.
            sp = (sp[0], masked.rindex(" ", sp[0], sp[1]))
    word = 1 if m.group(1) else 2
    return Cue("according to", m.span(word), sp, role, False, True)


def dash_byline(masked: str, start: int, end: int) -> Cue | None:
    """A short paragraph "— Jane Roe, Springfield" naming who said the quote
    just above it."""
    a = start
    while a < end and masked[a].isspace():
        a += 1
    if a >= end or masked[a] not in "\u2014\u2013\u2015-" or len(masked[a:end].split()) > 12:
        return None
    sp, role = _np_forward(masked, a + 1, end)
    if sp is None or not masked[sp[0]].isupper() or MASK in masked[a:end]:
        return None
    return Cue(masked[a], (a, a + 1), sp, role, True, True)


# "said in a statement", "said Tuesday": words between an inverted verb and its subject.
_SAID_WHEN_RE = re.compile(r"\s+(?:(?:on|in)\s+(?:an?\s+)?(?:interview|statement|"
                           r"email|e-mail|letter|speech|Twitter|Facebook)|"
                           r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                           r"Saturday|Sunday)|yesterday|today|tonight)\b")


@_memo_per_text  # (pairing quotes and attributing them look at the same gaps)
def cue_after(masked: str, close_end: int, limit: int) -> Cue | None:
    """Attribution in the words after a quote, up to the sentence end.

    Handles "…,” Smith said", "…,” said Smith, a …", "…,” Smith, the mayor,
    said", "…,” according to Smith" and "… — Smith".
    """
    end = sentence_end(masked, close_end, limit)
    a = close_end
    if a < end and masked[a] in "'\u2019":
        a += 1  # "the word 'old-school,''' said": the inner quote's mark, left over
    while a < end and (masked[a].isspace() or masked[a] in ",;"):
        a += 1
    if a >= end:
        return None
    gap = a - close_end
    # "— Commissioner Smith" under a quote.
    if masked[a] in "\u2014\u2013\u2015-" and gap <= 2:
        sp, role = _np_forward(masked, a + 1, end)
        if sp and masked[sp[0]].isupper():
            return Cue(masked[a], (a, a + 1), sp, role, True, True)
        return None
    # ("according to" or "in the words of": a letter a or i first, or one
    # that only case folding could turn into either.)
    m = _ACCORDING_RE.match(masked, a, end) if (
        masked[a] in "aAiI" or not masked[a].isascii()) else None
    if m:
        sp, role = _np_forward(masked, m.end(), end)
        if sp:
            return Cue(masked[a:m.end()].strip(), (a, m.end()), sp, role, True, True)
    verbs = _verb_matches(masked, a, min(end, a + 300))
    if not verbs:
        return None  # (most gaps between stray marks: no list to filter)
    verbs = [v for v in verbs if not (  # "in a Facebook post"
        v.group().lower() in _WEAK
        and _PREP_DET_WORD_BEFORE_RE.search(masked, max(0, v.start() - 40), v.start()))]
    if not verbs:
        return None
    while len(verbs) > 1:
        first, then = verbs[0].group().lower(), verbs[1].group().lower()
        between = masked[verbs[0].end():verbs[1].start()]
        aside = first.endswith("ing") and not then.endswith("ing") and \
            masked.endswith(", ", 0, verbs[0].start()) and between.rstrip().endswith(",")
        noun = first in _WEAK and then not in _WEAK and "," not in between
        if not (aside or noun):
            break
        # "an official, speaking on condition of anonymity, told", "the report
        # by the institute concluded": the finite verb after them is the cue.
        verbs = verbs[1:]
    v = verbs[0]
    pre_words = masked[a:v.start()].split()
    j = close_end - 1
    while j > 0 and masked[j] in "\"'\u201d\u2019\u201c":
        j -= 1
    appositive = gap <= 2 and masked[a:v.start()].rstrip().endswith(",")
    if masked[j] in ".!?" and len(pre_words) > 3 and masked[a:a + 1].isupper() and not (
            appositive and _appositive_subject(masked, a, v.start()) is not None) and not (
            # "“… Varga!” State Senator Jeff Lenz said as he opened the vote": a
            # name and a verb that closes the sentence, not a sentence of its own
            gap <= 2 and len(pre_words) <= 8 and _long_name_phrase(pre_words)
            and REPORTING_VERBS.get(v.group().lower()) in _TIGHT_VERBS
            and (not _CLAUSE_END_RE.match(masked, v.end(), end).group().strip()
                 or _VERB_TAIL_RE.match(masked, v.end(), end))):
        # (but "“… today?” Miller, a retired nurse, said" closes with its verb)
        return None  # "… “highly productive.” While details remain, the talks continue"
    if v.start() != a and pre_words[0][:1].islower() and pre_words[-1].endswith(",") and \
            masked[v.start() - 2:v.start()] == ", " and v.group()[:1].islower() and \
            (pre_words[0] not in _DETERMINERS or pre_words[0] == "that") and \
            REPORTING_VERBS.get(v.group().lower()) in _INVERTED_VERBS:
        # "“…” for the port, said Jane Roe, a director": the quote runs on into
        # the sentence, and the inverted attribution closes it.
        sp, role = _np_forward(masked, v.end(), end)
        if sp is not None and _INVERTED_SUBJECT_RE.match(masked, sp[0]) and \
                len(masked[sp[0]:sp[1]].split()) <= 8:
            return Cue(v.group(), v.span(), sp, role, False, True)
    if v.start() != a and 3 <= len(pre_words) <= 10 and pre_words.count("and") == 1 and \
            pre_words[0].lower() in _DETERMINERS and pre_words[-1] != "and" and all(
                w == "and" or w.lower() in _DETERMINERS or _word_ok(w) and not _verbish(w, False)
                for w in pre_words) and gap <= 2 and MASK not in masked[a:v.start()]:
        # "“…,” the Vermont senator and presidential candidate told …": one
        # person described twice, or two described together.
        sp = _trim(masked, a, v.start())
        return Cue(v.group(), v.span(), sp, None, True, True)
    if v.start() != a and len(pre_words) > 6 and not (
            len(pre_words) <= 10 and _long_name_phrase(pre_words)):
        if masked[j] == "," and gap <= 2 and appositive is False and len(pre_words) <= 20:
            # "…,” the Oregon senator and party nominee said": a long subject
            # right after a quote that ends with a comma.
            sp, role = _np_backward(masked, a, v.start())
            if sp is None or masked[a:sp[0]].strip():
                sp, role = _described_subject(masked, a, v.start()), None
            of = masked.find(" of ", a, v.start())
            if (sp is None or masked[a:sp[0]].strip()) and of > a and \
                    _long_name_phrase(masked[of + 4:v.start()].split() or ["x"]):
                # "harbor experts Tom Albright and Ilona Berki of the Institute
                # for Harbor Studies wrote": the names, then where they work.
                sp, role = _np_backward(masked, a, of)
                role = _trim(masked, of + 1, v.start()) if sp is not None else None
            rest = _CLAUSE_END_RE.match(masked, v.end(), end)
            if sp is not None and not masked[a:sp[0]].strip() and plausible_speaker(
                    masked[sp[0]:sp[1]]) \
                    and REPORTING_VERBS.get(v.group().lower()) in _TIGHT_VERBS \
                    and (len(rest.group().split()) <= 3 or _VERB_TAIL_RE.match(rest.group())):
                # (but not "…,” one of the prosecutors said the cases differ":
                # a sentence of its own after a quote closing a clause)
                return Cue(v.group(), v.span(), sp, role, True, True)
        if gap <= 2 and " who " in masked[a:v.start()]:
            sp, role = _np_backward(masked, a, v.start())
            if sp is not None and sp[0] == a:
                return Cue(v.group(), v.span(), sp, role, True, True)
        if appositive:
            appos = _appositive_subject(masked, a, v.start())
            if appos is not None:
                return Cue(v.group(), v.span(), appos[0], appos[1], True, True)
        return _parenthetical(masked, a, end, verbs)
    verb = v.group()
    if v.start() == a:
        # Inverted: "said Smith" (but "said in a statement the ministry" too).
        after = v.end()
        w = _SAID_WHEN_RE.match(masked, after, end)
        if w:
            after = w.end()
        sp, role = _np_forward(masked, after, end)
        if sp and verb.lower().endswith("ing"):
            return None
        if sp and verb.lower() in _WEAK and masked[sp[0]].islower() and \
                masked[sp[0]:sp[1]].split()[0].lower() not in _DETERMINERS:
            return None  # "… “top secret” email chains": a noun, not "said X"
        return Cue(verb, v.span(), sp, role, True, True)
    if verb.lower() in _WEAK and verb[0].islower() is False:
        return None
    if len(pre_words) <= 2 and _COLON_AFTER_RE.match(masked, v.end(), end) and \
            not masked[a:v.start()].rstrip().endswith(","):
        # "… .” Roe said: “…": whatever the subject, every way below ends at
        # the colon test (the two that return before it want a comma before
        # the verb, or more than two words before the subject), so the
        # subject need not be looked for.
        return None
    sp, role = _np_backward(masked, a, v.start())
    if sp is None:
        if (len(pre_words) <= 4 or verb.lower() in ("said", "says") and len(pre_words) <= 12
                and MASK not in masked[a:v.start()]) and \
                masked[a:v.start()].rstrip().endswith(",") and not verb.lower().endswith("ing"):
            # "“…” for the mayor, said Ana Ruiz": inverted after a short aside.
            fwd, frole = _np_forward(masked, v.end(), end)
            if fwd is not None and masked[fwd[0]].isupper():
                return Cue(verb, v.span(), fwd, frole, False, True)
        return None
    between = masked[a:sp[0]].split()
    if len(between) > 2 and not (
            # "former board member and mayoral candidate Tomas Varga said"
            _long_name_phrase(pre_words) and masked[sp[1] - 1:sp[1]].isalpha()
            and masked[sp[0]:sp[1]].split()[-1][:1].isupper()) and not (
            # "“…” of the case, the opinion said", "“…” as his father dreamed,
            # Turry said": a short aside first
            len(between) <= 5 and between[0].lower() in _NP_PREPOSITIONS | {"to", "about", "as"}
            and between[-1].endswith(",") and MASK not in masked[a:sp[0]]):
        # (but "“…” of the case, the opinion said", "“…” as his father dreamed,
        # Turry said": a short aside first)
        if verb.lower() in ("said", "says") and len(pre_words) <= 12 and \
                masked[a:v.start()].rstrip().endswith(",") and MASK not in masked[a:v.start()]:
            # "“…” that Varga can win, said Tomas Berki, a strategist": the
            # inverted cue closes the sentence the quote opened.
            fwd, frole = _np_forward(masked, v.end(), end)
            if fwd is not None and masked[fwd[0]].isupper() and plausible_speaker(
                    masked[fwd[0]:fwd[1]]):
                return Cue(verb, v.span(), fwd, frole, False, True)
        lead = masked[a:sp[0]].rstrip()
        if not (lead.endswith(",") and pre_words[0][:1].islower() and
                (pre_words[0] not in _DETERMINERS or pre_words[0] == "that")
                and len(masked[sp[0]:sp[1]].split()) <= 6 and MASK not in lead
                and REPORTING_VERBS.get(verb.lower()) in _INVERTED_VERBS):
            return None
        # "“…” for the port, Roe said": the quote runs into the sentence that
        # the attribution closes.
        return Cue(verb, v.span(), sp, role, False, True)
    if _COLON_AFTER_RE.match(masked, v.end(), end):
        return None  # "… .” Roe said: “…": the cue introduces the next quote
    tight = sp[0] - a <= 1 and gap <= 2
    return Cue(verb, v.span(), sp, role, tight, True)


_FROM_DOC_COLON_RE = re.compile(
    r"(?<![\w,])(?:[Ff]rom|[Ii]n)\s+((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.-]*)['\u2019]s?\s+"
    r"(?:[\w-]+\s+){0,2}(?:post|statement|tweet|letter|speech|remarks|blog|op-ed|column|"
    r"e-?mail|memo|book|interview|message|video|address|essay)s?\s*:$")
_FROM_THE_DOC_COLON_RE = re.compile(
    r"(?<![\w,])(?:[Ff]rom|[Ii]n)\s+(the\s+(?:[\w-]+\s+){0,2}(?:report|statement|letter|memo|"
    r"study|poll|survey|filing|ruling|opinion|release|complaint|lawsuit|indictment|order))\s*:$")
# "Then came Roe's reply:", "The board's response, in full:": whose words follow.
_WHOSE_REPLY_COLON_RE = re.compile(
    r"(?<![\w'\u2019])((?:[Tt]he\s+)?(?:[A-Z][\w.-]*\s+){0,3}(?:[A-Z][\w.-]*|[a-z]+))['\u2019]s?"
    r"\s+(?:[a-z-]+\s+)?(?:reply|response|verdict|answer|message|retort|reaction|advice|"
    r"warning|explanation|assessment|statement|comment|rebuttal)(?:,\s*in\s+full)?\s*:$")
# The word right before the colon when each of the three patterns above matches.
_FROM_DOC_WORDS = frozenset(
    w + plural for w in "post statement tweet letter speech remarks blog op-ed column email "
    "e-mail memo book interview message video address essay".split() for plural in ("", "s"))
_FROM_THE_DOC_WORDS = frozenset(
    "report statement letter memo study poll survey filing ruling opinion release complaint "
    "lawsuit indictment order".split())
_WHOSE_REPLY_WORDS = frozenset(
    "reply response verdict answer message retort reaction advice warning explanation "
    "assessment statement comment rebuttal full".split())  # ("…, in full:")
# "Here's Roe in 1992:"
_HERES_COLON_RE = re.compile(
    r"\s*Here['\u2019]s\s+((?:[A-Z][\w.'\u2019-]*\s+){0,3}[A-Z][\w.'\u2019-]*)"
    r"(?:\s+(?:in|on|at|during|from)\s+[^:\x00]{1,40})?\s*:$")
_DASH_NAME_COLON_RE = re.compile(
    r"\s[-\u2014\u2013]\s+((?:[A-Z][\w.'\u2019&-]*\s+){0,3}[A-Z][\w.'\u2019&-]*)\s*:$")
_COLON_AFTER_RE = re.compile(r"[^\S\n]*:")
_TIGHT_VERBS = frozenset(("say", "tell", "add", "write", "state", "explain", "note", "tweet",
                          "argue", "ask", "reply", "respond", "continue"))
_INVERTED_VERBS = frozenset(("say", "add", "write", "note", "explain", "continue", "argue",
                             "recall", "insist", "observe", "conclude", "agree", "concede",
                             "predict", "complain", "declare", "exclaim", "state"))
_CLAUSE_END_RE = re.compile(r"[^,.;:!?\n]*")
_VERB_TAIL_RE = re.compile(r"\s*(?:in|on|at|to|during|about|after|before|while|as|when|"
                           r"from|with|via|through|outside|near|late|early|last|this)\b")
# Who an inverted "…, said X" names: a capitalised name or a described person.
_INVERTED_SUBJECT_RE = re.compile(
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|"
    r"April|May|June|July|August|September|October|November|December|Today|Yesterday)\b)"
    r"(?:[A-Z]|(?:the|a|an|one)\s)")


def _described_subject(masked: str, a: int, b: int) -> tuple[int, int] | None:
    """"the Oregon senator and party nominee": a description of one speaker
    with "and" or "of" inside, from ``a`` up to the verb at ``b``."""
    na, nb = _trim(masked, a, b)
    words = masked[na:nb].split()
    if not words or words[0].lower() not in ("the", "a", "an") or MASK in masked[na:nb]:
        return None
    for w in words[1:]:
        if w in ("and", "of"):
            continue
        if not _word_ok(w) or _verbish(w, False) or w.lower() in _NOT_NP or w.endswith(","):
            return None
    return na, nb

_ASKED_BY_RE = re.compile(r"\b(?:was|were|is|are|being)\s+(asked|pressed|questioned)\s+by\s+")
_PAREN_ONLY_RE = re.compile(r"\s*\([^()\n\x00]{1,20}\)\s*")  # "Rep. Ana Ruiz (D-Ore.):"
# (The look-behind for the start of the name comes after its capital: the
# regex engine then skips to capitals instead of trying it everywhere.)
_POSSESSIVE_WORDS_RE = re.compile(
    r"([A-Z](?<![\w.'\u2019-].)[\w.\u2019'-]*(?:\s+[A-Z][\w.'\u2019-]*){0,3})['\u2019]s?\s+"
    r"(?:[a-z][\w-]*\s+){0,3}(assertions?|claims?|statements?|remarks?|comments?|promises?|"
    r"pledges?|vows?|suggestions?|descriptions?|words|catch\s+phrase|slogans?|tweets?|"
    r"language|warnings?|arguments?|accusations?|insistence|boasts?|retorts?|phrases?|"
    r"dictum|mantra|refrain|quip|line)\b"
    r"(?:\s+(?:that|of|about|was|is|in\s+that\s+election\s+was|that\s+[^.;:\x00]{0,60}))?\s*$")
_SUB_CLAUSE_NAME_RE = re.compile(
    r"\b(?:when|after|because|while|since|before|until|as)\s+"
    r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,2})\s+([a-z]+)\b[^,;:\x00]*$")
_DASH_END_RE = re.compile(r"\s(--|[\u2014\u2013])\s*$")
_AGO_WORDS = frozenset("""
a an one two three four five six seven eight nine ten few several some many less more than
about nearly almost just only over under year years month months week weeks day days hour
hours minute minutes decade decades
""".split())
_QUOTED_LEAD = MASK + " \u00a0\t,.!?\"'\u201c\u201d\u2018\u2019"


def _long_name_phrase(words: list[str]) -> bool:
    """"Tomas Varga of the Harbour Policy Institute", "Fight for Ports
    organizing director Tomas Varga": a long subject that is a name with its
    organisation or its descriptor - but not "one of the prosecutors for
    Tomas Varga" (the name after a preposition is not who speaks)."""
    words = [w for w in words if not (w.startswith("(") or w.endswith(")"))]
    if not words:
        return False
    if all(w[:1].isupper() or w in ("of", "and", "the", "for") for w in words):
        return True  # (but "(D-Ore.)" after a name is no word of it)
    k = len(words)
    while k > 0 and words[k - 1][:1].isupper():
        k -= 1
    if k == 0 or len(words) - k < 2 or words[k - 1] in _NP_PREPOSITIONS or \
            words[k - 1] in ("the", "and", "to", "by"):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w[:1] == "$"
               or w in ("of", "and", "the", "for")
               or _word_ok(w) and not _verbish(w, False)
               and (w.isalpha() or w.lstrip("$").isdigit())
               for w in words[:k])


_WORD_LETTER_RE = re.compile(r"[^\W\d_]")
# Characters that may be cased without being letters: any but ASCII, Latin-1
# punctuation and the General Punctuation block (curly marks, dashes,
# spaces), none of which is cased.
_MAYBE_CASED_RE = re.compile(r"[^\x00-\x7f\u00a0-\u00bf\u2000-\u206f]")


def _could_name(tail: str) -> bool:
    """Whether ``tail`` has a character that a rule of ``cue_before`` needs.

    Every rule there wants a letter: a reporting verb or a word of one
    ("according to", "words"), a capital ([A-Z], ``isupper``) or a
    lower-case word (``islower``) of a speaker phrase. So a lead of marks,
    digits and punctuation only (common between stray quote marks) can
    have no cue. Letters are what ``_WORD_LETTER_RE`` matches; the few cased
    characters outside it (circled letters such as U+24B6) are tested for
    one by one, and only in a lead without a letter, among the characters
    ``_MAYBE_CASED_RE`` leaves (curly marks and dashes are not).
    """
    if _WORD_LETTER_RE.search(tail):
        return True
    return any(c.isupper() or c.islower() for c in _MAYBE_CASED_RE.findall(tail))


def cue_before(masked: str, open_at: int, floor: int, *,
               start: int | None = None) -> Cue | None:
    """Attribution in the sentence before a quote ("Smith said: “…", "According
    to Smith, “…", "Smith called the plan “…"). ``start``, when known, is
    ``sentence_start(masked, open_at, floor)``."""
    if start is None:
        start = sentence_start(masked, open_at, floor)
    if start >= open_at:
        return None
    tail = masked[start:open_at].rstrip()
    end = start + len(tail)
    if not tail or not _could_name(tail):
        return None
    punct = tail[-1] if tail[-1] in ",:" else ""
    fronted = _FRONTED_VERB_RE.match(masked, start, end) if punct else None
    if fronted is not None:
        # "Said Dora Lenz, who grew up with him, “…": the verb opens the sentence.
        fwd, frole = _np_forward(masked, fronted.end(), end)
        if fwd and masked[fwd[0]].isupper() and (
                fwd[1] >= end - 2 or frole is not None and frole[1] >= end - 2):
            return Cue(fronted.group(1), fronted.span(1), fwd, frole, True, False)
    if punct == ":":
        # Each of the three searches below ends in one of its nouns (after
        # white space) and the colon, so the word before the colon tells
        # which may match; it is found once, instead of each search trying
        # every start in its window.
        last_word = masked[max(start, end - 80):end - 1].rsplit(None, 1)[-1:]
        last_word = last_word[0] if last_word else ""
        m = last_word in _FROM_DOC_WORDS and \
            _FROM_DOC_COLON_RE.search(masked, max(start, end - 80), end) or \
            last_word in _FROM_THE_DOC_WORDS and \
            _FROM_THE_DOC_COLON_RE.search(masked, max(start, end - 60), end) or \
            last_word in _WHOSE_REPLY_WORDS and \
            _WHOSE_REPLY_COLON_RE.search(masked, max(start, end - 80), end) or \
            _HERES_COLON_RE.match(masked, start, end)
        if m:
            # "From Roe's Facebook post: “…”": the author of the document.
            return Cue(":", (end - 1, end), m.span(1), None, True, False)
        m = _DASH_NAME_COLON_RE.search(masked, max(start, end - 60), end)
        if m and not _IMPERATIVES.intersection(m.group(1).split()):
            # "Polls missed the caucus - Ana Ruiz: “…": a digest line, the
            # name after the dash is whose words follow.
            return Cue(":", (end - 1, end), m.span(1), None, True, False)
    words_of = _IN_WHOSE_WORDS_RE.search(masked, max(start, end - 80), end) \
        if masked.find(" words", start, end) >= 0 else None
    if words_of is not None and punct:
        # "… because, in Forbes' words, “…": the owner of the words.
        return Cue(words_of.group().strip(" ,:"), words_of.span(), words_of.span(1), None,
                   True, False)
    acc = None
    if masked.find("ccording", start, end) >= 0 or masked.find("words of", start, end) >= 0:
        for acc in _ACCORDING_RE.finditer(masked, start, end):
            pass
    verbs = _verb_matches(masked, start, end, strict=True)
    # Skip verbs used as nouns far from the quote ("in his speech, calls for").
    while verbs and verbs[-1].group().lower() in _WEAK and verbs[-1].end() < end - 40:
        verbs.pop()
    asked = _ASKED_BY_RE.search(masked, start, end) if masked.find(" by ", start, end) >= 0 \
        else None
    if asked is not None and punct and MASK not in masked[asked.end():end]:
        # "Ruiz was asked by host Tomas Varga, who backs her, “…?”": the asker.
        sp, role = _np_forward(masked, asked.end(), end)
        if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
            return Cue(asked.group(1), asked.span(1), sp, role, False, False)
    poss = _POSSESSIVE_WORDS_RE.search(masked, max(start, end - 160), end) if not verbs else None
    if poss is not None and MASK not in poss.group():
        # "Ruiz's assertion that “thousands” cheered", "Varga's “47 percent”
        # comment": the words are the possessor's.
        return Cue(poss.group(2), poss.span(2), poss.span(1), None, False, False, True)
    if acc is not None and (not verbs or verbs[-1].start() < acc.start()
                            or not masked[start:acc.start()].strip()):
        # "According to the Journal, Roe said the plan was “…”": the source
        # that opens the sentence is who the words are attributed to.
        sp, role = _np_forward(masked, acc.end(), end)
        if sp:
            if role is not None and role[1] >= end - 2:
                role = None  # "According to Roe, the plan has “…”": a clause, not a role
            return Cue(masked[acc.start():acc.end()].strip(), acc.span(), sp, role,
                       bool(punct), False)
    fallback = None
    recent = verbs[-3:]
    if len(recent) > 1 and recent[-1].group().lower() in _WEAK:
        # "Roe said the engineering report was “…”": "report" is a noun here.
        recent = [v for v in recent if v.group().lower() not in _WEAK] or recent
    for v in reversed(recent):
        word = v.group().lower()
        if v is not recent[0] and masked.endswith(" to ", 0, v.start()):
            continue  # "Ruiz said Varga was right to urge leaders “…”": an infinitive
        last_mask = masked.rfind(MASK, v.end(), end)
        if last_mask >= 0:
            # "in a clip that Judge Lenz called “distasteful,” Varga expressed
            # a desire to “…”": after the earlier quote, a new clause with its
            # own subject carries this one.
            new = _NEW_CLAUSE_RE.match(masked, last_mask + 1, end)
            if new is not None:
                return Cue(new.group(2), new.span(2), new.span(1), None, False, False, True)
        by = _BY_RE.match(masked, v.end(), end) if word == "asked" else None
        if by is not None and _PASSIVE_BEFORE_RE.search(masked, max(start, v.start() - 10),
                                                        v.start()):
            # "Roe was asked by host Bill Lenz, “…”": the asker's words.
            stop = _QUESTION_WORD_RE.search(masked, by.end(), end)
            sp, role = _np_forward(masked, by.end(), stop.start() if stop else end)
            if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
                return Cue(v.group(), v.span(), sp, role, False, False)
        if word.endswith("ing"):
            # "Ryan saying he was “…” and Trump calling it “…”": a participle
            # with a named subject of its own right before it.
            carrier = _CARRIER_ING_RE.search(masked, max(start, v.start() - 60), v.start()) \
                if word in ("saying", "reading", "declaring", "proclaiming") else None
            if carrier is None and word in ("chanting", "shouting", "yelling", "singing",
                                            "saying", "jeering", "screaming", "crying"):
                carrier = _WITH_GROUP_ING_RE.search(masked, max(start, v.start() - 60),
                                                    v.start())
                if carrier is not None and not _group_head(carrier.group(1)):
                    carrier = None
            if carrier is None:
                # "…, with the Federation of Teachers calling her “…”": a named
                # subject of the participle after "with".
                carrier = _WITH_NAME_ING_RE.search(masked, max(start, v.start() - 80),
                                                   v.start())
            if carrier is not None and MASK not in carrier.group(1):
                # "held a sign saying “…”", "with many marchers chanting “…”":
                # the thing or the group right before the participle speaks.
                return Cue(v.group(), v.span(), carrier.span(1), None, bool(punct), False)
            own = _OWN_SUBJECT_RE.search(masked, max(start, v.start() - 60), v.start())
            if own is not None and own.group(1).split()[0] not in _IMPERATIVES and \
                    own.group(1).lower() not in _DETERMINERS:
                return Cue(v.group(), v.span(), own.span(1), None, bool(punct), False)
            # "…, saying: “…": the participle shares the subject of the
            # previous reporting verb, or else of the sentence.
            earlier = [p for p in verbs if p.start() < v.start()]
            # (a verb over a noun: "said there was no telephone call, adding")
            earlier = [p for p in earlier if p.group().lower() not in _WEAK] or earlier
            if earlier:
                sp, _ = _np_backward(masked, start, earlier[-1].start())
                if sp is None and (earlier[-1].start() - start <= 2 or not masked[
                        start:earlier[-1].start()].strip(_QUOTED_LEAD)):
                    # "Said Roe, urging …" / "“…,” said Roe, urging them to “…”"
                    sp, _ = _np_forward(masked, earlier[-1].end(), v.start())
                if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
                    return Cue(v.group(), v.span(), sp, None, bool(punct), False)
                continue
            subj = sentence_subject(masked, start, v.start())
            if subj is not None:
                return Cue(v.group(), v.span(), subj.speaker, None, bool(punct), False)
            continue
        inf = _TO_SAY_RE.search(masked, max(start, v.start() - 80), v.start()) \
            if masked.endswith("to ", 0, v.start()) else None
        if inf is not None:
            # "Roe was prompted to say, “…”" / "the record led Roe to state, “…”":
            # the one made to speak.
            if inf.group("who") is not None:
                sp, role = _np_forward(masked, inf.start("who"), inf.end("who"))
            else:
                floor = start
                for c in _CLAUSE_WORD_RE.finditer(masked, start, inf.start()):
                    floor = c.end()  # "… so subdued that Mr. Roe was prompted"
                sp, role = _np_backward(masked, floor, inf.start())
            if sp is not None and plausible_speaker(masked[sp[0]:sp[1]]):
                return Cue(v.group(), v.span(), sp, role, bool(punct), False)
        if word in ("says", "said") and masked[start:v.start()].rstrip().endswith(","):
            # "The paradox, says Tomas Varga, a historian, is that “…”": an
            # inverted cue set off by commas inside the sentence.
            fwd, frole = _np_forward(masked, v.end(), end)
            if frole is not None and not masked[frole[1]:end].lstrip().startswith(","):
                frole = None  # "The plan, says Varga, is “…”": no appositive
            if fwd is not None and masked[fwd[0]].isupper() and \
                    masked[fwd[1]:end].lstrip().startswith(","):
                return Cue(v.group(), v.span(), fwd, frole, False, False)
        sp, role = _np_backward(masked, start, v.start())
        who = _WHO_BEFORE_RE.search(masked, max(start, v.start() - 40), v.start()) \
            if "who" in masked[max(start, v.start() - 40):v.start()] else None
        if who:
            # "backed by Tomas Varga, who added that …": the antecedent.
            ante, _ = _np_backward(masked, start, who.start())
            if ante is not None:
                ante = _nearest_antecedent(masked, ante)
            if ante is not None and plausible_speaker(masked[ante[0]:ante[1]]):
                sp, role = ante, None
        if sp is not None and not plausible_speaker(masked[sp[0]:sp[1]]):
            subj = sentence_subject(masked, start, v.start())
            if subj is not None:
                return Cue(v.group(), v.span(), subj.speaker, None, bool(punct), False)
            if fallback is None:
                fallback = Cue(v.group(), v.span(), sp, role, False, False, True)
            continue
        if sp is None:
            # Inverted or fronted: "Said Smith: “…" / "…, says Smith: “".
            fwd, frole = _np_forward(masked, v.end(), end)
            if fwd and masked[fwd[0]].isupper() and (
                    fwd[1] >= end - 2 or frole is not None and frole[1] >= end - 2
                    and punct and REPORTING_VERBS.get(word) in _INVERTED_VERBS
                    and (v.start() - start <= 1
                         or masked[max(start, v.start() - 3):v.start()].rstrip()[-1:]
                         in (",", "\u201d", "\"", "'", "\u2019"))):
                # (also "…, said Dora Lenz, who grew up with him, “…")
                return Cue(v.group(), v.span(), fwd, frole, bool(punct), False)
            if word.endswith("ing") or word in ("adding", "saying"):
                continue
            continue
        between = masked[v.end():end]
        tight = bool(punct) and len(between.split()) <= 4
        return Cue(v.group(), v.span(), sp, role, tight, False)
    hm = _HEADLINE_SPEAKER_RE.match(masked, start, end)
    if hm:
        return Cue(":", (hm.end(1), hm.end(1) + 1), hm.span(1), None, False, False)
    subject = sentence_subject(masked, start, end)
    if subject is not None:
        inner = None
        for inner in _SUB_CLAUSE_NAME_RE.finditer(masked, subject.verb_span[1], end):
            pass
        if inner is not None and _verbish(inner.group(2), True) and MASK not in inner.group():
            # "He looked rattled when Ruiz accused him of an “artful smear”":
            # the quote sits in the clause whose subject is Ruiz.
            return Cue(inner.group(2), inner.span(2), inner.span(1), None, False, False, True)
        return subject
    if fallback is not None:
        return fallback
    # Headline or label form: "Smith: “…" with nothing else before.
    if punct == ":":
        dash = max(masked.rfind(" - ", start, end), masked.rfind(" \u2014 ", start, end),
                   masked.rfind(" \u2013 ", start, end))
        # "TURNOUT IS UP IN IOWA - Ana Ruiz: “…": the name after a headline's dash.
        sp, role = _np_forward(masked, dash + 3 if dash >= 0 else start, end - 1)
        words = masked[sp[0]:sp[1]].split() if sp else []
        rest = masked[sp[1]:end - 1] if sp else ""
        closes = sp is not None and (
            sp[1] >= end - 2
            or _PAREN_ONLY_RE.fullmatch(masked, sp[1], end - 1) is not None  # "(D-Ore.):"
            # "Tomas Varga, the mayor: “…", "The ministry, in a statement: “…"
            or _ROLE_TAIL_RE.fullmatch(rest) is not None and len(rest.split()) <= 8
            and MASK not in rest and not _verb_matches(masked, sp[1], end - 1)
            or _MEDIUM_TAIL_RE.fullmatch(rest) is not None)
        if closes and (len(words) <= 6 or len(words) <= 9 and all(
                w[:1].isupper() for w in words[-2:])) and masked[sp[0]].isupper() and \
                words[0] not in _IMPERATIVES:
            # "Jane Roe: “…" - but not "Like the page: “…"
            return Cue(":", (end - 1, end), sp, role if sp[1] < end - 2 else None, True, False)
    return None
