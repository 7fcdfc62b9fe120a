"""The review desk's rules: verdicts, ratings, workflow, notes, evidence, assignment.

Every change leaves an append-only ``ReviewEvent`` (who, when, field, from, to,
note). A write names the quote version it was based on; a stale one raises
``StaleVersion`` and changes nothing. Who may do what is decided here, never in
views, so the desk pages and the JSON API follow the same rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from sqlalchemy import Integer, Select, case, cast, distinct, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..db import utcnow
from ..models import (
    Article,
    AttributionState,
    Evidence,
    MatchRelation,
    Quote,
    QuoteMatch,
    ReviewEvent,
    ReviewStatus,
    Role,
    Speaker,
    SpeakerKind,
    User,
    Verdict,
)
from ..names import name_key
from .name_lookup import name_has_words
from .pagination import MAX_PER_PAGE, Page
from .speakers import find_speaker

MAX_NOTE_LENGTH = 20_000          # public and internal notes
MAX_HISTORY_NOTE_LENGTH = 2_000   # the "why" saved with a change
MAX_URL_LENGTH = 2_000

OPEN_STATUSES = (ReviewStatus.NEW, ReviewStatus.IN_PROGRESS, ReviewStatus.AWAITING_SIGNOFF)
# Matches whose published verdict the desk offers to reuse in one click.
REUSABLE_RELATIONS = (MatchRelation.REPEAT, MatchRelation.FRAGMENT)

# Who may move a quote from one status to another. Reaching PUBLISHED is the
# sign-off; leaving a public status (a correction or a withdrawal) is an editor's act.
_TRANSITIONS: dict[ReviewStatus, dict[ReviewStatus, Role]] = {
    ReviewStatus.NEW: {
        ReviewStatus.IN_PROGRESS: Role.REVIEWER,
        ReviewStatus.AWAITING_SIGNOFF: Role.REVIEWER,
        ReviewStatus.PUBLISHED: Role.EDITOR,
    },
    ReviewStatus.IN_PROGRESS: {
        ReviewStatus.NEW: Role.REVIEWER,
        ReviewStatus.AWAITING_SIGNOFF: Role.REVIEWER,
        ReviewStatus.PUBLISHED: Role.EDITOR,
    },
    ReviewStatus.AWAITING_SIGNOFF: {
        ReviewStatus.NEW: Role.REVIEWER,
        ReviewStatus.IN_PROGRESS: Role.REVIEWER,
        ReviewStatus.PUBLISHED: Role.EDITOR,
    },
    ReviewStatus.PUBLISHED: {
        ReviewStatus.CORRECTED: Role.EDITOR,
        ReviewStatus.IN_PROGRESS: Role.EDITOR,
    },
    ReviewStatus.CORRECTED: {
        ReviewStatus.CORRECTED: Role.EDITOR,
        ReviewStatus.IN_PROGRESS: Role.EDITOR,
    },
}


class ReviewField(str, enum.Enum):
    """What a history entry changed (stored in ``ReviewEvent.field``)."""

    VERDICT = "verdict"
    RATING = "rating"
    STATUS = "status"
    PUBLIC_NOTE = "public_note"
    INTERNAL_NOTE = "internal_note"
    MISATTRIBUTED_TO = "misattributed_to"
    EVIDENCE = "evidence"
    ASSIGNEE = "assignee"
    SPEAKER = "speaker"

    @property
    def label(self) -> str:
        return _FIELD_LABELS[self]


_FIELD_LABELS = {
    ReviewField.VERDICT: "Verdict",
    ReviewField.RATING: "Claim rating",
    ReviewField.STATUS: "Status",
    ReviewField.PUBLIC_NOTE: "Public note",
    ReviewField.INTERNAL_NOTE: "Internal note",
    ReviewField.MISATTRIBUTED_TO: "Really said by",
    ReviewField.EVIDENCE: "Evidence",
    ReviewField.ASSIGNEE: "Assigned to",
    ReviewField.SPEAKER: "Speaker",
}
# The fields readers see: changing one on a published quote is a correction.
_PUBLIC_FIELDS = (ReviewField.VERDICT, ReviewField.RATING, ReviewField.PUBLIC_NOTE,
                  ReviewField.MISATTRIBUTED_TO)


# --- errors -------------------------------------------------------------------------------


class ReviewError(Exception):
    """A review change that cannot be made; the message says why."""


class NotAllowed(ReviewError):
    """The user's role (or their part in the verdict) does not allow this change."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class InvalidReview(ReviewError):
    """Values that break the desk's rules, field by field (``errors``: field -> message)."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = dict(errors)


class StaleVersion(ReviewError):
    """Someone saved the quote after the version this change was based on.

    ``current`` is None when the clash was caught by the database at flush time;
    the session must then be rolled back before anything else.
    """

    def __init__(self, quote_id: int, expected: int, current: int | None):
        super().__init__(
            f"Quote {quote_id} changed since you loaded it (you had version {expected}"
            + (f", it is now at version {current})." if current is not None else ").")
        )
        self.quote_id = quote_id
        self.expected = expected
        self.current = current


# --- configuration ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingOption:
    """One step of the claim-rating scale; ``value`` is ClaimReview's ratingValue."""

    key: str
    label: str
    value: float


