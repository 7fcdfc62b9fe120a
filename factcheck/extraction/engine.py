"""Tie it together: quoted spans -> attributed quotations."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterator

from .cues import (MASK, REPORTING_VERBS, Cue, according_after, cue_after, cue_before, dash_byline,
                   headline_subject, plausible_speaker, sentence_end, sentence_start,
                   sentence_subject)
from .marks import QuoteSpan, paragraph_bounds, quote_spans_in
from .model import ExtractedQuote
from .speakers import ArticlePeople, parse_speaker

__all__ = ["extract_quotes"]

# Words right before a quote that make it a name or label, not speech.
_LABEL_WORDS = frozenset("""
dubbed dub titled entitled nicknamed named branded labeled labelled so-called term terms
word words phrase slogan hashtag headline headlined film movie book song album show
series program programme play novel article column essay op-ed documentary episode
report bill act operation project campaign motto label the a an his her their its our my
""".split())
_MEDIA_NOUNS = frozenset(
    "film movie book song album show series novel documentary episode".split())
_LABEL_STRONG = frozenset(
    "dubbed dub titled entitled nicknamed named branded labeled labelled so-called "
    "as film movie book song album show series novel documentary episode hashtag "
    "slogan motto".split())
_ACCORDING_AFTER_RE = re.compile(r"[^.\n\u201c\"]*\baccording to\b")
_HAS_WORD_RE = re.compile(r"[^\W_]")
# A quote mark of any kind that is not inside a word (as the apostrophe of
# "don’t" is): a letter or digit on at most one side.
_MARKS = "\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb"
# (Written to open with the marks: the scan then skips from mark to mark.)
_LOOSE_MARK_RE = re.compile(f"[{_MARKS}](?:(?<![^\\W_].)|(?![^\\W_]))")
_TRANSCRIPT_LABEL_RE = re.compile(
    r"\s*([A-Z][A-Z.'\u2019-]+(?: [A-Z][A-Z.'\u2019-]+){0,2}):\s+(?=\S)")
_WORDS_RE = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
# Any word character but "_" and the lower-case ASCII letters: without one, no
# word of a quote starts with a capital or a digit.
_CAPITAL_OR_DIGIT_RE = re.compile(r"[^\W_a-z]")
_SENTENCE_END_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s*$")

# Confidence by how the speaker was reached (see bench/calibration.py).
_CONFIDENCE = {
    # (resolution, cue right against the quote / same paragraph): value.
    # Set from speaker accuracy per group on the train split; printed by
    # bench/calibration.py.
    ("direct", True): 0.96,
    ("direct", False): 0.86,
    ("surname", True): 0.96,
    ("surname", False): 0.92,
    ("description", True): 0.86,
    ("description", False): 0.75,
    ("pronoun", True): 0.7,
    ("pronoun", False): 0.6,
    ("continuation", True): 0.88,
    ("continuation", False): 0.6,
    ("none", True): 0.2,
    ("none", False): 0.2,
}


def _mask(text: str, spans: list[QuoteSpan]) -> str:
    parts: list[str] = []
    cur = 0
    for s in spans:
        if s.start < cur:
            continue
        parts.append(text[cur:s.start])
        # Keep a final . ? ! so the quote can still end the sentence, and a
        # final comma so it can still close an appositive ("Roe, star of
        # “Harbour,” said").
        end = s.end
        if end > s.start and text[end - 1] in ".?!,":
            end -= 1
        parts.append(MASK * (end - s.start))
        cur = end
    parts.append(text[cur:])
    return "".join(parts)


def _clean_segment(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",\u2014\u2013\u2015"):
        end -= 1
    return start, end


# Where a piece of a split quote stops and the next starts: the writer's
# comma (or none), the marks, the attribution, its punctuation, the marks.
_SEAM_MARKS = _MARKS + " \t\n\r\u00a0"


def _joined(text: str, segments: tuple[tuple[int, int], ...]) -> str:
    """The pieces of a split or multi-paragraph quote as one text, punctuated as said.

    A piece that ends in a word lost the comma the writer put before the
    attribution (``_clean_segment``). When the attribution ends its own sentence
    (“… a day,” she said. “This is …”) that comma stood for a full stop: the
    words were “… a day. This is …”; after a comma (“If we wait,” she said,
    “we lose”) the sentence goes on: “If we wait, we lose”. Anything else is
    joined with a space.
    """
    out = [text[segments[0][0]:segments[0][1]]]
    for (_, end), (start, stop) in zip(segments, segments[1:]):
        seam = " "
        if text[end - 1].isalnum():
            gap = text[end:start]
            said_last = gap.rstrip(_SEAM_MARKS)[-1:]
            if said_last and said_last in ".!?:":
                seam = ". "
            elif gap.lstrip()[:1] == ",":
                seam = ", "
        out.append(seam)
        out.append(text[start:stop])
    return "".join(out)


class _Article:
    """Per-article state: text, masked copy, paragraph index, people."""

    __slots__ = ("text", "masked", "spans", "span_starts", "para_starts", "para_ends",
                 "people", "headlines")

    def __init__(self, text: str) -> None:
        self.text = text
        # Paragraphs are the non-empty lines; blank lines do not count, so
        # "the previous paragraph" is the previous block of text. (The same
        # paragraphs as the quote marks are paired in: found once, for both.)
        starts, ends = paragraph_bounds(text)
        self.spans = quote_spans_in(text, starts, ends)
        self.span_starts = [s.open_at for s in self.spans]
        self.masked = _mask(text, self.spans)
        self.para_starts = starts or [0]
        self.para_ends = ends or [len(text)]
        self.people = ArticlePeople(text)
        self.headlines: dict[int, bool] = {}

    def title_case(self, start: int, end: int) -> bool:
        """Whether the paragraph at ``start`` is a title-case headline (cached)."""
        hit = self.headlines.get(start)
        if hit is None:
            hit = self.headlines[start] = _title_case_paragraph(self.text, start, end)
        return hit

    def paragraph(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def paragraph_bounds(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.para_starts, pos) - 1  # (self.paragraph, inline)
        if i < 0:
            i = 0
        return self.para_starts[i], self.para_ends[i]


def _group_spans(art: _Article) -> Iterator[list[int]]:
    """Indices of spans forming one quote (split or multi-paragraph), one
    group at a time (none is kept: fewer objects for the collector)."""
    spans, masked = art.spans, art.masked
    i = 0
    while i < len(spans):
        j = i  # the last span of the group so far
        while True:
            if j + 1 >= len(spans):
                break
            s, n = spans[j], spans[j + 1]
            if s.continues and not s.closed:
                if art.text.find(":", n.start, n.end) >= 0 and \
                        _TRANSCRIPT_LABEL_RE.match(art.text, n.start, n.end):  # (a colon first)
                    break  # the next speaker of a transcript
                if n.closed:
                    # "…\n\n“…,” added Jane Roe.": a mark left open before a
                    # paragraph with an attribution of its own is a new quote.
                    n_end = art.para_ends[art.paragraph(n.open_at)]
                    own = cue_after(masked, n.close_end, n_end)
                    if own is not None and own.tight and own.speaker is not None:
                        break
                j += 1
                continue
            if not s.closed or s.single != n.single:
                break
            between = masked[s.close_end:n.open_at]
            if "\n" in between or len(between) > 200 or MASK in between:
                break
            ends_in = between.rstrip()[-1:]  # (a comma or a stop: the two tests below)
            # "…,” she said, “and …": the attribution interrupts one quote.
            if (ends_in == "," and between.count(",") <= 3
                    and sentence_end(masked, s.close_end, n.open_at) >= n.open_at - 2
                    and art.text[s.start:s.end].rstrip().endswith((",", "\u2014", "-"))
                    and cue_after(masked, s.close_end, n.open_at) is not None
                    and _label_kind(art, s) != 2):  # "titled “…,” adding, “…”": a name first
                j += 1
                continue
            # "…,” Smith said. “And …”: the same attribution goes on in a new
            # sentence right after the cue; one quote in two pieces.
            if (ends_in == "." and len(between) <= 120
                    and art.text[s.start:s.end].rstrip().endswith(",")
                    and art.text[n.start:n.end].lstrip()[:1].isupper()
                    and _words(art.text[s.start:s.end]) >= 3
                    and _words(art.text[n.start:n.end]) >= 3):
                cue = cue_after(masked, s.close_end, n.open_at)
                if cue is not None and cue.tight and cue.speaker is not None:
                    nxt = spans[j + 2].open_at if j + 2 < len(spans) else len(masked)
                    p_end = masked.find("\n", n.close_end)
                    lim = min(nxt, p_end if p_end >= 0 else len(masked))
                    if not n.closed or cue_after(masked, n.close_end, lim) is None:
                        j += 1
                        continue
            break
        yield list(range(i, j + 1)) if j > i else [i]
        i = j + 1


def _words(s: str) -> int:
    return len(_WORDS_RE.findall(s))


def _label_kind(art: _Article, span: QuoteSpan) -> int:
    """0: speech; 1: weak label ("the “reform” bill"); 2: strong ("dubbed “…”")."""
    # The word right before the mark (a set look-up; much cheaper than a
    # regex anchored at the end of the lead).
    tail = art.masked[max(0, span.open_at - 40):span.open_at].rsplit(None, 2)
    if not tail:
        return 0
    raw = tail[-1].lstrip("([{<\"'\u201c\u2018\u2014\u2013-")
    word = raw.lower()
    if word not in _LABEL_WORDS and word != "as" and word != "it":
        return 0  # (the usual case, told without the word before)
    prev = tail[-2].lower() if len(tail) > 1 else ""
    if not (word in _LABEL_WORDS or word == "as" and prev == "known"
            or word == "it" and prev == "called"):
        return 0
    if raw[:1].isupper() and prev and not prev.endswith((".", "!", "?", ":")):
        return 0  # "the comment by Dr. Paul Song “was …”": a name, not a label
    content = art.text[span.start:span.end]
    if word in _LABEL_STRONG:
        if word in _MEDIA_NOUNS and content.lstrip()[:1].islower():
            return 0  # "called the show “the best on air”": words about it
        return 2
    # "the “reform” bill": a short quote after an article is a label.
    return 1 if _words(content) <= 3 and not _SENTENCE_END_RE.search(content) else 0


def extract_quotes(text: str, *, min_uncued_words: int = 4,
                   max_quotes: int | None = None) -> list[ExtractedQuote]:
    """Every attributed direct quotation in ``text``, in document order.

    With ``max_quotes``, only the first ones, and the reading stops there:
    nothing later in the text changes an earlier quote, so they are the first
    ``max_quotes`` of the whole list (a caller that refuses texts with too many
    quotes need not read all of a huge one).

    >>> [(q.text, q.speaker) for q in extract_quotes('“We will win,” Jane Roe said.')]
    [('We will win', 'Jane Roe')]
    """
    if not isinstance(text, str) or not text:
        return []
    art = _Article(text)
    spans = art.spans
    if not spans:
        return []
    out: list[ExtractedQuote] = []
    last_speaker: tuple[int, ExtractedQuote] | None = None
    for group in _group_spans(art):
        if max_quotes is not None and len(out) >= max_quotes:
            break
        first, last = spans[group[0]], spans[group[-1]]
        if len(group) == 1:
            # (Most quotes are one piece: its words are listed once, for the
            # tests below, the word count and the title test.)
            piece_words = _WORDS_RE.findall(text, first.start, first.end)
            if not piece_words:
                continue  # nothing but marks and punctuation: no words to attribute
            if _mostly_marks(text, spans, group, n_words=len(piece_words)):
                continue
        else:
            piece_words = None
            if not any(_HAS_WORD_RE.search(text, spans[k].start, spans[k].end) for k in group):
                continue  # nothing but marks and punctuation: no words to attribute
            if _mostly_marks(text, spans, group):
                continue
        p_start, p_end = art.paragraph_bounds(first.open_at)
        lead_start = sentence_start(art.masked, first.open_at, p_start)
        limit_idx = group[-1] + 1
        limit = p_end
        # (A one-piece quote closes in the paragraph it opens in.)
        lp_end = p_end if last is first else \
            art.paragraph_bounds(last.close_end - 1 if last.close_end else 0)[1]
        if limit_idx < len(spans) and spans[limit_idx].open_at < lp_end:
            limit = spans[limit_idx].open_at
        else:
            limit = lp_end
        quick, seen_after = _quick_after_cue(art, first, last, group, p_start, limit)
        if quick is not None:
            # "“…,” Smith said." with nothing that could bind tighter before
            # the quote: the cue before need not be looked for.
            before, after, cue = None, quick, quick
        else:
            before = cue_before(art.masked, first.open_at, p_start, start=lead_start)
            if before is None and first.open_at - p_start <= 1 and p_start > 0:
                # "Smith said:\n\n“…": the cue ends the previous paragraph.
                prev_start, prev_end = art.paragraph_bounds(p_start - 2)
                while prev_end > prev_start and text[prev_end - 1].isspace():
                    prev_end -= 1
                if prev_end > prev_start and text[prev_end - 1] == ":":
                    before = cue_before(art.masked, prev_end, prev_start)
            after = None
            if before is not None and before.tight and before.speaker is not None:
                pass  # "Smith said: “…”" needs no look past the quote
            elif group[-1] > group[0] and not first.continues:
                after = cue_after(art.masked, first.close_end, spans[group[1]].open_at)
            if after is None and last.closed and not (before is not None and before.tight
                                                      and before.speaker is not None):
                after = seen_after if seen_after is not _UNSEEN else cue_after(
                    art.masked, last.close_end, limit)
            cue = _choose(before, after, art, first)
        if cue is not None and cue.speaker is not None and not plausible_speaker(
                art.masked[cue.speaker[0]:cue.speaker[1]]):
            other = after if cue is before else before
            if other is not None and other.speaker is not None and plausible_speaker(
                    art.masked[other.speaker[0]:other.speaker[1]]):
                cue = other
        if (cue is None or cue.subject_only) and last.closed and limit < lp_end:
            # "“A” and “B,” Dean said.": the attribution closes the sentence,
            # past the next quote.
            wide = cue_after(art.masked, last.close_end, lp_end)
            if wide is not None and wide.speaker is not None and (
                    not wide.tight or _name_inside(art, group[-1] + 1, wide)):
                cue = wide
            elif limit_idx < len(spans) and spans[limit_idx].closed and _JOINED_QUOTES_RE.fullmatch(
                    art.masked, last.close_end, spans[limit_idx].open_at):
                # "Guns are “A” and “B,” Dean, a former governor, proclaimed": the
                # cue right after the next quote names who said both.
                nxt = spans[limit_idx]
                n_limit = spans[limit_idx + 1].open_at if limit_idx + 1 < len(spans) and \
                    spans[limit_idx + 1].open_at < lp_end else lp_end
                shared = cue_after(art.masked, nxt.close_end, n_limit)
                if shared is not None and shared.tight and shared.speaker is not None and \
                        plausible_speaker(art.masked[shared.speaker[0]:shared.speaker[1]]):
                    cue = dataclasses.replace(shared, tight=False)
        content = text[first.start:first.end]
        segments = (_clean_segment(text, first.start, first.end),) if len(group) == 1 else tuple(
            _clean_segment(text, spans[k].start, spans[k].end) for k in group)
        # (A label ends in a colon: test for one before the regex.)
        transcript = _TRANSCRIPT_LABEL_RE.match(text, first.start, first.end) \
            if text.find(":", first.start, first.end) >= 0 else None
        if transcript and segments and transcript.end() < segments[0][1]:
            # "“PENCE: Well, the question …": a transcript line names its
            # speaker; the label is not part of the words.
            segments = ((transcript.end(), segments[0][1]),) + segments[1:]
            cue = Cue(":", (transcript.end(1), transcript.end(1) + 1), transcript.span(1),
                      None, True, False)
            content = text[transcript.end():first.end]
        if len(segments) == 1:  # (most quotes: no generators)
            seg_a, seg_b = segments[0]
            if seg_b <= seg_a:
                continue
            joined = text[seg_a:seg_b]
        else:
            segments = tuple(s for s in segments if s[1] > s[0])
            if not segments:
                continue
            joined = _joined(text, segments)
        # (A one-piece quote's words, unless a transcript label was cut off:
        # the cleaned piece loses only white space and punctuation at its
        # ends, which no word includes.)
        n_words = len(piece_words) if piece_words is not None and transcript is None \
            else _words(joined)
        if n_words == 0:
            continue
        lead = art.masked[lead_start:first.open_at].strip()
        if lead and (cue is None or cue.speaker is None) and _ADVERB_LEAD_RE.fullmatch(lead):
            lead = ""  # "Instead, “he just acts …”": the sentence is the quote
        starts_sentence = not lead or lead[-1] in ",:" and cue is not None and not cue.after
        kind = "full" if (content.lstrip()[:1].isupper() or content.lstrip()[:1].isdigit()) \
            and (starts_sentence or not lead) else "partial"
        if not lead and cue is None and _words(art.masked[first.close_end:limit]) > 10:
            kind = "partial"
        if len(group) == 1 and _is_work_title(
                art, first, p_start, p_end, spans[group[0] - 1] if group[0] else None,
                words=piece_words):
            continue
        if len(group) == 1 and first.single and not text[p_start:first.open_at].strip() and \
                not text[first.close_end:p_end].strip(" .\t") and n_words <= 10:
            continue  # "‘Chief trade prosecutor.’" alone on a line: a section heading
        if (cue is None or cue.subject_only) and art.title_case(p_start, p_end):
            cue = headline_subject(art.masked, p_start, first.open_at) or cue
        label = _label_kind(art, first)
        if (cue is None or cue.speaker is None) and lead and not label:
            # A quote inside a sentence with no reporting verb: the words are
            # the sentence subject's ("Smith decried the “rigged” system").
            s_end = sentence_end(art.masked, max(last.start, last.end - 1), lp_end)
            # cue_before has tried the clauses before the quote already.
            cue = sentence_subject(art.masked, lead_start, s_end, after=first.open_at) or cue
        weak = None
        weak_guess = False
        if cue is not None and cue.speaker is not None:
            phrase = art.masked[cue.speaker[0]:cue.speaker[1]]
            lo = max(p_start, cue.speaker[0] - 60)
            share = _POLL_SHARE_RE.match(phrase) or (
                art.masked.find(" of ", lo, cue.speaker[0]) >= 0  # (cheap test first)
                and _SHARE_OF_BEFORE_RE.search(art.masked, lo, cue.speaker[0]))
            poll = _poll_source(art, cue.speaker[0], p_start) if share else None
            if poll is not None:
                # "In a May poll, 75 percent of voters said …": the poll speaks.
                cue = dataclasses.replace(cue, speaker=poll, role=None)
            elif not plausible_speaker(phrase) and lead:
                weak, cue = cue, None  # "Tuesday", "the past": not who spoke
                # The subject of the sentence is then a better guess than the
                # phrase ("Ruiz, citing “…”, said the port could close").
                s_end = sentence_end(art.masked, max(last.start, last.end - 1), lp_end)
                subj = sentence_subject(art.masked, lead_start, s_end)
                if subj is not None and subj.speaker is not None and plausible_speaker(
                        art.masked[subj.speaker[0]:subj.speaker[1]]):
                    weak, cue = None, subj
        if (cue is None or cue.speaker is None) and last.closed and lp_end < len(text) and \
                not art.masked[last.close_end:lp_end].strip(" .,\u201d\"'"):
            # "“…”\n\n— Jane Roe, Springfield": a byline under the quote.
            n = art.paragraph(last.open_at) + 1
            by = None
            if n < len(art.para_starts):
                by = dash_byline(art.masked, art.para_starts[n], art.para_ends[n])
            if by is not None:
                cue = by
        if (cue is None or cue.speaker is None) and not lead:
            # "Smith disagreed. “…”" / "Smith said the plan would fail.\n\n“…”":
            # a quote with no cue of its own belongs to whoever the reporter
            # just attributed speech to.
            ctx = _context_cue(art, first, p_start)
            if ctx is not None:
                q = _attributed(art, joined, segments, ctx, kind)
                if q is not None and q.speaker is not None:
                    plain = REPORTING_VERBS.get(
                        text[ctx.verb_span[0]:ctx.verb_span[1]].lower()) in _PLAIN_VERBS
                    cap = 0.92 if plain and kind == "full" else _CONTEXT_CONFIDENCE
                    q = dataclasses.replace(q, cue=None, resolution="continuation",
                                            confidence=min(q.confidence, cap))
                    out.append(q)
                    last_speaker = (art.paragraph(last.open_at), q)
                    continue
        if cue is None or cue.speaker is None:
            if label and cue is None:
                continue
            prev = last_speaker
            gap = art.paragraph(first.open_at) - prev[0] if prev is not None else 99
            # A quote paragraph with no cue continues the last speaker; further
            # back than the previous paragraph it is a weaker guess.
            near = gap <= 1 or (gap <= 3 and kind == "full" and n_words >= min_uncued_words)
            # (A colon announces somebody's words, but only a lead that names
            # the last speaker says they are still speaking: "More from Roe:",
            # not "Analysts were blunt - a report by the Courier:".)
            colon = lead.endswith(":") and gap <= 1 and n_words >= 3 and prev is not None \
                and _lead_names(lead, prev[1].speaker)
            if prev is not None and (near and not lead or colon) and (n_words >= 2 or gap == 0):
                # (After a colon naming them, at low confidence.)
                src = prev[1]
                out.append(ExtractedQuote(
                    joined, segments, src.speaker, src.speaker_as_written,
                    src.speaker_span, src.role, src.title, src.speaker_kind,
                    None, kind, 0.3 if lead else _CONFIDENCE[("continuation", gap == 0)],
                    "continuation"))
                last_speaker = (art.paragraph(last.open_at), out[-1])
                continue
            if weak is None:
                if kind == "full" and n_words >= min_uncued_words and not lead:
                    out.append(ExtractedQuote(joined, segments, None, None, None, None, None,
                                              "unknown", None, kind,
                                              _CONFIDENCE[("none", False)], "none"))
                continue
            words = art.masked[weak.speaker[0]:weak.speaker[1]].split()
            if not any(w[:1].isupper() or w.lower() in _NOUN_PHRASE_OPENERS for w in words) \
                    or words[0].lower() in _QUESTION_OPENERS \
                    or len(words) == 1 and words[0].lower().strip(",.:") in _NOT_A_SPEAKER:
                # ("Why not just say:")
                # "divisive", "arranging", "two weeks ago": no name and no noun
                # phrase, so nobody to show; the quote stays, unattributed.
                out.append(ExtractedQuote(joined, segments, None, None, None, None, None,
                                          "unknown", None, kind,
                                          _CONFIDENCE[("none", False)], "none"))
                continue
            # Keep the quote with the doubtful phrase we found, flagged as such.
            cue = dataclasses.replace(weak, subject_only=True, tight=False)
            weak_guess = True
        # (_may_cite: according_after's own first test, over the widest window
        # it reads, before the sentence end it needs is looked up)
        if cue.verb != "according to" and _may_cite(art.masked, cue.verb_span[1]):
            v_end = cue.verb_span[1]
            s_end = sentence_end(art.masked, v_end, art.para_ends[art.paragraph(v_end)])
            cue = according_after(art.masked, cue, s_end) or cue
        if cue.verb != "according to" and not cue.after and last.closed and \
                cue.verb_span[1] <= first.open_at and _may_cite(art.masked, last.close_end):
            # "Roe said the port was “…”, according to the Courier": the
            # reporter's source for the words, as when it follows the verb.
            s_end = sentence_end(art.masked, last.close_end, lp_end)
            # (dataclasses.replace(cue, verb_span=…), built directly: this runs
            # for most quotes, and replace costs twice as much)
            at_quote = Cue(cue.verb, (last.close_end, last.close_end), cue.speaker, cue.role,
                           cue.tight, cue.after, cue.subject_only)
            cue = according_after(art.masked, at_quote, s_end) or cue
        if label == 2 and not cue.tight:
            continue
        q = _attributed(art, joined, segments, cue, kind)
        if q is None:
            continue
        if weak_guess:
            q = dataclasses.replace(q, confidence=min(q.confidence, 0.4))
        out.append(q)
        if q.speaker is not None:
            last_speaker = (art.paragraph(last.open_at), q)
    return out


def _mostly_marks(text: str, spans: list[QuoteSpan], group: list[int], *,
                  n_words: int | None = None) -> bool:
    """Whether the quote marks inside the pieces (outside words: not the
    apostrophe of "don’t") outnumber their words: a run of stray marks that
    happened to pair up, not speech. (No quote of the evaluation corpus's 924
    articles comes near: a nested quote has words around its marks.)
    ``n_words``: the pieces' word count, when the caller has it."""
    if len(group) == 1:  # (most quotes: one piece, no loop)
        stray = len(_LOOSE_MARK_RE.findall(text, spans[group[0]].start, spans[group[0]].end))
    else:
        stray = sum(len(_LOOSE_MARK_RE.findall(text, spans[k].start, spans[k].end))
                    for k in group)
    if stray < 2:
        return False  # (every quote here has a word)
    if n_words is None:
        n_words = sum(len(_WORDS_RE.findall(text, spans[k].start, spans[k].end)) for k in group)
    return stray > n_words


