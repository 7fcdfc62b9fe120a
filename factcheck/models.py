"""The stored records: articles, speakers, quotes and the desk's work on them.

Every status is an enum stored as its string value (no native database enum,
so adding a value needs no migration). Timestamps are UTC and end in ``_at``.
Later capabilities add tables rather than rework these.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import UTCDateTime, db, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class ArticleSource(str, enum.Enum):
    PASTE = "paste"
    URL = "url"
    UPLOAD = "upload"
    API = "api"
    CLI = "cli"
    DEMO = "demo"


class SpeakerKind(str, enum.Enum):
    PERSON = "person"
    ORGANIZATION = "organization"
    GROUP = "group"
    ANONYMOUS = "anonymous"
    UNKNOWN = "unknown"


class QuoteKind(str, enum.Enum):
    FULL = "full"
    PARTIAL = "partial"


class Verdict(str, enum.Enum):
    """Did they say it? Kept apart from whether it is true (the rating)."""

    UNVERIFIED = "unverified"
    ACCURATE = "accurate"
    ACCURATE_PARAPHRASE = "accurate_paraphrase"
    MISQUOTED = "misquoted"
    OUT_OF_CONTEXT = "out_of_context"
    MISATTRIBUTED = "misattributed"
    UNSUPPORTED = "unsupported"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]


VERDICT_LABELS = {
    Verdict.UNVERIFIED: "Unverified",
    Verdict.ACCURATE: "Accurate",
    Verdict.ACCURATE_PARAPHRASE: "Accurate paraphrase",
    Verdict.MISQUOTED: "Misquoted",
    Verdict.OUT_OF_CONTEXT: "Out of context",
    Verdict.MISATTRIBUTED: "Misattributed",
    Verdict.UNSUPPORTED: "Unsupported",
    Verdict.DISPUTED: "Disputed",
}


class ReviewStatus(str, enum.Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGNOFF = "awaiting_signoff"
    PUBLISHED = "published"
    CORRECTED = "corrected"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize().replace("signoff", "sign-off")

    @property
    def is_public(self) -> bool:
        return self in (ReviewStatus.PUBLISHED, ReviewStatus.CORRECTED)


class AttributionState(str, enum.Enum):
    """An editor's word on who said it (the attribution check)."""

    UNCHECKED = "unchecked"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    UNATTRIBUTED = "unattributed"
    NOT_A_QUOTE = "not_a_quote"


class Role(str, enum.Enum):
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {"reviewer": 1, "editor": 2, "admin": 3}[self.value]

    def at_least(self, other: "Role") -> bool:
        return self.rank >= other.rank


class MatchRelation(str, enum.Enum):
    REPEAT = "repeat"
    VARIANT = "variant"
    FRAGMENT = "fragment"      # the newer quote lies inside the older one
    EXTENSION = "extension"    # the older quote lies inside the newer one


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.REVIEWER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Flask-Login's protocol, written out so this module needs no Flask import.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def can(self, role: Role) -> bool:
        return self.active and self.role.at_least(role)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    outlet: Mapped[str | None] = mapped_column(String(200))
    authors: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[ArticleSource] = mapped_column(_enum(ArticleSource))

    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="article", order_by="Quote.start", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:40]!r}>"


def _surname_key_default(context) -> str | None:
    from .names import surname_key

    return surname_key(context.get_current_parameters().get("name") or "")