@dataclass(frozen=True, slots=True)
class DeskRules:
    """The desk's configurable rules (``RATING_SCALE``, ``REQUIRE_SECOND_EDITOR``)."""

    rating_scale: tuple[RatingOption, ...]
    require_second_editor: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DeskRules:
        scale = tuple(RatingOption(str(key), str(label), value)
                      for key, label, value in config.get("RATING_SCALE", ()))
        keys = [option.key for option in scale]
        if len(set(keys)) != len(keys) or any(not key or len(key) > 32 for key in keys):
            raise ValueError("RATING_SCALE needs unique keys of 1 to 32 characters.")
        return cls(scale, bool(config.get("REQUIRE_SECOND_EDITOR", True)))

    def rating(self, key: str | None) -> RatingOption | None:
        return next((option for option in self.rating_scale if option.key == key), None)

    def rating_label(self, key: str | None) -> str:
        option = self.rating(key)
        return option.label if option else (key or "")


# --- what a change carries ----------------------------------------------------------------


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """The fields a save sets; UNCHANGED leaves a field alone.

    ``rating`` None or "" clears it; ``misattributed_to`` is the name of the person
    who really said the words ("" clears it). ``note`` (why) goes into every
    history entry of the save.
    """

    verdict: Verdict = UNCHANGED
    rating: str | None = UNCHANGED
    status: ReviewStatus = UNCHANGED
    public_note: str = UNCHANGED
    internal_note: str = UNCHANGED
    misattributed_to: str = UNCHANGED
    note: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    url: str
    title: str = ""
    archive_url: str | None = None
    accessed_on: date | None = None
    shows: str = ""


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    """What a bulk action did: the quotes changed, and the ones skipped with why."""

    changed: tuple[int, ...]
    skipped: tuple[tuple[int, str], ...]


# The JSON API's PATCH body: field -> what a valid value looks like.
_JSON_FIELDS = ("version", "verdict", "rating", "status", "public_note", "internal_note", "note")