def _may_cite(masked: str, at: int) -> bool:
    """Whether ``according_after`` may find a source after ``at``: the words it
    looks for first, within the most it reads (120 characters)."""
    return masked.find("ccording", at, at + 120) >= 0 or masked.find("report", at, at + 120) >= 0


def _lead_names(lead: str, speaker: str | None) -> bool:
    """Whether ``lead`` mentions ``speaker`` by its last name ("More from Roe:")."""
    if not speaker:
        return False
    last = speaker.split()[-1]
    return len(last) > 1 and re.search(rf"\b{re.escape(last)}\b", lead) is not None


_CONTEXT_CONFIDENCE = 0.84
_AGE_TAIL_RE = re.compile(r",\s*\d{1,3}$")
# "Roe’s spokesman": a description through a name, not the name of who spoke.
_POSSESSIVE_LEAD_RE = re.compile(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*['\u2019]s?\s+[a-z]")
_QUESTION_OPENERS = frozenset("why how what when where whether if given despite".split())
_JOINED_QUOTES_RE = re.compile(r"\s*,?\s*(?:and|or)?\s*")
_NOT_A_SPEAKER = frozenset("then now so but and also here there yes no still later earlier".split())
_NOUN_PHRASE_OPENERS = frozenset("the a an one some many most several this that these those his her "
                                 "their its our".split())
_QUOTE_MARKS = "\"\u201c\u201d\u201e"
_QUOTE_MARK_RE = re.compile(f"[{_QUOTE_MARKS}]")
_PLAIN_VERBS = frozenset(("say", "tell", "add", "write"))
_DASHES = ("\u2014", "\u2013", "\u2015", "-")


def _context_cue(art: _Article, first: QuoteSpan, p_start: int) -> Cue | None:
    """The attribution in the sentence before an uncued quote: earlier in its
    paragraph, or ending the previous paragraph when that one quotes nobody."""
    masked = art.masked
    if first.open_at > p_start + 1:
        floor, end = p_start, first.open_at
    elif p_start > 0:
        floor, end = art.paragraph_bounds(p_start - 1)
        k = bisect.bisect_left(art.span_starts, floor)
        if k < len(art.spans) and art.spans[k].open_at < end:
            return None  # the previous paragraph quotes someone: a continuation
    else:
        return None
    while end > floor and masked[end - 1].isspace():
        end -= 1
    if end > floor and masked[end - 1] in ".:":
        end -= 1
    if end <= floor or MASK in masked[max(floor, end - 2):end]:
        return None
    if MASK in masked[sentence_start(masked, end, floor):end]:
        return None  # the sentence before quotes someone: a continuation
    cue = cue_before(masked, end, floor)
    if cue is None or cue.speaker is None or cue.subject_only:
        return None
    if not plausible_speaker(masked[cue.speaker[0]:cue.speaker[1]]):
        return None
    return cue


_PRONOUN_KINDS = {"he": ("person", "anonymous"), "she": ("person", "anonymous"),
                  "i": ("person", "anonymous"),
                  "it": ("organization",), "they": ("group", "organization"),
                  "we": ("group", "organization")}


def _antecedent(art: _Article, at: int, pronoun: str) -> str | None:
    """Who "he" at ``at`` is: the subject earlier in the same sentence ("The
    president denounced what he called …"), else the subject of the sentence
    before, when its kind and known gender fit."""
    masked = art.masked
    kinds = _PRONOUN_KINDS.get(pronoun)
    if kinds is None:
        return None
    p_start, _ = art.paragraph_bounds(at)
    s_start = sentence_start(masked, at, p_start)
    windows = [(s_start, at)]
    if s_start > p_start:
        windows.append((sentence_start(masked, s_start - 1, p_start), s_start))
    elif p_start > 0:
        q_start, q_end = art.paragraph_bounds(p_start - 1)
        windows.append((sentence_start(masked, max(q_start, q_end - 1), q_start), q_end))
    gender = {"he": "m", "she": "f"}.get(pronoun)
    for a, b in windows:
        if b - a < 3:
            continue
        subj = sentence_subject(masked, a, b, nearest=True)
        if subj is None or subj.speaker is None:
            continue
        phrase = art.text[subj.speaker[0]:subj.speaker[1]]
        if not plausible_speaker(phrase):
            continue
        parsed = parse_speaker(phrase)
        if parsed.pronoun is not None or parsed.kind not in kinds:
            continue
        display = parsed.display
        head = phrase.split()[-1].lower().strip(".,")
        if gender and _NOUN_GENDER.get(head, gender) != gender:
            continue  # "His wife had warned him …, he said": not the wife
        if parsed.kind == "person":
            display = art.people.full_name(display, subj.speaker[0])
            known = art.people.gender(display)
            if gender and known and known != gender:
                continue
        return display
    return None


_NOUN_GENDER = {w: "f" for w in (
    "wife woman mother daughter sister lady queen girl grandmother aunt niece "
    "congresswoman chairwoman spokeswoman businesswoman actress widow").split()}
_NOUN_GENDER.update({w: "m" for w in (
    "husband man father son brother king boy grandfather uncle nephew congressman "
    "chairman spokesman businessman actor widower").split()})


_SMALL_WORDS = frozenset(
    "a an the of and or in on at to for with by from vs but as is it’s its into over not no"
    .split())
_TITLE_LEAD_RE = re.compile(
    r"(?:(?:['\u2019]s|s['\u2019])|\b(?:on\s+to|(?:on|of|in|with|for|at|(?:according|speaking|"
    r"talking|listen(?:s|ed|ing)?)\s+to)(?:\s+the)?|told|tells|telling|(?:podcast|show|program|programme|film|movie|novel|book|series|season|episode|"
    r"trailer|album|song|memoir|autobiography|biography|documentary|column|editorial|article|"
    r"op-ed|play|musical|sitcom|segment|anthem|hits?|pseudonym|nickname|ad|tour),?|(?:re)?stream(?:s|ed|ing)?|cancel(?:l?ed|s)|"
    r"renew(?:s|ed)|(?:self-)?publish(?:es|ed)?|perform(?:s|ed|ing)?|edit(?:s|ed)|"
    r"host(?:s|ed|ing)|star(?:s|red|ring)(?:\s+in)?|watch(?:es|ed|ing)?|air(?:s|ed))|"
    r"\b(the|a|an|its|his|her|their|our|called|including))\s*,?\s*$",
    re.IGNORECASE)
# A media noun or an author right after the name ("“Eclipse” star Ana Ruiz",
# "“Low Tide,” a thriller", "“Low Tide” by Ana Ruiz").
_TITLE_TAIL_RE = re.compile(
    r"[,\u201d\"']*\s+(?:(?:star|host|actor|actress|reboot|remake|sequel|prequel|episode|"
    r"broadcasts?|franchise|series|show|film|movie|album|premiere|finale|season)\b|"
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:thriller|biography|book|novel|film|movie|memoir|"
    r"show|series|collection|comedy|drama|documentary|play|musical|song|album|procedural|"
    r"sitcom)\b|by\s+(?:the\s+)?[A-Z])")
# "in “Low Tide” and “High Water”": the second name in a list of titles.
_TITLE_LIST_RE = re.compile(r"[\u201d\"'],?\s+(?:and|or)\s+$|[\u201d\"'],\s+$")


def _is_work_title(art: _Article, span: QuoteSpan, p_start: int, p_end: int,
                   previous: QuoteSpan | None = None, *, words: list[str] | None = None) -> bool:
    """"on NBC's “Meet the Press”", "a podcast, “So It Goes”", "“Eclipse” star Ana
    Ruiz": a title-case name of a show, book or film after a possessive, a
    preposition, a media noun or verb, or before a media noun or its author."""
    if words is None:  # (``words``: the span's, when the caller has them)
        if not _CAPITAL_OR_DIGIT_RE.search(art.text, span.start, span.end):
            return False  # (no word can start with a capital or a digit: a cheap test first)
        words = _WORDS_RE.findall(art.text, span.start, span.end)
    # (With the words at hand, the loop below answers as fast: with no capital
    # or digit, the first word that is not a small one says no, and if none is
    # there is no significant word.)
    if not words or len(words) > 9:
        return False
    significant = 0  # (how many words are not small ones; each must be capitalised)
    for w in words:
        if w.lower() not in _SMALL_WORDS:
            if not (w[0].isupper() or w[0].isdigit()):
                return False
            significant += 1
    if not significant:
        return False
    if significant < 2 and art.text[span.start:span.end].rstrip()[-1:] in "!?":
        return False  # "the “Choke!”": one shouted word may be speech
    lead_from = max(p_start, span.open_at - 30)
    lead = _TITLE_LEAD_RE.search(art.masked, lead_from, span.open_at)
    if lead and lead.group(1) and significant < 2:
        lead = None  # (after a bare determiner, a name of two words or more)
    if not (lead
            or _TITLE_TAIL_RE.match(art.masked, span.close_end, p_end)
            or previous is not None and previous.close_end > lead_from
            and _TITLE_LIST_RE.search(art.masked, previous.close_end - 1, span.open_at)
            and _is_work_title(art, previous, p_start, p_end)):
        return False
    return not art.title_case(p_start, p_end)


def _title_case_paragraph(text: str, start: int, end: int) -> bool:
    words = _WORDS_RE.findall(text, start, min(end, start + 400))
    if not 3 <= len(words) <= 30:
        return False
    # At least 70% of the words capitalised: the count stops as soon as too
    # many are not (most paragraphs are prose, and say no early).
    need = 0.7 * len(words)
    capitalised = len(words)  # (at most: less each word that is not)
    for w in words:
        if not (w[0].isupper() or w[0].isdigit()):
            capitalised -= 1
            if capitalised < need:
                return False
    return True


_ADVERB_LEAD_RE = re.compile(
    r"(?:(?:and|but|so|yet|still|instead|however|also|later|then|now|again|indeed|"
    r"meanwhile|moreover|besides|otherwise|finally|plus|or)\s*,?\s*){1,2}",
    re.IGNORECASE)
_SHARE = (
    r"(?:(?:about|nearly|almost|more\s+than|fewer\s+than|less\s+than|just|only|some|over)\s+)?"
    r"(?:\d[\d.,]*\s*(?:%|percent|per\s+cent)|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine)\s+(?:in|out\s+of)\s+(?:\d+|ten)|half|"
    r"(?:a|one)\s+(?:third|quarter|half)|two-thirds|three-quarters|majorit(?:y|ies))(?!\w)")
_POLL_SHARE_RE = re.compile(_SHARE, re.IGNORECASE)
# "25 percent of likely voters [say]": the share before the speaker phrase.
_SHARE_OF_BEFORE_RE = re.compile(_SHARE + r"\s+of\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_POLL_RE = re.compile(
    r"\b((?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Ii]ts)\s+(?:(?:[\w'\u2019/-]|\.(?!\s))+\s+){0,6}"
    r"(?:poll|survey|study)s?)\b")


def _poll_source(art: _Article, at: int, p_start: int) -> tuple[int, int] | None:
    """The poll named in the sentence (or the one before) of a share of
    respondents speaking ("22 percent say …")."""
    masked = art.masked
    s_start = sentence_start(masked, at, p_start)
    lo = sentence_start(masked, s_start - 1, p_start) if s_start > p_start else s_start
    hit = None
    for m in _POLL_RE.finditer(masked, lo, at):
        hit = m.span(1)
    return hit


def _name_inside(art: _Article, k: int, cue: Cue) -> bool:
    """"“…,” Bill Lenz, wearing “Varga” pins, said": the next quotation is a
    short name inside the appositive of a cue tight against this quote."""
    spans = art.spans
    n = 0
    while k < len(spans) and spans[k].open_at < cue.verb_span[0]:
        if _words(art.text[spans[k].start:spans[k].end]) > 4 or not (
                cue.speaker[1] <= spans[k].open_at):
            return False
        n += 1
        k += 1
    return n > 0


_UNSEEN = object()


def _quick_after_cue(art: _Article, first: QuoteSpan, last: QuoteSpan, group: list[int],
                     p_start: int, limit: int) -> tuple[Cue | None, object]:
    """The tight cue after a one-piece quote when no cue before it could win
    (a sentence start or a lead not ending in a comma or a colon before the
    mark, no colon paragraph above); also the cue after as looked up, for
    reuse (``_UNSEEN`` if not)."""
    if len(group) != 1 or not last.closed:
        return None, _UNSEEN
    masked = art.masked
    j = first.open_at - 1
    while j >= p_start and masked[j] in " \t\u00a0":
        j -= 1
    if j >= p_start and masked[j] not in ".!?\u201d\"'":
        # Words right before. Every tight cue that cue_before finds needs its
        # lead to end in a comma or a colon (sentence_subject's cues are never
        # tight), and only a tight cue before beats a tight one after in
        # _choose: with neither, nor a colon ending the paragraph above (the
        # other way to a tight cue before), the cue after decides alone.
        k = j
        while k >= p_start and masked[k].isspace():
            k -= 1
        if k >= p_start and masked[k] in ",:":
            return None, _UNSEEN  # a comma/colon right before: the cue before matters
        if first.open_at - p_start <= 1 and p_start > 0:
            k = p_start - 1
            while k > 0 and art.text[k].isspace():
                k -= 1
            if art.text[k] == ":":
                return None, _UNSEEN  # "Smith said:\n\nx“…"
    elif j < p_start and p_start > 0:
        k = p_start - 1
        while k > 0 and art.text[k].isspace():
            k -= 1
        if art.text[k] == ":":
            return None, _UNSEEN  # "Smith said:\n\n“…"
    after = cue_after(masked, last.close_end, limit)
    if after is None or not after.tight or after.speaker is None or after.verb in _DASHES:
        return None, after
    if art.text[first.start:first.end].rstrip()[-1:] in (".", "!", "?") and \
            after.speaker[0] < after.verb_span[0]:
        return None, after  # "… “unhinged.” Rubio called …": maybe a new sentence
    if not plausible_speaker(masked[after.speaker[0]:after.speaker[1]]):
        return None, after
    return after, after


def _choose(before: Cue | None, after: Cue | None, art: _Article,
            first: QuoteSpan) -> Cue | None:
    if before is not None and before.speaker is None:
        before = None
    if after is not None and after.speaker is None:
        after = None
    if (before is not None and before.tight and after is not None and after.tight
            and after.speaker is not None and REPORTING_VERBS.get(after.verb.lower()) == "report"):
        return after  # "Roe said: “…,” the Courier reported": the outer source
    if before is not None and before.tight:
        return before
    if after is not None and after.verb in _DASHES and before is not None:
        after = None  # "… - “quote” - Democrats said": a dash aside, not a byline
    ended = art.text[first.start:first.end].rstrip()[-1:] in (".", "!", "?")
    if (after is not None and after.tight and ended and before is not None
            and after.speaker is not None and after.speaker[0] < after.verb_span[0]):
        # "… called it “unhinged.” Rubio called …": a new sentence, not a cue.
        after = None
    if after is not None and after.tight:
        return after
    if before is not None and not before.subject_only:
        return before
    if after is not None:
        return after
    return before


def _attributed(art: _Article, joined: str, segments: tuple[tuple[int, int], ...],
                cue: Cue, kind: str) -> ExtractedQuote | None:
    text = art.text
    sp_a, sp_b = cue.speaker  # type: ignore[misc]
    while sp_a < sp_b and (text[sp_a] in _QUOTE_MARKS or text[sp_a].isspace()):
        sp_a += 1  # a stray mark opening the paragraph
    while sp_b > sp_a and (text[sp_b - 1] in _QUOTE_MARKS or text[sp_b - 1].isspace()):
        sp_b -= 1
    as_written = text[sp_a:sp_b]
    if not as_written or _QUOTE_MARK_RE.search(as_written):
        # A phrase running across quotation marks is a misread of the marks,
        # never a name: keep the quote, unattributed.
        return ExtractedQuote(joined, segments, None, None, None, None, None, "unknown", None,
                              kind, _CONFIDENCE[("none", False)], "none")
    parsed = parse_speaker(as_written)
    role = text[cue.role[0]:cue.role[1]] if cue.role else None
    if role and (role.split()[0].lower() in ("who", "which", "that", "whose", "speaking")
                 or role.split()[0].endswith(("ed", "ing")) and role[0].islower()):
        role = None  # "Roe, asked about the plan, said": a clause, not a role
    if role is None and parsed.descriptor and parsed.kind == "person":
        role = parsed.descriptor
    if role and parsed.pronoun is None and (parsed.kind != "person" or (
            as_written[:1].islower() or as_written.split()[:1] in (["The"], ["A"], ["An"])
            or _POSSESSIVE_LEAD_RE.match(as_written) is not None
            and as_written.split()[-1].islower())):  # described, not named
        name = _AGE_TAIL_RE.sub("", role.split(",")[0].strip())  # "Jo Lenz, 67", "Ana Ruiz, who lost"
        appos = parse_speaker(name)
        if appos.kind == "person" and appos.descriptor is None and 2 <= len(name.split()) <= 4 \
                and all(w[:1].isupper() for w in name.split()) and cue.role is not None:
            # "the campaign's state director, Mike Rubino, said": name the person.
            role, as_written = as_written, name
            sp_a = cue.role[0] + text[cue.role[0]:cue.role[1]].find(name)
            sp_b = sp_a + len(name)
            parsed = appos
    people = art.people
    if cue.verb == ":" and as_written.isupper() and len(as_written) > 2 and parsed.pronoun is None:
        # A transcript label ("PENCE"): show it as a name, resolved if we can.
        parsed = dataclasses.replace(parsed, display=as_written.title())
    if parsed.pronoun is not None:
        display = _antecedent(art, sp_a, parsed.pronoun)
        if display is None:
            display = people.resolve_pronoun(parsed.pronoun)
        resolution = "pronoun"
        kind_of = "person" if parsed.pronoun in ("he", "she", "i") else (
            "organization" if parsed.pronoun == "it" else "group")
        if display is None:
            kind_of = "unknown"
        else:
            people.note(display, kind_of, pronoun={"he": "m", "she": "f"}.get(parsed.pronoun))
    else:
        display = parsed.display
        kind_of = parsed.kind
        resolution = "direct"
        if display[:1].islower():
            resolution = "description"
        elif kind_of == "person":
            full = people.full_name(display, sp_a)
            if full != display:
                display = full
                resolution = "surname"
        people.note(display, kind_of, title=parsed.title)
    conf = _CONFIDENCE[(resolution, cue.tight)]
    said = REPORTING_VERBS.get(text[cue.verb_span[0]:cue.verb_span[1]].lower()) in _PLAIN_VERBS
    if cue.after and cue.tight and resolution == "description" and kind == "full":
        conf = 0.95  # "“…,” the ministry said": a plain description right at the quote
    elif (not cue.after and not cue.subject_only and said
          and resolution in ("direct", "surname") and kind_of != "unknown"):
        conf = max(conf, 0.93)  # "Smith said the plan was “…”"
    lim = min(len(text), cue.verb_span[1] + 120)
    if text.find("according to", cue.verb_span[1], lim) >= 0 and \
            _ACCORDING_AFTER_RE.match(text, cue.verb_span[1], lim):
        # "…,” Smith said, according to a transcript: second-hand wording.
        conf = min(conf, 0.8)
    if cue.subject_only:
        # Carried by a verb that is not a reporting verb: a weaker guess.
        conf = min(conf, 0.7)
    return ExtractedQuote(joined, segments, display, as_written, (sp_a, sp_b), role,
                          parsed.title, kind_of, text[cue.verb_span[0]:cue.verb_span[1]],
                          kind, conf, resolution)