class Speaker(db.Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    # Normalised name ("elena korosteleva"); anonymous descriptions are keyed per
    # article (article_id set) and never shared across articles.
    key: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[SpeakerKind] = mapped_column(_enum(SpeakerKind), default=SpeakerKind.PERSON)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    # Set when this record was merged into another; kept so a merge can be undone.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Transliteration-folded surname ("zelenski"): similar names are looked up by it.
    surname_key: Mapped[str | None] = mapped_column(
        String(120), index=True, default=_surname_key_default
    )

    aliases: Mapped[list["SpeakerAlias"]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.alias"
    )
    quotes: Mapped[list["Quote"]] = relationship(
        back_populates="speaker", foreign_keys="Quote.speaker_id"
    )

    def __repr__(self) -> str:
        return f"<Speaker {self.id} {self.name!r}>"


class SpeakerAlias(db.Model):
    __tablename__ = "speaker_aliases"
    __table_args__ = (UniqueConstraint("speaker_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class SuggestionStatus(str, enum.Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class SpeakerAction(str, enum.Enum):
    """What a SpeakerEvent records."""

    CREATED = "created"
    RENAMED = "renamed"
    ALIAS_ADDED = "alias_added"
    ALIAS_REMOVED = "alias_removed"
    MERGED_IN = "merged_in"          # another speaker was merged into this one
    MERGED_INTO = "merged_into"      # this speaker was merged into another
    MERGE_UNDONE = "merge_undone"
    QUOTE_MOVED_IN = "quote_moved_in"
    QUOTE_MOVED_OUT = "quote_moved_out"
    SUGGESTION_REJECTED = "suggestion_rejected"


class SpeakerMergeSuggestion(db.Model):
    """An uncertain fuzzy name match, offered to editors, never applied silently."""

    __tablename__ = "speaker_merge_suggestions"
    __table_args__ = (UniqueConstraint("speaker_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open/accepted/rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Speaker] = relationship(foreign_keys=[speaker_id])
    candidate: Mapped[Speaker] = relationship(foreign_keys=[candidate_id])


class SpeakerEvent(db.Model):
    """Append-only history of editors' changes to speakers (merge, rename, aliases)."""

    __tablename__ = "speaker_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


class Quote(db.Model):
    __tablename__ = "quotes"
    __table_args__ = (
        Index("ix_quotes_status_created", "status", "created_at"),
        UniqueConstraint("article_id", "start", name="uq_quotes_article_start"),
        # The few quotes readers never see, found and counted without a scan (see services.browse).
        Index("ix_quotes_not_a_quote", "id", sqlite_where=text("attribution = 'not_a_quote'"),
              postgresql_where=text("attribution = 'not_a_quote'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # First and last character of the quote in the article text (segments hold each piece).
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker_as_written: Mapped[str | None] = mapped_column(String(500))
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str | None] = mapped_column(String(100))
    cue: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[QuoteKind] = mapped_column(_enum(QuoteKind), default=QuoteKind.FULL)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    # How the extractor reached the speaker: direct, surname, pronoun, continuation...
    resolution: Mapped[str] = mapped_column(String(32), default="none")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The desk's work (review issue); defaults mean "nobody has looked yet".
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict), default=Verdict.UNVERIFIED, index=True)
    rating: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus), default=ReviewStatus.NEW)
    public_note: Mapped[str] = mapped_column(Text, default="")
    internal_note: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    verdict_author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    misattributed_to_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id"))
    attribution: Mapped[AttributionState] = mapped_column(
        _enum(AttributionState), default=AttributionState.UNCHECKED
    )
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optimistic locking: every write bumps it; a stale writer gets a conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    article: Mapped[Article] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(back_populates="quotes", foreign_keys=[speaker_id])
    misattributed_to: Mapped[Speaker | None] = relationship(foreign_keys=[misattributed_to_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    verdict_author: Mapped[User | None] = relationship(foreign_keys=[verdict_author_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    segments: Mapped[list["QuoteSegment"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteSegment.start"
    )
    events: Mapped[list["ReviewEvent"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="ReviewEvent.id"
    )
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="Evidence.id"
    )

    @property
    def is_published(self) -> bool:
        return self.status.is_public

    @property
    def is_not_a_quote(self) -> bool:
        """Editors judged these words not a quote (a headline, a title): readers never see it."""
        return self.attribution is AttributionState.NOT_A_QUOTE

    def __repr__(self) -> str:
        return f"<Quote {self.id} {self.text[:40]!r}>"


class QuoteSegment(db.Model):
    """One piece of a quote in the article text; a split quote has two or more."""

    __tablename__ = "quote_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    quote: Mapped[Quote] = relationship(back_populates="segments")


class QuoteMatch(db.Model):
    """A relation between a quote and an earlier one, found by fuzzy matching."""

    __tablename__ = "quote_matches"
    __table_args__ = (UniqueConstraint("quote_id", "earlier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    earlier_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    relation: Mapped[MatchRelation] = mapped_column(_enum(MatchRelation))
    score: Mapped[float] = mapped_column(Float)
    # The same words credited to a different speaker.
    misattribution: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quote: Mapped[Quote] = relationship(foreign_keys=[quote_id])
    earlier: Mapped[Quote] = relationship(foreign_keys=[earlier_id])


class ReviewEvent(db.Model):
    """Append-only history of a quote: who changed what, when, from and to."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(32))  # verdict, rating, status, note, evidence...
    from_value: Mapped[str | None] = mapped_column(Text)
    to_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The quote's version once this change was saved: a stale writer is shown the
    # entries above the version they loaded (the changes they did not see).
    quote_version: Mapped[int | None] = mapped_column(Integer)

    quote: Mapped[Quote] = relationship(back_populates="events")
    user: Mapped[User | None] = relationship()


class Evidence(db.Model):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(500), default="")
    archive_url: Mapped[str | None] = mapped_column(String(2000))
    accessed_on: Mapped[str | None] = mapped_column(String(10))  # ISO date
    shows: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    quote: Mapped[Quote] = relationship(back_populates="evidence")
    added_by: Mapped[User | None] = relationship()


class Job(db.Model):
    """Background work (URL fetches, bulk ingestion, re-matching) and its state."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The same request twice (a retried job, a double click) maps to one job.
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    state: Mapped[JobState] = mapped_column(_enum(JobState), default=JobState.QUEUED, index=True)
    error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MatchTerm(db.Model):
    """How many indexed quotes hold a word (by its 32-bit hash): its rarity for matching."""

    __tablename__ = "match_terms"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    quotes: Mapped[int] = mapped_column(Integer, default=0)


class MatchPosting(db.Model):
    """One entry of the matching index: a quote, found under one of its rarest words.

    Derived data (``flask rematch`` rebuilds it), so no foreign key: a posting of
    a deleted quote finds nothing and costs nothing.
    """

    __tablename__ = "match_postings"
    __table_args__ = {"sqlite_with_rowid": False}

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    quote_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ContentVersion(db.Model):
    """One row: bumped by every committed change to what pages show (see pagecache.py)."""

    __tablename__ = "content_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)


class StoredArticlePage(db.Model):
    """An article's page as a reader who is not signed in gets it, rendered ahead of the
    first request and kept with the page version and release it was rendered for
    (see factcheck/stored_pages.py). Derived data: any row may be dropped at any time."""

    __tablename__ = "article_pages"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    # The article's page version (article_page_versions) when it was rendered.
    version: Mapped[int] = mapped_column(BigInteger)
    # What rendered it (pagecache.release_digest): another release renders it again.
    release: Mapped[str] = mapped_column(String(32))
    etag: Mapped[str] = mapped_column(String(64))
    # The HTML, zlib-compressed.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MatchChunk(db.Model):
    """PostgreSQL's form of the matching index: a term's quote ids, a few hundred to
    a row. A lookup reads about one row per term (a row per posting would cost
    PostgreSQL ~60 bytes each in tuple headers; a GIN index would cost a random heap
    read per candidate). SQLite uses ``match_postings``; each database leaves the
    other's table empty.
    """

    __tablename__ = "match_chunks"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    chunk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    quote_ids: Mapped[list[int]] = mapped_column(JSON().with_variant(ARRAY(Integer), "postgresql"))


# The full-text index over quotes lives beside their table (see search_index.py), the
# index over speaker names beside the aliases' (see name_index.py), the article page
# versions beside the quote segments (see page_versions.py).
from . import name_index as _name_index  # noqa: E402
from . import page_versions as _page_versions  # noqa: E402
from . import search_index as _search_index  # noqa: E402

_search_index.attach(Quote.__table__)
_name_index.attach(SpeakerAlias.__table__)
_page_versions.attach(QuoteSegment.__table__)