def change_from_json(data: Any, rules: DeskRules) -> tuple[int, ReviewChange]:
    """The version and the change a JSON body asks for; InvalidReview lists each bad field.

    >>> change_from_json({"version": 3, "verdict": "accurate"}, DeskRules(()))[0]
    3
    """
    if not isinstance(data, dict):
        raise InvalidReview({"body": "Send a JSON object."})
    errors: dict[str, str] = {}
    for name in data:
        if name not in _JSON_FIELDS:
            errors[name] = f"Unknown field; the fields are {', '.join(_JSON_FIELDS)}."
    version = data.get("version")
    if "version" not in data:
        errors["version"] = "Required: the version you read (GET the quote first)."
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        errors["version"] = "A whole number from 1 up."
    values: dict[str, Any] = {}
    for name, enum_type in (("verdict", Verdict), ("status", ReviewStatus)):
        if name in data:
            try:
                values[name] = enum_type(data[name])
            except ValueError:
                allowed = ", ".join(member.value for member in enum_type)
                errors[name] = f"One of {allowed}."
    if "rating" in data:
        rating = data["rating"]
        if rating is None or (isinstance(rating, str) and rules.rating(rating)):
            values["rating"] = rating
        else:
            allowed = ", ".join(option.key for option in rules.rating_scale)
            errors["rating"] = f"null or one of {allowed}."
    for name, limit in (("public_note", MAX_NOTE_LENGTH), ("internal_note", MAX_NOTE_LENGTH),
                        ("note", MAX_HISTORY_NOTE_LENGTH)):
        if name in data:
            if not isinstance(data[name], str):
                errors[name] = "A string."
            elif len(data[name]) > limit:
                errors[name] = f"At most {limit} characters."
            else:
                values[name] = data[name]
    if errors:
        raise InvalidReview(errors)
    return version, ReviewChange(**values)


# --- the writes ---------------------------------------------------------------------------


def apply_review(session: Session, quote: Quote, user: User, change: ReviewChange, *,
                 version: int, rules: DeskRules) -> list[ReviewEvent]:
    """Apply a reviewer's or editor's change and record each field that moved.

    Everything is checked before anything is written, so a refused change leaves
    the quote as it was. Changing what readers see on a published verdict makes
    it a correction (editors only). Returns the history entries written.
    """
    _require(user, Role.REVIEWER, "review quotes")
    _check_version(quote, version)
    errors: dict[str, str] = {}
    new: dict[ReviewField, Any] = {}

    if change.verdict is not UNCHANGED and change.verdict != quote.verdict:
        new[ReviewField.VERDICT] = Verdict(change.verdict)
    if change.rating is not UNCHANGED:
        rating = change.rating or None
        if rating is not None and rules.rating(rating) is None:
            errors["rating"] = "Pick a rating from the scale, or none."
        elif rating != quote.rating:
            new[ReviewField.RATING] = rating
    for field, value, current in (
        (ReviewField.PUBLIC_NOTE, change.public_note, quote.public_note),
        (ReviewField.INTERNAL_NOTE, change.internal_note, quote.internal_note),
    ):
        if value is UNCHANGED:
            continue
        value = _clean_text(value)
        if len(value) > MAX_NOTE_LENGTH:
            errors[field.value] = f"At most {MAX_NOTE_LENGTH} characters."
        elif value != (current or ""):
            new[field] = value
    if len(change.note) > MAX_HISTORY_NOTE_LENGTH:
        errors["note"] = f"At most {MAX_HISTORY_NOTE_LENGTH} characters."

    verdict_after = new.get(ReviewField.VERDICT, quote.verdict)
    said_by_before = _name(quote.misattributed_to)  # read before any write (no autoflush midway)
    really_said_by = _really_said_by(session, quote, change.misattributed_to, verdict_after, errors)
    if really_said_by is not UNCHANGED:
        new[ReviewField.MISATTRIBUTED_TO] = really_said_by

    keeps_status = change.status is UNCHANGED or change.status == quote.status
    status_after = quote.status if keeps_status else ReviewStatus(change.status)
    touches_public = any(field in new for field in _PUBLIC_FIELDS)
    if quote.status.is_public and touches_public and keeps_status:
        status_after = ReviewStatus.CORRECTED  # what readers see changes: a correction
    elif quote.status is ReviewStatus.NEW and new and keeps_status:
        status_after = ReviewStatus.IN_PROGRESS  # recording anything starts the work
    is_correction = status_after is ReviewStatus.CORRECTED and (
        touches_public or quote.status is ReviewStatus.PUBLISHED)
    status_moves = status_after != quote.status or is_correction

    author_after = user.id if (ReviewField.VERDICT in new or ReviewField.RATING in new) \
        else quote.verdict_author_id
    if status_moves:
        _check_transition(quote, user, status_after, verdict_after, author_after, rules, errors)
    if errors:
        raise InvalidReview(errors)
    if status_moves:
        new[ReviewField.STATUS] = status_after
    if not new:
        return []

    pending: list[tuple[ReviewField, str | None, str | None]] = []
    if ReviewField.VERDICT in new:
        pending.append((ReviewField.VERDICT, quote.verdict.value, new[ReviewField.VERDICT].value))
        quote.verdict = new[ReviewField.VERDICT]
    if ReviewField.RATING in new:
        pending.append((ReviewField.RATING, quote.rating, new[ReviewField.RATING]))
        quote.rating = new[ReviewField.RATING]
    if ReviewField.VERDICT in new or ReviewField.RATING in new:
        quote.verdict_author_id = user.id
    if ReviewField.MISATTRIBUTED_TO in new:
        speaker = new[ReviewField.MISATTRIBUTED_TO]
        if speaker is not None and speaker.id is None:
            session.add(speaker)
        pending.append((ReviewField.MISATTRIBUTED_TO, said_by_before, _name(speaker)))
        quote.misattributed_to = speaker
    for field in (ReviewField.PUBLIC_NOTE, ReviewField.INTERNAL_NOTE):
        if field in new:
            pending.append((field, getattr(quote, field.value) or "", new[field]))
            setattr(quote, field.value, new[field])
    if ReviewField.STATUS in new:
        pending.append((ReviewField.STATUS, quote.status.value, status_after.value))
        quote.status = status_after
        if status_after is ReviewStatus.PUBLISHED or is_correction:
            quote.signed_off_by_id = user.id
            if quote.published_at is None:
                quote.published_at = utcnow()
    return _save(session, quote, user, pending, note=change.note.strip(), version=version)


