"""The attribution check: did this person really say these words in this article?

Editors get the quotes whose speaker is in doubt, most doubtful first, one at a
time with what they need to decide (the paragraph, the speaker's record, other
people named nearby), and five decisions: confirm, pick another speaker, create
a new speaker, unattributed, not a quote. Each decision is an ``attribution``
history entry and bumps the quote's version; a stale one changes nothing.
The decisions are kept by re-extraction (``services.reextraction``) and
exported as evaluation data (``services.corrections``).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import Float, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..db import utcnow
from ..models import (
    Article,
    AttributionState,
    Quote,
    QuoteMatch,
    ReviewEvent,
    Role,
    Speaker,
    SpeakerAction,
    SpeakerEvent,
    SpeakerKind,
    SpeakerMergeSuggestion,
    SuggestionStatus,
    User,
)
from ..names import TITLES, fold, is_plausible_name, name_key
from . import matching, review, speakers
from .pagination import MAX_PER_PAGE, Page
from .review import InvalidReview, NotAllowed, ReviewError, StaleVersion

__all__ = [
    "ATTRIBUTION_FIELD", "DEFAULT_CHECK_BELOW", "Alternative", "CheckAction", "CheckDetail",
    "CheckItem", "CheckReason", "Piece", "attribution_counts", "check_detail", "check_item_at",
    "check_list", "decide", "flag_for_check", "highlight", "InvalidReview", "NotAllowed",
    "ReviewError", "StaleVersion",
]

#: ReviewEvent.field of every decision.
ATTRIBUTION_FIELD = "attribution"
FLAG_FIELD = "attribution_flag"
#: The default threshold (config ATTRIBUTION_CHECK_BELOW overrides it; see README).
DEFAULT_CHECK_BELOW = 0.9
MAX_ALTERNATIVES = 9
MAX_NOTE_LENGTH = review.MAX_HISTORY_NOTE_LENGTH
DECIDED = (AttributionState.CONFIRMED, AttributionState.CORRECTED,
           AttributionState.UNATTRIBUTED, AttributionState.NOT_A_QUOTE)


class CheckReason(str, enum.Enum):
    """Why a quote is on the check list, strongest first."""

    FLAGGED = "flagged"
    MISATTRIBUTION = "misattribution"
    MERGE_SUGGESTED = "merge_suggested"
    NO_SPEAKER = "no_speaker"
    PRONOUN = "pronoun"
    ANONYMOUS = "anonymous"
    LOW_CONFIDENCE = "low_confidence"
    SURNAME = "surname"
    CONTINUATION = "continuation"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS = {
    CheckReason.FLAGGED: "a reviewer asked for a check",
    CheckReason.MISATTRIBUTION: "the same words are credited to someone else",
    CheckReason.MERGE_SUGGESTED: "the speaker record may duplicate another",
    CheckReason.NO_SPEAKER: "no speaker found",
    CheckReason.PRONOUN: "speaker reached through a pronoun",
    CheckReason.ANONYMOUS: "anonymous or descriptive source",
    CheckReason.LOW_CONFIDENCE: "low extraction confidence",
    CheckReason.SURNAME: "speaker reached through a surname",
    CheckReason.CONTINUATION: "continues an earlier speaker's quote",
}

# What each reason adds to the doubt (1 - confidence is the base). A person's doubt
# (a flag) outranks the machine's; a misattribution is hard evidence; the
# resolutions are already priced into the calibrated confidence, so they only
# break ties.
_WEIGHTS = {
    CheckReason.FLAGGED: 2.0,
    CheckReason.MISATTRIBUTION: 1.0,
    CheckReason.MERGE_SUGGESTED: 0.5,
    CheckReason.ANONYMOUS: 0.2,
    CheckReason.PRONOUN: 0.1,
    CheckReason.NO_SPEAKER: 0.1,
    CheckReason.SURNAME: 0.05,
    CheckReason.CONTINUATION: 0.05,
}
_RESOLUTION_REASONS = {"pronoun": CheckReason.PRONOUN, "none": CheckReason.NO_SPEAKER,
                       "description": CheckReason.ANONYMOUS, "surname": CheckReason.SURNAME,
                       "continuation": CheckReason.CONTINUATION}


class CheckAction(str, enum.Enum):
    """An editor's decision on a quote's attribution, and the state it leads to."""

    CONFIRM = "confirm"
    PICK = "pick"              # another speaker on record
    NEW_SPEAKER = "new_speaker"
    UNATTRIBUTED = "unattributed"
    NOT_A_QUOTE = "not_a_quote"

    @property
    def state(self) -> AttributionState:
        return {
            CheckAction.CONFIRM: AttributionState.CONFIRMED,
            CheckAction.PICK: AttributionState.CORRECTED,
            CheckAction.NEW_SPEAKER: AttributionState.CORRECTED,
            CheckAction.UNATTRIBUTED: AttributionState.UNATTRIBUTED,
            CheckAction.NOT_A_QUOTE: AttributionState.NOT_A_QUOTE,
        }[self]


STATE_LABELS = {
    AttributionState.UNCHECKED: "not checked",
    AttributionState.CONFIRMED: "confirmed",
    AttributionState.CORRECTED: "corrected",
    AttributionState.UNATTRIBUTED: "unattributed",
    AttributionState.NOT_A_QUOTE: "not a quote",
}


# --- the list -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckItem:
    """A quote on the check list, with why it is there."""

    quote: Quote
    position: int                  # 1-based place in the list
    doubt: float
    reasons: tuple[CheckReason, ...]


def _doubt_sources():
    """Quotes with a possible misattribution, and speakers with an open suggested merge.

    Membership tests against one small set each (SQLite builds it an index,
    PostgreSQL hashes it), not a subquery per quote: the list stays fast with
    hundreds of thousands of unchecked quotes.
    """
    flagged_matches = QuoteMatch.misattribution.is_(True)
    misattributed = select(QuoteMatch.quote_id).where(flagged_matches).union(
        select(QuoteMatch.earlier_id).where(flagged_matches))
    is_open = SpeakerMergeSuggestion.status == SuggestionStatus.OPEN.value
    merging = select(SpeakerMergeSuggestion.speaker_id).where(is_open).union(
        select(SpeakerMergeSuggestion.candidate_id).where(is_open))
    return misattributed, merging


def _check_query(below: float, *, listed_only: bool = True):
    misattributed, merging = _doubt_sources()
    misattribution = Quote.id.in_(misattributed.scalar_subquery())
    merge = Quote.speaker_id.in_(merging.scalar_subquery())
    anonymous = Speaker.kind == SpeakerKind.ANONYMOUS

    def weight(condition, reason: CheckReason):
        return case((condition, _WEIGHTS[reason]), else_=0.0)

    doubt = (
        cast(1.0 - Quote.confidence, Float)
        + weight(Quote.flagged.is_(True), CheckReason.FLAGGED)
        + weight(misattribution, CheckReason.MISATTRIBUTION)
        + weight(merge, CheckReason.MERGE_SUGGESTED)
        + weight(or_(anonymous, Quote.resolution == "description"), CheckReason.ANONYMOUS)
        + weight(Quote.resolution == "pronoun", CheckReason.PRONOUN)
        + weight(Quote.resolution == "none", CheckReason.NO_SPEAKER)
        + weight(Quote.resolution.in_(("surname", "continuation")), CheckReason.SURNAME)
    ).label("doubt")
    flags = (
        case((misattribution, 1), else_=0).label("misattribution"),
        case((merge, 1), else_=0).label("merge"),
        case((anonymous, 1), else_=0).label("anonymous"),
    )
    listed = or_(
        Quote.flagged.is_(True),
        and_(Quote.attribution == AttributionState.UNCHECKED,
             or_(Quote.confidence < below, misattribution, merge, anonymous)),
    )
    query = (
        select(Quote, doubt, *flags)
        .outerjoin(Speaker, Speaker.id == Quote.speaker_id)
        .order_by(doubt.desc(), Quote.id.desc())
    )
    return query.where(listed) if listed_only else query


def _item(row, position: int, below: float) -> CheckItem:
    quote, doubt, misattribution, merge, anonymous = row
    reasons = []
    if quote.flagged:
        reasons.append(CheckReason.FLAGGED)
    if misattribution:
        reasons.append(CheckReason.MISATTRIBUTION)
    if merge:
        reasons.append(CheckReason.MERGE_SUGGESTED)
    resolution = _RESOLUTION_REASONS.get(quote.resolution)
    if anonymous and resolution is not CheckReason.ANONYMOUS:
        reasons.append(CheckReason.ANONYMOUS)
    if resolution is not None:
        reasons.append(resolution)
    if quote.confidence < below:
        reasons.append(CheckReason.LOW_CONFIDENCE)
    reasons.sort(key=list(CheckReason).index)
    return CheckItem(quote, position, round(float(doubt), 3), tuple(reasons))


def check_list(session: Session, *, below: float = DEFAULT_CHECK_BELOW, page: int = 1,
               per_page: int = 25) -> Page[CheckItem]:
    """Quotes whose attribution needs an editor, most doubtful first.

    Listed: unchecked quotes with confidence under ``below``, a possible
    misattribution, a suggested merge of their speaker or an anonymous source;
    and any quote a reviewer flagged. Ordered by doubt: 1 - confidence plus a
    weight per reason (a flag first, then misattributions, suggested merges).
    """
    query = _check_query(below)
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(
        query.options(selectinload(Quote.speaker), selectinload(Quote.article))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    first = (page - 1) * per_page + 1
    items = [_item(row, first + index, below) for index, row in enumerate(rows)]
    return Page(items, page, per_page, total)


def check_item_at(session: Session, position: int, *,
                  below: float = DEFAULT_CHECK_BELOW) -> tuple[CheckItem | None, int]:
    """The item at ``position`` (1-based) of the check list, and the list's length.

    Past the end, the last item (after a decision the list is one shorter).
    """
    page = check_list(session, below=below, page=max(1, position), per_page=1)
    if not page.items and page.total:
        page = check_list(session, below=below, page=page.total, per_page=1)
    return (page.items[0] if page.items else None), page.total


def reasons_for(session: Session, quote: Quote, *, below: float = DEFAULT_CHECK_BELOW
                ) -> tuple[CheckReason, ...]:
    """Why this quote is (or would be) on the check list."""
    query = _check_query(below, listed_only=False).where(Quote.id == quote.id)
    row = session.execute(query).first()
    return _item(row, 0, below).reasons if row else ()


# --- one item in full -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text; ``mark`` is "quote", "speaker" or None."""

    text: str
    mark: str | None = None


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another person the words could belong to; ``speaker`` None means a new record."""

    number: int
    name: str
    speaker: Speaker | None
    why: str


@dataclass(frozen=True, slots=True)
class CheckDetail:
    quote: Quote
    reasons: tuple[CheckReason, ...]
    paragraphs: tuple[tuple[Piece, ...], ...]   # the quote's paragraph(s), with one either side
    speaker_quotes: tuple[Quote, ...]           # the speaker's other recent quotes
    speaker_quote_count: int
    speaker_confirmed_count: int
    merge_candidates: tuple[Speaker, ...]
    credited_elsewhere: tuple[Quote, ...]       # the same words under another speaker
    alternatives: tuple[Alternative, ...]


def check_detail(session: Session, quote: Quote, *, below: float = DEFAULT_CHECK_BELOW,
                 recent: int = 5) -> CheckDetail:
    """Everything the check view shows beside one quote."""
    article = quote.article
    lo, hi = _context_span(article.text, quote)
    speaker = quote.speaker
    speaker_quotes: tuple[Quote, ...] = ()
    count = confirmed = 0
    merge_candidates: tuple[Speaker, ...] = ()
    if speaker is not None:
        speaker_quotes = tuple(session.scalars(
            select(Quote).join(Article).where(Quote.speaker_id == speaker.id, Quote.id != quote.id)
            .options(selectinload(Quote.article))
            .order_by(func.coalesce(Article.published_at, Article.created_at).desc(), Quote.id.desc())
            .limit(recent)
        ))
        counts = attribution_counts(session, speaker.id)
        count = sum(counts.values())
        confirmed = editor_confirmed(counts)
        merge_candidates = tuple(_merge_candidates(session, speaker))
    credited = tuple(_credited_elsewhere(session, quote))
    return CheckDetail(
        quote=quote,
        reasons=reasons_for(session, quote, below=below),
        paragraphs=highlight(article.text, lo, hi, _marks(quote)),
        speaker_quotes=speaker_quotes,
        speaker_quote_count=count,
        speaker_confirmed_count=confirmed,
        merge_candidates=merge_candidates,
        credited_elsewhere=credited,
        alternatives=tuple(_alternatives(session, quote, lo, hi, credited, merge_candidates)),
    )


def _marks(quote: Quote) -> list[tuple[int, int, str]]:
    marks = [(s.start, s.end, "quote") for s in quote.segments] or [(quote.start, quote.end, "quote")]
    if quote.speaker_start is not None and quote.speaker_end is not None:
        marks.append((quote.speaker_start, quote.speaker_end, "speaker"))
    return marks


def _context_span(text: str, quote: Quote) -> tuple[int, int]:
    """From the paragraph before the quote and its speaker phrase to the paragraph after."""
    points = [quote.start, quote.end]
    if quote.speaker_start is not None and quote.speaker_end is not None:
        points += [quote.speaker_start, quote.speaker_end]
    lo = max(0, min(min(points), len(text)))
    hi = max(0, min(max(points), len(text)))
    return _previous_paragraph(text, _paragraph_start(text, lo)), \
        _paragraph_end(text, _next_paragraph(text, _paragraph_end(text, hi)))


def _paragraph_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _paragraph_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end == -1 else end


def _previous_paragraph(text: str, start: int) -> int:
    """Start of the paragraph before the one starting at ``start`` (or ``start``)."""
    at = start
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return _paragraph_start(text, at) if at > 0 else start


def _next_paragraph(text: str, end: int) -> int:
    at = end
    while at < len(text) and text[at].isspace():
        at += 1
    return at if at < len(text) else end


def highlight(text: str, lo: int, hi: int,
              marks: Sequence[tuple[int, int, str]]) -> tuple[tuple[Piece, ...], ...]:
    """``text[lo:hi]`` as paragraphs of pieces, with the marked spans set apart.

    Overlapping or out-of-range marks are skipped, never doubled.

    >>> highlight('"Yes," she said.', 0, 16, [(1, 5, "quote"), (7, 10, "speaker")])[0][1]
    Piece(text='Yes,', mark='quote')
    """
    pieces: list[Piece] = []
    position = lo
    for start, end, mark in sorted(marks):
        start, end = max(start, lo), min(end, hi)
        if start < position or start >= end:
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], mark))
        position = end
    if position < hi:
        pieces.append(Piece(text[position:hi]))
    paragraphs: list[list[Piece]] = [[]]
    for piece in pieces:
        for index, part in enumerate(piece.text.split("\n")):
            if index:
                paragraphs.append([])
            if part:
                paragraphs[-1].append(Piece(part, piece.mark))
    return tuple(tuple(p) for p in paragraphs if any(piece.text.strip() for piece in p))


def _merge_candidates(session: Session, speaker: Speaker) -> list[Speaker]:
    rows = session.scalars(
        select(SpeakerMergeSuggestion).where(
            SpeakerMergeSuggestion.status == SuggestionStatus.OPEN.value,
            or_(SpeakerMergeSuggestion.speaker_id == speaker.id,
                SpeakerMergeSuggestion.candidate_id == speaker.id),
        ).options(selectinload(SpeakerMergeSuggestion.speaker),
                  selectinload(SpeakerMergeSuggestion.candidate))
        .order_by(SpeakerMergeSuggestion.score.desc())
    )
    others = [row.candidate if row.speaker_id == speaker.id else row.speaker for row in rows]
    return [other for other in others if other.merged_into_id is None]


def _credited_elsewhere(session: Session, quote: Quote) -> list[Quote]:
    """Quotes with the same words under another speaker (matching's misattribution flag)."""
    rows = session.scalars(
        select(QuoteMatch).where(
            QuoteMatch.misattribution.is_(True),
            or_(QuoteMatch.quote_id == quote.id, QuoteMatch.earlier_id == quote.id),
        ).options(selectinload(QuoteMatch.quote).selectinload(Quote.speaker),
                  selectinload(QuoteMatch.earlier).selectinload(Quote.speaker),
                  selectinload(QuoteMatch.quote).selectinload(Quote.article),
                  selectinload(QuoteMatch.earlier).selectinload(Quote.article))
        .order_by(QuoteMatch.score.desc())
    )
    return [row.earlier if row.quote_id == quote.id else row.quote for row in rows]


# A run of capitalised words (initials and name particles inside): maybe a name.
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*\.?")
_PARTICLES = frozenset("de da van von der den del al bin la le".split())
_POSSESSIVE = re.compile(r"[’']s?$")
# Capitalised words that open sentences or name days and months, not people.
_NOT_NAMES = frozenset(fold(w) for w in """
    a an the this that these those it he she they we i you his her their our my but and or so
    said says asked added told according
    if when while after before as at in on of for from to by with without under over yet still
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december share leave reply
""".split())
# Words that make a capitalised run an institution or a place rather than a person.
_INSTITUTION = frozenset("""
    council department ministry party university committee house senate court police office
    government agency bank company inc corp group association union times post news journal
    street city county state states bridge road river school hospital board authority
    commission institute foundation club airport station report act bill
""".split())


def names_in(text: str) -> list[tuple[int, str]]:
    """Runs of capitalised words that could be people's names, with their offsets.

    Leading titles and sentence openers are dropped; a name needs two words;
    a line of capitalised words alone (a headline) is none.

    >>> names_in("Later, Mayor Ingrid Halvorsen met Tomas Brennick's aide on Tuesday.")
    [(13, 'Ingrid Halvorsen'), (34, 'Tomas Brennick')]
    """
    found = []
    for run in _capitalised_runs(text):
        line_start = text.rfind("\n", 0, run[0][0]) + 1
        line_end = text.find("\n", run[-1][0])
        line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
        if line == " ".join(word for _, word in run) and not line.endswith("."):
            continue  # a headline
        words = list(run)
        while words and fold(words[0][1].rstrip(".")) in _NOT_NAMES | TITLES:
            words.pop(0)
        if len(words) < 2 or any(fold(word.rstrip(".")) in _INSTITUTION for _, word in words):
            continue
        name = _POSSESSIVE.sub("", " ".join(word for _, word in words).rstrip(".,"))
        if is_plausible_name(name) and len(name_key(name).split()) >= 2:
            found.append((words[0][0], name))
    return found


def _capitalised_runs(text: str) -> list[list[tuple[int, str]]]:
    """Capitalised words next to each other on one line (name particles inside)."""
    runs: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    end = 0
    for token in _TOKEN.finditer(text):
        word = token.group(0)
        joined = bool(current) and text[end:token.start()] in (" ", "\t", "\u00a0")
        capital = word[0].isupper()
        if capital or (joined and word in _PARTICLES):
            if not joined:
                if current:
                    runs.append(current)
                current = []
            current.append((token.start(), word))
            end = token.end()
            # "Solberg. The": a full stop after a word (not an initial or a title) ends the run.
            if word.endswith(".") and len(word) > 2 and fold(word[:-1]) not in TITLES:
                runs.append(current)
                current = []
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [[(at, word) for at, word in run]
            for run in (_trim_particles(run) for run in runs) if run]


def _trim_particles(run: list[tuple[int, str]]) -> list[tuple[int, str]]:
    while run and run[-1][1] in _PARTICLES:
        run = run[:-1]
    return run


def _record_named(session: Session, name: str) -> Speaker | None:
    """The record for a name found in the text, trying without leading words too
    ("Harbourmaster Rita Solberg" finds Rita Solberg)."""
    words = name.split()
    for first in range(len(words) - 1):
        key = name_key(" ".join(words[first:]))
        record = speakers.find_speaker(session, key) if key else None
        if record is not None:
            return record
    return None


def _alternatives(session: Session, quote: Quote, lo: int, hi: int,
                  credited: Sequence[Quote], merge_candidates: Sequence[Speaker]) -> list[Alternative]:
    """Other people the words could belong to, most likely first (at most nine).

    Speakers credited with the same words elsewhere; other speakers of the same
    article, nearest first; names in the surrounding paragraphs (on record, then
    new); records that may duplicate this speaker.
    """
    seen_ids = {quote.speaker_id} if quote.speaker_id else set()
    seen_keys = {quote.speaker.key} if quote.speaker is not None else set()
    found: list[tuple[str, Speaker | None, str]] = []

    def offer(speaker: Speaker | None, name: str, why: str) -> None:
        key = speaker.key if speaker is not None else name_key(name)
        if not key or key in seen_keys or (speaker is not None and speaker.id in seen_ids):
            return
        if speaker is not None:
            seen_ids.add(speaker.id)
        seen_keys.add(key)
        found.append((speaker.name if speaker is not None else name, speaker, why))

    for other in credited:
        if other.speaker is not None:
            offer(other.speaker, other.speaker.name, f"credited with these words in “{other.article.title}”")
    neighbours = sorted(
        (q for q in quote.article.quotes if q.id != quote.id and q.speaker is not None),
        key=lambda q: abs(q.start - quote.start),
    )
    for other in neighbours:
        offer(other.speaker, other.speaker.name, "quoted in this article")
    text = quote.article.text
    named = sorted(names_in(text[lo:hi]), key=lambda item: abs(lo + item[0] - quote.start))
    unknown: list[str] = []
    for _, name in named:
        record = _record_named(session, name)
        if record is not None:
            offer(record, record.name, "named nearby")
        else:
            unknown.append(name)
    for name in unknown:
        offer(None, name, "named nearby (no record yet)")
    for speaker in merge_candidates:
        offer(speaker, speaker.name, "may be the same person")
    return [Alternative(number, name, speaker, why)
            for number, (name, speaker, why) in enumerate(found[:MAX_ALTERNATIVES], start=1)]


# --- counts for the speaker page ----------------------------------------------------------


def attribution_counts(session: Session, speaker_id: int) -> dict[AttributionState, int]:
    """How many of the speaker's quotes are in each attribution state."""
    rows = session.execute(
        select(Quote.attribution, func.count()).where(Quote.speaker_id == speaker_id)
        .group_by(Quote.attribution)
    ).all()
    counts = {state: 0 for state in AttributionState}
    for state, number in rows:
        counts[AttributionState(state)] = number
    return counts


def editor_confirmed(counts: dict[AttributionState, int]) -> int:
    """Quotes an editor has tied to this person: confirmed as extracted, or corrected to them."""
    return counts[AttributionState.CONFIRMED] + counts[AttributionState.CORRECTED]


# --- the decisions ------------------------------------------------------------------------


def decide(session: Session, quote: Quote, user: User, action: CheckAction, *, version: int,
           speaker_id: int | None = None, name: str = "", note: str = "") -> list[ReviewEvent]:
    """Record an editor's decision on who said the quote.

    ``speaker_id`` goes with PICK, ``name`` with NEW_SPEAKER (a live record of
    that name is reused, else one is created). Raises NotAllowed (not an editor),
    StaleVersion (someone saved the quote since ``version``) or InvalidReview
    (bad input), with nothing written. Returns the history entries written
    ([] when the quote already stood so).
    """
    if user is None or not user.can(Role.EDITOR):
        raise NotAllowed("Only an editor or above can check attributions.")
    if version != quote.version:
        raise StaleVersion(quote.id, version, quote.version)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidReview({"note": f"At most {MAX_NOTE_LENGTH} characters."})
    action = CheckAction(action)
    before_state, before_speaker = quote.attribution, quote.speaker

    if action is CheckAction.CONFIRM:
        if before_speaker is None:
            raise InvalidReview({"action": "This quote has no speaker to confirm: pick one, "
                                           "or mark it unattributed or not a quote."})
        target = before_speaker
    elif action is CheckAction.PICK:
        target = _picked_speaker(session, quote, speaker_id)
    elif action is CheckAction.NEW_SPEAKER:
        target = _named_speaker(session, name, user)
    else:
        target = None
    moves = target is not before_speaker and (
        target is None or before_speaker is None or target.id != before_speaker.id)
    state = action.state if moves or action.state is not AttributionState.CORRECTED \
        else AttributionState.CONFIRMED  # "another" speaker that is the same one
    if state is before_state and not moves and not quote.flagged:
        return []

    quote.attribution = state
    quote.flagged = False
    try:
        if moves and target is not None:
            # The speaker registry's move: both speakers' histories, the quote's
            # "speaker" entry, misattribution flags refreshed.
            speakers.move_quote(session, quote, target, user=user)
        elif moves:
            _take_speaker_off(session, quote, user, before_speaker)
        else:
            session.flush()  # bumps quote.version, or fails if someone else just saved
    except StaleDataError:
        raise StaleVersion(quote.id, version, None) from None
    except speakers.SpeakerError as error:
        raise InvalidReview({"speaker_id": str(error)}) from None
    return _record(session, quote, user, [(ATTRIBUTION_FIELD, before_state.value, state.value)],
                   note=note)


def _picked_speaker(session: Session, quote: Quote, speaker_id: int | None) -> Speaker:
    try:
        speaker = speakers.resolve_speaker(session, str(speaker_id or ""))
    except speakers.SpeakerError:
        speaker = None
    if speaker is None:
        raise InvalidReview({"speaker_id": "That speaker is not on record; reload the page."})
    if speaker.article_id is not None and speaker.article_id != quote.article_id:
        raise InvalidReview({"speaker_id": "That anonymous source belongs to another article."})
    return speaker


def _named_speaker(session: Session, name: str, user: User) -> Speaker:
    """The live record called ``name``, or a new person record (flushed, with its history)."""
    name = " ".join((name or "").split())
    key = name_key(name) if len(name) <= 300 else ""
    if not key or not is_plausible_name(name):
        raise InvalidReview({"name": "Give the person's or organisation's name (up to 300 characters)."})
    try:
        return speakers.resolve_speaker(session, name)
    except speakers.AmbiguousSpeaker as error:
        raise InvalidReview({"name": f"{error} Pick one of them from the alternatives, "
                                     "or write the name more fully."}) from None
    except speakers.SpeakerNotFound:
        pass
    speaker = Speaker(name=name, key=key, kind=SpeakerKind.PERSON)
    session.add(speaker)
    session.flush()
    session.add(SpeakerEvent(speaker_id=speaker.id, user_id=user.id, action=SpeakerAction.CREATED.value,
                             detail={"name": name, "via": "attribution check"}))
    return speaker


def _take_speaker_off(session: Session, quote: Quote, user: User, previous: Speaker | None) -> None:
    """No one (unattributed, or not a quote at all): the speaker's history notes it.

    Written here until the speaker registry has a move to nobody.
    """
    quote.speaker = None
    session.flush()
    session.add(ReviewEvent(quote_id=quote.id, user_id=user.id, field="speaker",
                            from_value=_name(previous), to_value=None, created_at=utcnow(),
                            quote_version=quote.version))
    if previous is not None:
        session.add(SpeakerEvent(
            speaker_id=previous.id, user_id=user.id, action=SpeakerAction.QUOTE_MOVED_OUT.value,
            detail={"quote_id": quote.id, "from_id": previous.id, "from_name": previous.name,
                    "to_id": None, "to_name": None}))
    session.flush()
    matching.refresh_misattribution(session, [quote.id])


def _record(session: Session, quote: Quote, user: User,
            changes: Sequence[tuple[str, str | None, str | None]], *, note: str) -> list[ReviewEvent]:
    at = utcnow()
    events = [ReviewEvent(quote_id=quote.id, user_id=user.id, field=field, from_value=old,
                          to_value=new, note=note, created_at=at, quote_version=quote.version)
              for field, old, new in changes]
    session.add_all(events)
    session.flush()
    session.expire(quote, ["events"])
    return events


def flag_for_check(session: Session, quote: Quote, user: User, *, version: int,
                   note: str = "") -> list[ReviewEvent]:
    """A reviewer asks an editor to check who said it: the quote goes to the top of the list."""
    if user is None or not user.can(Role.REVIEWER):
        raise NotAllowed("Only desk members can ask for an attribution check.")
    if version != quote.version:
        raise StaleVersion(quote.id, version, quote.version)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidReview({"note": f"At most {MAX_NOTE_LENGTH} characters."})
    if quote.flagged:
        return []
    quote.flagged = True
    try:
        session.flush()
    except StaleDataError:
        raise StaleVersion(quote.id, version, None) from None
    return _record(session, quote, user, [(FLAG_FIELD, None, "check requested")], note=note)


def _name(speaker: Speaker | None) -> str | None:
    return speaker.name if speaker is not None else None
