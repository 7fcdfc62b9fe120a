"""Find quoted spans: pair quotation marks the way a reader does.

Real articles mix straight, curly and doubled-apostrophe ('') marks, misuse
curly marks, drop a closing mark, and carry apostrophes everywhere. Pairing is
done per paragraph (a quote never silently swallows the rest of the article),
with the direction of each mark read from its neighbours rather than its glyph.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

__all__ = ["QuoteSpan", "find_quote_spans"]

# '' and `` are two-character marks used by some wire styles for double quotes.
# (Same as r"''|``|[“…]", written to open with one character class:
# the regex engine then skips to candidates much faster.)
_DOUBLE_MARK_RE = re.compile(
    r"['`\u201c\u201d\u201e\u201f\"\u00ab\u00bb](?:(?<=')'|(?<=`)`|(?<![`']))")
# A single mark not right after an apostrophe (next to one, it is part of
# a '' mark, or stray: never a single quote). (The look-behind is written
# after the class, so the regex engine skips to candidates.)
_SINGLE_MARK_RE = re.compile(r"[\u2018\u2019\u201a\u201b'](?<!'.)")
_PARAGRAPH_RE = re.compile(r"[^\n]+")

# Characters after which a mark reads as opening ("said: “Yes").
_OPEN_BEFORE = frozenset(" \t\u00a0\u2009\u202f\n([{<\u2014\u2013-/:\u2018\u201c\"'")
# Characters before which a mark reads as closing ("yes,” he").
_CLOSE_AFTER = frozenset(" \t\u00a0\u2009\u202f\n)]}>,.;:!?\u2014\u2013-/\u2019\u201d\"'")

_OPEN, _CLOSE, _EITHER = 1, 2, 3
_ALWAYS_OPEN = frozenset("\u201c\u201e\u201f\u00ab`")
_ALWAYS_CLOSE = frozenset("\u201d\u00bb")
_CURLY = frozenset("\u201c\u201d\u201e\u201f")

# A single-quoted span longer than this is almost surely two apostrophes.
_MAX_SINGLE_SPAN = 300


@dataclass(slots=True)
class QuoteSpan:
    """One quoted piece: ``text[start:end]`` is the content without marks.

    ``open_at`` is where the opening mark starts and ``close_end`` where the
    closing mark ends (``== end`` when the piece runs open to the end of its
    paragraph). ``continues`` marks a piece of a multi-paragraph quote whose
    next piece opens the following paragraph. ``single`` is set for ‘…’ spans.

    Never changed once made; not frozen, as a frozen dataclass takes four
    times as long to build (one per pair of marks).
    """

    start: int
    end: int
    open_at: int
    close_end: int
    closed: bool = True
    continues: bool = False
    single: bool = False


# (character before, mark, character after) -> direction, for the common cases
# (a mark's neighbours take few distinct values, and this runs once per mark).
_DIRECTIONS: dict[str, int] = {}
_DIRECTIONS_MAX = 4096


def _direction(text: str, at: int) -> int:
    width = 2 if text[at] in "'`" else 1  # ('' and `` are the two-character marks)
    if 0 < at < len(text) - width:
        key = text[at - 1:at + width + 1]
        way = _DIRECTIONS.get(key)
        if way is None:
            way = _read_direction(key[1], key[0], key[-1])
            if len(_DIRECTIONS) < _DIRECTIONS_MAX:
                _DIRECTIONS[key] = way
        return way
    return _read_direction(text[at], text[at - 1] if at > 0 else "\n",
                           text[at + width] if at + width < len(text) else "\n")


def _read_direction(mark: str, before: str, after: str) -> int:
    opens = before in _OPEN_BEFORE and not after.isspace()
    closes = not before.isspace() and (after in _CLOSE_AFTER)
    if after == "\n":
        return _CLOSE  # "They agree. “⏎": a mark ending a paragraph opens nothing
    if mark in _ALWAYS_OPEN:
        # A left mark glued to the end of a word and followed by a space is
        # a misused closing mark ("victory,“ he said").
        return _CLOSE if closes and not opens else _OPEN
    if mark in _ALWAYS_CLOSE:
        # "⏎” … we are ready,” she said": a paragraph opens with a misused mark.
        return _OPEN if (opens or before == "\n") and not closes else _CLOSE
    if opens and not closes:
        return _OPEN
    if closes and not opens:
        return _CLOSE
    return _EITHER


_ATTRIBUTE_RE = re.compile(r"[\w-]+=(?:\"[^\"\n<>]*\"|'[^'\n<>]*')")


def _markup_spans(text: str, p_start: int, p_end: int) -> list[tuple[int, int]]:
    """HTML-like attribute values (``tweet-id="…"``) in a paragraph."""
    if text.find("=", p_start, p_end) < 0:
        return []
    return [m.span() for m in _ATTRIBUTE_RE.finditer(text, p_start, p_end)]


_LABEL_AT_RE = re.compile(r"[A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}:\s")


class _Closers:
    """Closing marks of one paragraph, found once (keeps pairing linear)."""

    __slots__ = ("curly", "last_straight")

    def __init__(self, text: str, p_start: int, p_end: int) -> None:
        self.curly = [m.start() for m in _CURLY_CLOSE_RE.finditer(text, p_start, p_end)]
        self.last_straight = text.rfind('"', p_start, p_end)

    def after(self, at: int, curly: bool) -> bool:
        """Whether the outer quotation opened before ``at`` closes later."""
        if curly:
            return bool(self.curly) and self.curly[-1] > at
        # The last straight mark closes it only if the inner quote closes first.
        i = bisect.bisect_right(self.curly, at)
        return i < len(self.curly) and self.curly[i] < self.last_straight


_CURLY_CLOSE_RE = re.compile("\u201d")

# How far to look for the two closings of a nested quotation (keeps it linear).
_NEST_LOOKAHEAD = 6


def _closes_twice(text: str, marks: list[int], ways: list[int], k: int) -> bool:
    """Whether the marks after a second opening (``marks[k:]``: where they
    start, in order) close it and then the first one (balanced nesting),
    rather than leaving the first one stray. ``ways`` holds the directions
    of ``marks`` found so far (0 for one not read yet); those read here are
    added."""
    depth = 2
    for j in range(k, min(len(marks), k + _NEST_LOOKAHEAD)):
        way = ways[j]
        if not way:
            way = ways[j] = _direction(text, marks[j])
        if way == _OPEN:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return True
    return False


def _closes_twice_from(text: str, at: int, p_end: int) -> bool:
    """``_closes_twice`` for the marks from ``at`` on, found by a scan."""
    marks = [m.start() for m in
             itertools.islice(_DOUBLE_MARK_RE.finditer(text, at, p_end), _NEST_LOOKAHEAD)]
    return _closes_twice(text, marks, [0] * len(marks), 0)


def _pair_paragraph(text: str, p_start: int, p_end: int,
                    following: tuple[int, int] | None, out: list[QuoteSpan],
                    found: list[int]) -> None:
    """Pair the double marks of one paragraph (``found``: where they start,
    in order) into ``out``; ``following`` is the next paragraph (for a quote
    that runs on)."""
    open_at = -1
    open_end = 0  # (where the opening mark ends)
    nested = open_curly = same_nested = False
    closers: _Closers | None = None
    # (_markup_spans's own test first: most paragraphs have no "=")
    markup = _markup_spans(text, p_start, p_end) if text.find("=", p_start, p_end) >= 0 else ()
    if markup:
        # tweet-id="…": an attribute value, not speech.
        found = [f for f in found if not any(a <= f < b for a, b in markup)]
    n = len(text)
    ways = [0] * len(found)  # (directions read ahead by the nesting test: 0 if not)
    for k, at in enumerate(found):
        mark = text[at]  # (the same after the shift below: a "'" either way)
        m_end = at + 2 if mark in "'`" else at + 1  # ('' and ``: two characters)
        shifted = mark == "'" and open_at >= 0 and text.startswith("'''", at)
        if shifted:
            at += 1  # "word 'old-school,''' he said": the inner mark closes first
            m_end += 1
            way = _direction(text, at)
        else:
            way = ways[k]
            if not way:
                # (_direction's memo, looked up here: this loop runs once per mark)
                way = _DIRECTIONS.get(text[at - 1:m_end + 1]) if 0 < at and m_end < n else None
                if way is None:
                    way = _direction(text, at)
        # (whether the mark is curly is read only where it matters: not for
        # the plain closing mark, the commonest case after an opening)
        if open_at < 0:
            if way != _CLOSE:
                open_at, open_end = at, m_end
                nested, open_curly = False, mark in _CURLY
            continue
        if nested:
            if way != _OPEN and ((mark in _CURLY) != open_curly or same_nested):
                nested = False  # the inner quotation closes
            continue
        if way == _OPEN:
            curly = mark in _CURLY
            if curly != open_curly and mark not in "\u00ab\u00bb" and (
                    (closers := closers or _Closers(text, p_start, p_end)).after(at, open_curly)
                    or _LABEL_AT_RE.match(text, open_end, p_end)):
                # "He said “no” twice," / "“WALLACE: As "The Journal" wrote, …":
                # a quotation inside a quotation marked with the other kind
                # of marks (when the outer one closes, or is a transcript).
                nested, same_nested = True, False
                continue
            # (The marks after this one are the rest of ``found``, unless some
            # were left out or this one moved.)
            if curly == open_curly and (
                    _closes_twice_from(text, m_end, p_end) if markup or shifted
                    else _closes_twice(text, found, ways, k + 1)):
                # "He called it “a “fair” deal” twice": the same marks nest.
                nested = same_nested = True
                continue
            # Unclosed mark followed by a fresh opening: the first one was
            # stray, so start again rather than derail the paragraph.
            open_at, open_end = at, m_end
            open_curly = curly
            continue
        if at > open_end:
            out.append(QuoteSpan(open_end, at, open_at, m_end))
        open_at = -1
    if open_at >= 0:
        start = open_end
        end = p_end
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(QuoteSpan(start, end, open_at, end, closed=False,
                                 continues=following is not None
                                 and _opens_paragraph(text, *following)))


def _opens_paragraph(text: str, p_start: int, p_end: int) -> bool:
    """Whether the paragraph opens with an opening double mark (a quote that
    runs on from the paragraph before)."""
    j = p_start
    while j < p_end and text[j].isspace():
        j += 1
    m = _DOUBLE_MARK_RE.match(text, j, p_end)
    return bool(m) and _direction(text, j) != _CLOSE


def _single_spans(text: str, p_start: int, p_end: int,
                  out: list[QuoteSpan]) -> None:
    """‘…’ spans in a paragraph region that has no double quotes."""
    open_at = -1
    n = len(text)
    for m in _SINGLE_MARK_RE.finditer(text, p_start, p_end):
        at = m.start()
        after = text[at + 1] if at + 1 < n else "\n"
        before = text[at - 1] if at > 0 else "\n"
        if after == "'":  # (one after an apostrophe is not found)
            continue
        if open_at < 0 or at - open_at > _MAX_SINGLE_SPAN:
            # Opening: after a space and before a letter; excludes don't, ’90s.
            if (before in _OPEN_BEFORE and (after.isalpha() or after.isdigit())
                    and text[at] != "\u2019" or text[at] == "\u2018"):
                if not (after.isdigit() and text[at] != "\u2018"):
                    open_at = at
            continue
        if before.isalpha() and after.isalpha():
            continue  # an apostrophe inside a word
        if not before.isspace() and after in _CLOSE_AFTER:
            if at > open_at + 1:
                out.append(QuoteSpan(open_at + 1, at, open_at, at + 1,
                                     single=True))
            open_at = -1


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All quoted pieces of ``text`` in document order.

    >>> [text[s.start:s.end] for text in ['He said "yes" twice.']
    ...  for s in find_quote_spans(text)]
    ['yes']
    """
    return quote_spans_in(text, *paragraph_bounds(text))