def reuse_verdict(session: Session, quote: Quote, user: User, source_id: int, *,
                  version: int, rules: DeskRules) -> list[ReviewEvent]:
    """Copy the published verdict of a matched earlier quote; never publishes.

    The user becomes the verdict's author, so another editor still signs it off.
    """
    _require(user, Role.REVIEWER, "review quotes")
    match = next((m for m in reusable_verdicts(session, quote) if m.earlier_id == source_id), None)
    if match is None:
        raise InvalidReview({"source": "That quote has no published verdict this one can reuse."})
    if quote.status.is_public:
        raise NotAllowed("This verdict is already published; correct it instead.", field="status")
    source = match.earlier
    change = ReviewChange(
        verdict=source.verdict,
        rating=source.rating,
        public_note=source.public_note,
        misattributed_to=_name(source.misattributed_to) or "",
        note=f"Reused the published verdict of quote #{source.id} ({match.relation.value}).",
    )
    return apply_review(session, quote, user, change, version=version, rules=rules)


def add_evidence(session: Session, quote: Quote, user: User, item: EvidenceInput) -> Evidence:
    """Attach a source to the quote. On a published verdict only editors may."""
    _require(user, Role.EDITOR if quote.status.is_public else Role.REVIEWER,
             "add evidence to a published verdict" if quote.status.is_public else "add evidence")
    errors: dict[str, str] = {}
    url = _web_address(item.url, "url", errors, required=True)
    archive_url = _web_address(item.archive_url, "archive_url", errors, required=False)
    if item.accessed_on and item.accessed_on > (utcnow() + timedelta(days=1)).date():
        errors["accessed_on"] = "That date is in the future."
    title, shows = item.title.strip(), _clean_text(item.shows)
    if len(title) > 500:
        errors["title"] = "At most 500 characters."
    if len(shows) > MAX_NOTE_LENGTH:
        errors["shows"] = f"At most {MAX_NOTE_LENGTH} characters."
    if errors:
        raise InvalidReview(errors)
    evidence = Evidence(
        quote_id=quote.id, url=url, title=title, archive_url=archive_url or None,
        accessed_on=item.accessed_on.isoformat() if item.accessed_on else None,
        shows=shows, added_by_id=user.id,
    )
    session.add(evidence)
    session.flush()
    _record(session, quote, user, [(ReviewField.EVIDENCE, None, _evidence_label(evidence))], note=shows)
    session.expire(quote, ["evidence"])
    return evidence


def remove_evidence(session: Session, evidence: Evidence, user: User, *, note: str = "") -> None:
    """Take a source off; its author or an editor may. The history keeps what it was."""
    quote = evidence.quote
    if not (user.can(Role.EDITOR) or (user.can(Role.REVIEWER) and evidence.added_by_id == user.id
                                      and not quote.status.is_public)):
        raise NotAllowed("Only whoever added this evidence, or an editor, can remove it.")
    label = _evidence_label(evidence)
    session.delete(evidence)
    session.flush()
    _record(session, quote, user, [(ReviewField.EVIDENCE, label, None)], note=note.strip())
    session.expire(quote, ["evidence"])


def assign(session: Session, quote: Quote, user: User, assignee: User | None, *,
           version: int) -> list[ReviewEvent]:
    """Give the quote to a desk member (or to nobody).

    Reviewers take unassigned quotes and hand back their own; editors assign anyone.
    """
    _require(user, Role.REVIEWER, "assign quotes")
    _check_version(quote, version)
    _check_assignment(quote, user, assignee)
    if (assignee.id if assignee else None) == quote.assignee_id:
        return []
    change = (ReviewField.ASSIGNEE, _username(quote.assignee), _username(assignee))
    quote.assignee = assignee
    return _save(session, quote, user, [change], note="", version=version)


def fix_speaker(session: Session, quote: Quote, user: User, name: str, *, version: int,
                note: str = "") -> list[ReviewEvent]:
    """An editor's attribution fix: tie the quote to the person named (found or created)."""
    _require(user, Role.EDITOR, "fix who said a quote")
    _check_version(quote, version)
    errors: dict[str, str] = {}
    speaker = _speaker_for_name(session, name, "speaker", errors)
    if len(note) > MAX_HISTORY_NOTE_LENGTH:
        errors["note"] = f"At most {MAX_HISTORY_NOTE_LENGTH} characters."
    if errors:
        raise InvalidReview(errors)
    if speaker.id is not None and speaker.id == quote.speaker_id:
        return []
    if speaker.id is None:
        session.add(speaker)
    change = (ReviewField.SPEAKER, _name(quote.speaker), speaker.name)
    quote.speaker = speaker
    quote.attribution = AttributionState.CORRECTED
    return _save(session, quote, user, [change], note=note.strip(), version=version)


def bulk_assign(session: Session, user: User, items: Sequence[tuple[int, int]],
                assignee: User | None) -> BulkOutcome:
    """Assign each (quote id, version seen) pair; quotes that cannot be are skipped with why."""
    return _bulk(session, items, lambda quote, version: assign(
        session, quote, user, assignee, version=version))


def bulk_set_status(session: Session, user: User, items: Sequence[tuple[int, int]],
                    status: ReviewStatus, *, rules: DeskRules) -> BulkOutcome:
    """Move each (quote id, version seen) to ``status`` under the usual rules."""
    return _bulk(session, items, lambda quote, version: apply_review(
        session, quote, user, ReviewChange(status=status), version=version, rules=rules))


# --- the reads ----------------------------------------------------------------------------