def paragraph_bounds(text: str) -> tuple[list[int], list[int]]:
    """Where each paragraph (a non-empty line) starts and ends: quote marks pair within them."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _PARAGRAPH_RE.finditer(text):
        a, b = m.span()
        starts.append(a)
        ends.append(b)
    return starts, ends


def quote_spans_in(text: str, starts: list[int], ends: list[int]) -> list[QuoteSpan]:
    """``find_quote_spans`` with the paragraphs (the non-empty lines, by
    their starts and ends) already found."""
    spans: list[QuoteSpan] = []
    if not starts:
        return spans
    # The double marks of the whole text, found in one scan and dealt out to
    # their paragraphs (a mark never spans a line break, so these are the
    # marks a scan of each paragraph finds); most paragraphs of an article
    # have none, and need no pairing.
    i = 0  # the paragraph of the marks in ``found``
    p_end = ends[0]
    found: list[int] = []  # (where they start: a mark's end follows from its character)
    for m in _DOUBLE_MARK_RE.finditer(text):
        at = m.start()
        if at >= p_end:
            # The marks of paragraph i are all found: pair them, then pass
            # the paragraphs up to this mark's, which have none.
            _paragraph_spans(text, starts, ends, i, found, spans)
            found = []
            i += 1
            while ends[i] <= at:
                _paragraph_spans(text, starts, ends, i, found, spans)
                i += 1
            p_end = ends[i]
        found.append(at)
    for k in range(i, len(starts)):
        _paragraph_spans(text, starts, ends, k, found, spans)
        found = []
    return spans


def _paragraph_spans(text: str, starts: list[int], ends: list[int], i: int,
                     found: list[int], spans: list[QuoteSpan]) -> None:
    """The quoted pieces of paragraph ``i``, whose double marks are ``found``."""
    p_start, p_end = starts[i], ends[i]
    if not found:
        # No double marks: single-quoted spans only. (Read from the first
        # single mark, which the test found: the text before it has none.)
        if first := _SINGLE_MARK_RE.search(text, p_start, p_end):
            _single_spans(text, first.start(), p_end, spans)
        return
    before = len(spans)
    _pair_paragraph(text, p_start, p_end,
                    (starts[i + 1], ends[i + 1]) if i + 1 < len(starts) else None, spans, found)
    if len(spans) > before:
        # Single quotes between double-quoted spans: only outside them.
        extra: list[QuoteSpan] = []
        cur = p_start
        for s in spans[before:]:
            if s.open_at - cur > 2 and _SINGLE_MARK_RE.search(text, cur, s.open_at):
                _single_spans(text, cur, s.open_at, extra)
            cur = s.close_end
        if p_end - cur > 2 and _SINGLE_MARK_RE.search(text, cur, p_end):
            _single_spans(text, cur, p_end, extra)
        if extra:
            merged = sorted(spans[before:] + extra, key=lambda s: s.start)
            del spans[before:]
            spans.extend(merged)