def desk_quote(session: Session, quote_id: int) -> Quote | None:
    """A quote with what the desk page shows beside it."""
    return session.scalars(
        select(Quote).where(Quote.id == quote_id).options(
            selectinload(Quote.speaker), selectinload(Quote.article),
            selectinload(Quote.evidence).selectinload(Evidence.added_by),
            selectinload(Quote.events).selectinload(ReviewEvent.user),
            selectinload(Quote.assignee), selectinload(Quote.verdict_author),
            selectinload(Quote.signed_off_by), selectinload(Quote.misattributed_to),
        )
    ).first()


def changes_since(session: Session, quote_id: int, version: int) -> list[ReviewEvent]:
    """The history entries saved after ``version``: what a stale writer did not see."""
    return list(session.scalars(
        select(ReviewEvent).where(ReviewEvent.quote_id == quote_id,
                                  ReviewEvent.quote_version > version)
        .options(selectinload(ReviewEvent.user)).order_by(ReviewEvent.id)
    ))


def reusable_verdicts(session: Session, quote: Quote) -> list[QuoteMatch]:
    """Earlier quotes this one repeats or is a fragment of, with a published verdict.

    Possible misattributions are left out: a verdict on someone else's words is
    no verdict on these.
    """
    earlier = aliased(Quote)
    return list(session.scalars(
        select(QuoteMatch).join(earlier, earlier.id == QuoteMatch.earlier_id).where(
            QuoteMatch.quote_id == quote.id,
            QuoteMatch.relation.in_(REUSABLE_RELATIONS),
            QuoteMatch.misattribution.is_(False),
            earlier.status.in_([ReviewStatus.PUBLISHED, ReviewStatus.CORRECTED]),
        ).options(selectinload(QuoteMatch.earlier).selectinload(Quote.speaker))
        .order_by(QuoteMatch.score.desc(), QuoteMatch.earlier_id.desc())
    ))


def desk_members(session: Session) -> list[User]:
    """Active accounts, the people a quote can be assigned to."""
    return list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)))


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """The queue's filters; the defaults show every open quote."""

    statuses: tuple[ReviewStatus, ...] = OPEN_STATUSES   # empty: any status
    verdict: Verdict | None = None
    speaker: str = ""             # part of the speaker's name
    outlet: str = ""              # part of the outlet's name
    assignee_id: int | None = None
    unassigned: bool = False
    said_from: date | None = None  # article date (or intake date), inclusive
    said_to: date | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
    quote: Quote
    misattribution: bool  # matching found these words credited to someone else
    other_articles: int   # how many other articles carry these words


def review_queue(session: Session, filters: QueueFilters, *, page: int,
                 per_page: int) -> Page[QueueItem]:
    """Quotes to review, most urgent first.

    Possible misattributions first, then words repeated across the most
    articles, then the newest (by the article's date, else intake).
    """
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    counted = select(func.count(Quote.id))
    if filters.outlet.strip() or filters.said_from or filters.said_to:
        counted = counted.join(Article, Article.id == Quote.article_id)
    total = session.scalar(_filtered(session, counted, filters)) or 0
    spread = _spread()
    misattribution = func.coalesce(spread.c.flagged, 0)
    others = func.coalesce(spread.c.others, 0)
    query = _filtered(
        session,
        select(Quote, misattribution, others)
        .join(Article, Article.id == Quote.article_id)
        .outerjoin(spread, spread.c.quote_id == Quote.id),
        filters,
    ).order_by(misattribution.desc(), others.desc(), _SAID_AT.desc(), Quote.id.desc())
    rows = session.execute(
        query.options(selectinload(Quote.speaker), selectinload(Quote.article),
                      selectinload(Quote.assignee))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    items = [QueueItem(row[0], bool(row[1]), int(row[2])) for row in rows]
    return Page(items, page, per_page, total)


# When the words were said, as far as we know: the article's date, else intake.
_SAID_AT = func.coalesce(Article.published_at, Quote.created_at)


def _spread():
    """Per quote with matches: how many other articles carry its words, and any misattribution."""
    newer, earlier = aliased(Quote), aliased(Quote)
    flagged = cast(QuoteMatch.misattribution, Integer)

    def side(this, other):
        other_article = case((other.article_id != this.article_id, other.article_id), else_=None)
        return (select(this.id.label("quote_id"), other_article.label("other_article"),
                       flagged.label("flagged"))
                .select_from(QuoteMatch)
                .join(newer, newer.id == QuoteMatch.quote_id)
                .join(earlier, earlier.id == QuoteMatch.earlier_id))

    pairs = union_all(side(newer, earlier), side(earlier, newer)).subquery()
    return (
        select(pairs.c.quote_id,
               func.count(distinct(pairs.c.other_article)).label("others"),
               func.max(pairs.c.flagged).label("flagged"))
        .group_by(pairs.c.quote_id).subquery()
    )


def _filtered(session: Session, query: Select, filters: QueueFilters) -> Select:
    if filters.statuses:
        query = query.where(Quote.status.in_(filters.statuses))
    if filters.verdict is not None:
        query = query.where(Quote.verdict == filters.verdict)
    if filters.speaker.strip():
        query = query.join(Speaker, Speaker.id == Quote.speaker_id).where(
            name_has_words(session, [filters.speaker.strip()]))
    if filters.outlet.strip():
        query = query.where(Article.outlet.ilike(_contains(filters.outlet), escape="\\"))
    if filters.unassigned:
        query = query.where(Quote.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        query = query.where(Quote.assignee_id == filters.assignee_id)
    if filters.said_from:
        query = query.where(_SAID_AT >= datetime.combine(filters.said_from, time(), timezone.utc))
    if filters.said_to:
        day_after = datetime.combine(filters.said_to + timedelta(days=1), time(), timezone.utc)
        query = query.where(_SAID_AT < day_after)
    return query


# --- helpers ------------------------------------------------------------------------------


def _require(user: User | None, role: Role, what: str) -> None:
    if user is None or not user.can(role):
        raise NotAllowed(f"Only {'an' if role is Role.ADMIN else 'a'} {role.value} or above can {what}.")


def _check_version(quote: Quote, version: int) -> None:
    if version != quote.version:
        raise StaleVersion(quote.id, version, quote.version)


def _check_transition(quote: Quote, user: User, status: ReviewStatus, verdict: Verdict,
                      author_id: int | None, rules: DeskRules, errors: dict[str, str]) -> None:
    needed = _TRANSITIONS[quote.status].get(status)
    if needed is None:
        errors["status"] = f"A quote cannot go from “{quote.status.label}” to “{status.label}”."
        return
    if not user.can(needed):
        if status is ReviewStatus.CORRECTED:
            raise NotAllowed("This verdict is published: only an editor can correct it.",
                             field="status")
        raise NotAllowed(f"Only an editor can move a quote to “{status.label}”.", field="status")
    if status in (ReviewStatus.PUBLISHED, ReviewStatus.CORRECTED):
        if verdict is Verdict.UNVERIFIED:
            errors["verdict"] = "Give a verdict before publishing."
        elif status is ReviewStatus.PUBLISHED and rules.require_second_editor \
                and author_id == user.id:
            raise NotAllowed("You wrote this verdict, so another editor signs it off. "
                             "Set it to “Awaiting sign-off” instead.", field="status")


def _check_assignment(quote: Quote, user: User, assignee: User | None) -> None:
    if assignee is not None and not assignee.active:
        raise InvalidReview({"assignee": f"{assignee.username}'s account is disabled."})
    if user.can(Role.EDITOR):
        return
    taking = assignee is not None and assignee.id == user.id and quote.assignee_id in (None, user.id)
    handing_back = assignee is None and quote.assignee_id == user.id
    if not (taking or handing_back):
        holder = f" It is assigned to {quote.assignee.username}." if quote.assignee else ""
        raise NotAllowed("Reviewers can take unassigned quotes and hand back their own; "
                         f"an editor assigns the rest.{holder}", field="assignee")


def _really_said_by(session: Session, quote: Quote, name: Any, verdict: Verdict,
                    errors: dict[str, str]) -> Any:
    """The speaker to record as the real author, None to clear it, or UNCHANGED."""
    wanted = "" if name is UNCHANGED else (name or "").strip()
    if verdict is not Verdict.MISATTRIBUTED:
        if wanted:
            errors["misattributed_to"] = "Only for the verdict “Misattributed”; clear it or change the verdict."
            return UNCHANGED
        return None if quote.misattributed_to_id is not None else UNCHANGED
    if name is UNCHANGED:
        return UNCHANGED
    if not wanted:
        return None if quote.misattributed_to_id is not None else UNCHANGED
    speaker = _speaker_for_name(session, wanted, "misattributed_to", errors)
    if speaker is None or (speaker.id is not None and speaker.id == quote.misattributed_to_id):
        return UNCHANGED
    return speaker


def _speaker_for_name(session: Session, name: str, field: str,
                      errors: dict[str, str]) -> Speaker | None:
    """The speaker on record for ``name``, or a new (unsaved) person record."""
    name = (name or "").strip()
    key = name_key(name) if len(name) <= 300 else ""
    if not key:
        errors[field] = "Give a person's or organisation's name (up to 300 characters)."
        return None
    return find_speaker(session, key) or Speaker(name=name, key=key, kind=SpeakerKind.PERSON)


def _save(session: Session, quote: Quote, user: User,
          changes: list[tuple[ReviewField, str | None, str | None]], *, note: str,
          version: int) -> list[ReviewEvent]:
    quote_id = quote.id  # a failed flush expires the quote
    try:
        session.flush()  # bumps quote.version, or fails if someone else just saved
    except StaleDataError:
        raise StaleVersion(quote_id, version, None) from None
    return _record(session, quote, user, changes, note=note)


def _record(session: Session, quote: Quote, user: User,
            changes: list[tuple[ReviewField, str | None, str | None]], *, note: str) -> list[ReviewEvent]:
    at = utcnow()
    events = [
        ReviewEvent(quote_id=quote.id, user_id=user.id, field=field.value, from_value=old,
                    to_value=new, note=note, created_at=at, quote_version=quote.version)
        for field, old, new in changes
    ]
    session.add_all(events)
    session.flush()
    session.expire(quote, ["events"])
    return events


def _bulk(session: Session, items: Sequence[tuple[int, int]], action) -> BulkOutcome:
    changed: list[int] = []
    skipped: list[tuple[int, str]] = []
    for quote_id, version in dict(items).items():
        quote = session.get(Quote, quote_id)
        if quote is None:
            skipped.append((quote_id, "No such quote."))
            continue
        try:
            events = action(quote, version)
        except StaleVersion as error:
            if error.current is None:
                raise
            skipped.append((quote_id, "Changed by someone else since you loaded the queue."))
        except InvalidReview as error:
            skipped.append((quote_id, " ".join(error.errors.values())))
        except ReviewError as error:
            skipped.append((quote_id, str(error)))
        else:
            if events:
                changed.append(quote_id)
    return BulkOutcome(tuple(changed), tuple(skipped))


def _web_address(value: str | None, field: str, errors: dict[str, str], *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = "Give the address (http or https)."
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > MAX_URL_LENGTH:
        errors[field] = "An http or https address, up to 2000 characters."
    return value


def _clean_text(value: str | None) -> str:
    """Browsers send CRLF; store LF and no trailing blank space, so re-saves are no change."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").rstrip()


def _contains(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _evidence_label(evidence: Evidence) -> str:
    return f"{evidence.title} <{evidence.url}>" if evidence.title else evidence.url


def _name(speaker: Speaker | None) -> str | None:
    return speaker.name if speaker is not None else None


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None
