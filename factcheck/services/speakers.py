"""The speaker registry: one record per person, and the editors' changes to it.

At ingestion a speaker phrase is matched to a record by its normalised key, then
by an alias, then by a careful fuzzy match on the name (certain only for
transliteration variants and an added middle name). An uncertain fuzzy match
creates a new record and a SpeakerMergeSuggestion for editors: nothing is merged
silently. Anonymous and descriptive sources ("a senior U.S. diplomat",
"protesters") get a record per article, never shared across articles.

Editors merge (undoable), rename, add and remove aliases and move quotes; each
change is a SpeakerEvent.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import func, inspect, or_, select, text
from sqlalchemy.orm import Session, aliased, selectinload

from ..extraction import ExtractedQuote
from ..models import (
    Article, Quote, QuoteMatch, ReviewEvent, Speaker, SpeakerAction, SpeakerAlias, SpeakerEvent,
    SpeakerKind, SpeakerMergeSuggestion, SuggestionStatus, User, Verdict,
)
from ..names import (
    SUGGEST_MERGE_AT, compare_names, fold, is_plausible_name, name_key, organisation_key,
    surname_key,
)
from .matching import refresh_misattribution
from .pagination import Page, paginate

__all__ = [
    "AmbiguousSpeaker", "InvalidName", "MergeNotAllowed", "NameTaken", "SpeakerError",
    "SpeakerLookup", "SpeakerNotFound", "SpeakerProfile", "UndoNotPossible", "accept_suggestion", "add_alias",
    "find_speaker", "merge_speakers", "move_quote", "open_suggestions", "remove_alias",
    "rename_speaker", "reject_suggestion", "resolve_speaker", "speaker_for_quote",
    "speaker_history", "speaker_profile", "undo_merge",
]

_KINDS = {kind.value: kind for kind in SpeakerKind}
_NAMED = (SpeakerKind.PERSON, SpeakerKind.UNKNOWN)
_SUGGESTIONS_PER_NAME = 3
_FUZZY_CANDIDATES = 200
# A group phrase starting with one of these describes people, it does not name a group.
_QUANTIFIERS = frozenset(
    "a an some several many most few other others two three four five dozens hundreds "
    "thousands one another both all".split()
)


class SpeakerError(ValueError):
    """Bad input for a speaker change; the message is shown to the editor."""


class SpeakerNotFound(SpeakerError):
    pass


class AmbiguousSpeaker(SpeakerError):
    pass


class InvalidName(SpeakerError):
    pass


class NameTaken(SpeakerError):
    """The name is another speaker's: merging is the way to join them."""

    def __init__(self, message: str, other: Speaker) -> None:
        super().__init__(message)
        self.other = other


class MergeNotAllowed(SpeakerError):
    pass


class UndoNotPossible(SpeakerError):
    pass


# -- ingestion ---------------------------------------------------------------------------

class SpeakerLookup:
    """The answers :func:`find_speaker` would give for every name of a batch of
    articles, read in two queries and kept current as the batch adds speakers and
    aliases; and the anonymous sources of the batch's new articles.

    It lives for one batch in one transaction: changes made by others meanwhile
    (an editor's merge) are not seen, so it is never kept beyond the batch.

    ``settle_later``: the caller calls :meth:`settle` once the batch is stored. On
    PostgreSQL the new names and aliases are then checked against other writers
    together, at the end, instead of each when first met (see :meth:`settle`).
    """

    def __init__(self, session: Session, quotes: Iterable[ExtractedQuote], *,
                 new_articles: Iterable[Article] = (), settle_later: bool = False) -> None:
        self.session = session
        self._new_articles = {article.id for article in new_articles}
        self._per_article: dict[tuple[int, str], Speaker] = {}
        self.deferred = settle_later and session.connection().dialect.name == "postgresql"
        self._made: list[Speaker] = []  # deferred: records this batch made for new names
        # deferred: aliases for records stored before the batch, written by settle()
        self._aliases: dict[tuple[int, str], tuple[Speaker, str]] = {}
        keys = {key for key in map(_lookup_key, quotes) if key}
        self._found: dict[str, Speaker | None] = dict.fromkeys(keys)
        if not keys:
            return
        aliases = session.execute(
            select(SpeakerAlias.key, SpeakerAlias.speaker_id).where(SpeakerAlias.key.in_(keys))
        ).all()
        holders = {speaker_id for _, speaker_id in aliases}
        live = {speaker.id: speaker for speaker in session.scalars(
            select(Speaker)
            .where(or_(Speaker.key.in_(keys), Speaker.id.in_(holders)) if holders
                   else Speaker.key.in_(keys),
                   Speaker.merged_into_id.is_(None), Speaker.article_id.is_(None))
            .options(selectinload(Speaker.aliases))  # new aliases are checked against them
            .order_by(Speaker.id)
        )}
        for speaker in live.values():  # a key match wins over an alias, the oldest record first
            if speaker.key in keys and self._found[speaker.key] is None:
                self._found[speaker.key] = speaker
        for key, speaker_id in sorted(aliases, key=lambda row: row[1]):
            if self._found[key] is None and speaker_id in live:
                self._found[key] = live[speaker_id]

    def find(self, key: str) -> Speaker | None:
        """Like :func:`find_speaker`, from memory for the batch's names."""
        if key not in self._found:
            self.session.flush()  # what the batch added so far must be seen
            self._found[key] = find_speaker(self.session, key)
        return self._found[key]

    def created(self, speaker: Speaker) -> None:
        self._found[speaker.key] = speaker  # created because nobody had the key
        if self.deferred:
            self._made.append(speaker)

    def defer_alias(self, speaker: Speaker, written: str, key: str) -> bool:
        """Deferred: an alias of a record made by this batch is added now (nobody else
        sees the record yet), one of a record stored before is kept for :meth:`settle`.
        False when not deferred: the caller checks for other writers itself."""
        if not self.deferred:
            return False
        if any(speaker is made for made in self._made):
            speaker.aliases.append(SpeakerAlias(alias=_display(written), key=key))
        else:
            self._aliases.setdefault((speaker.id, key), (speaker, written))
        self.aliased(speaker, key)
        return True

    def alias_keys(self, speaker: Speaker) -> list[str]:
        """The keys of the aliases kept for :meth:`settle` for this record."""
        return [key for (speaker_id, key) in self._aliases if speaker_id == speaker.id]

    def settle(self, quotes: Iterable[Quote]) -> None:
        """Deferred: make the batch's new names and aliases agree with other writers.

        Two workers storing the same new name at once must make one record. Waiting
        for each other when the name is first met would hold the name until the whole
        batch commits (the other worker waits that long, and two batches meeting two
        names in opposite orders deadlock); so the batch makes its records freely and,
        here, once its work is done, takes every name's lock in one stable order. A
        record another transaction made for the same name meanwhile (now committed)
        is then the one kept: this batch's quotes move over to it (misattribution
        flags recomputed) and its own is dropped. Aliases are written here likewise,
        each once.
        """
        if not self.deferred or not (self._made or self._aliases):
            return
        session = self.session
        made = [speaker for speaker in self._made if _still_usable(speaker)]
        _wait_for_all(session, [f"speaker {speaker.key}" for speaker in made]
                      + [f"alias {speaker_id} {key}" for speaker_id, key in self._aliases])
        made_ids = [speaker.id for speaker in made]
        twins = [(speaker, twin) for speaker in made
                 if (twin := _made_elsewhere(session, speaker, made_ids)) is not None]
        moved: list[int] = []
        if twins:
            moved = self._fold(twins, list(quotes))
        self._write_aliases()
        if moved:
            refresh_misattribution(session, moved)

    def _fold(self, twins: list[tuple[Speaker, Speaker]], quotes: list[Quote]) -> list[int]:
        """Each of this batch's records into the one made elsewhere; the quotes moved."""
        session = self.session
        by_id = {speaker.id: twin for speaker, twin in twins}
        moved = []
        for quote in quotes:
            twin = by_id.get(quote.speaker.id) if quote.speaker is not None else None
            if twin is not None:
                quote.speaker = twin
                moved.append(quote.id)
        extra_locks = []
        for speaker, twin in twins:
            for alias in list(speaker.aliases):
                speaker.aliases.remove(alias)  # delete-orphan: gone with the record
                if alias.key != twin.key and not any(a.key == alias.key for a in twin.aliases):
                    self._aliases.setdefault((twin.id, alias.key), (twin, alias.alias))
                    extra_locks.append(f"alias {twin.id} {alias.key}")
            self._found[speaker.key] = twin
        suggestions = session.scalars(select(SpeakerMergeSuggestion).where(or_(
            SpeakerMergeSuggestion.speaker_id.in_(list(by_id)),
            SpeakerMergeSuggestion.candidate_id.in_(list(by_id))))).all()
        offered = {(s.speaker_id, s.candidate_id) for s in suggestions}
        for suggestion in suggestions:
            twin = by_id.get(suggestion.candidate_id)
            if suggestion.speaker_id in by_id or (suggestion.speaker_id, twin.id) in offered:
                session.delete(suggestion)  # the record kept has its own suggestions
            else:
                offered.add((suggestion.speaker_id, twin.id))
                suggestion.candidate = twin
        session.flush()
        for speaker, _ in twins:
            session.delete(speaker)
        session.flush()
        _wait_for_all(session, extra_locks)
        return moved

    def _write_aliases(self) -> None:
        """The kept aliases, but those another transaction wrote meanwhile (its lock is held)."""
        if not self._aliases:
            return
        present = {(speaker_id, key) for speaker_id, key in self.session.execute(
            select(SpeakerAlias.speaker_id, SpeakerAlias.key).where(
                SpeakerAlias.speaker_id.in_({speaker_id for speaker_id, _ in self._aliases}),
                SpeakerAlias.key.in_({key for _, key in self._aliases})))}
        for (speaker_id, key), (speaker, written) in sorted(self._aliases.items()):
            if (speaker_id, key) not in present and _still_usable(speaker) and \
                    not any(alias.key == key for alias in speaker.aliases):
                speaker.aliases.append(SpeakerAlias(alias=_display(written), key=key))
        self._aliases.clear()
        self.session.flush()

    def aliased(self, speaker: Speaker, key: str) -> None:
        if key not in self._found:
            return  # never asked for: looked up (after a flush) if it ever is
        current = self._found[key]
        if current is None or (current.key != key and speaker.id < current.id):
            self._found[key] = speaker

    def is_new(self, article: Article) -> bool:
        """An article of this batch, which has no anonymous sources stored yet."""
        return article.id in self._new_articles

    def per_article(self, article: Article, key: str) -> Speaker | None:
        return self._per_article.get((article.id, key))

    def per_article_created(self, article: Article, speaker: Speaker) -> None:
        self._per_article[(article.id, speaker.key)] = speaker


def _lookup_key(quote: ExtractedQuote) -> str | None:
    """The key :func:`speaker_for_quote` looks a named speaker up by (None: no lookup)."""
    name = (quote.speaker or "").strip()
    if not is_plausible_name(name):
        return None
    kind = _KINDS.get(quote.speaker_kind, SpeakerKind.UNKNOWN)
    if kind is SpeakerKind.ANONYMOUS or (kind is SpeakerKind.GROUP and _is_description(name)):
        return None
    key = organisation_key(name) if kind in (SpeakerKind.ORGANIZATION, SpeakerKind.GROUP) \
        else name_key(name)
    return key if is_plausible_name(key) else None


def speaker_for_quote(session: Session, quote: ExtractedQuote, article: Article, *,
                      lookup: SpeakerLookup | None = None) -> Speaker | None:
    """The speaker record for an extracted quote, created when it is new.

    Returns None (an unattributed quote) for no name, a pronoun, or a "name" made
    of punctuation, digits or emoji, rather than a junk record. ``lookup`` answers
    the name lookups of a batch of articles from memory.
    """
    name = (quote.speaker or "").strip()
    if not is_plausible_name(name):
        return None
    kind = _KINDS.get(quote.speaker_kind, SpeakerKind.UNKNOWN)
    # An article quotes few people many times: each phrase is looked up once per article.
    seen = _ARTICLE_SPEAKERS.setdefault(article, {})
    cache_key = (name, kind, quote.resolution == "direct" and quote.speaker_as_written)
    cached = seen.get(cache_key, _UNSEEN)
    if cached is None or (cached is not _UNSEEN and _still_usable(cached)):
        return cached
    with session.no_autoflush:  # the article's pending quotes are written once, at the end
        if kind is SpeakerKind.ANONYMOUS or (kind is SpeakerKind.GROUP and _is_description(name)):
            speaker = _per_article_speaker(session, name, kind, article, lookup)
        elif kind in (SpeakerKind.ORGANIZATION, SpeakerKind.GROUP):
            speaker = _named_body(session, name, kind, lookup)
        else:
            speaker = _person(session, name, kind, quote, lookup)
    seen[cache_key] = speaker
    return speaker


_ARTICLE_SPEAKERS: "weakref.WeakKeyDictionary[Article, dict]" = weakref.WeakKeyDictionary()
_UNSEEN = object()


def _still_usable(speaker: Speaker) -> bool:
    """A remembered record is reused only while it is stored and not merged away
    (a rolled-back transaction or an editor's merge may have happened since)."""
    state = inspect(speaker)
    return (state.persistent or state.pending) and speaker.merged_into_id is None


def find_speaker(session: Session, key: str) -> Speaker | None:
    """A live (not merged-away, not per-article) speaker whose key or an alias key is
    ``key``; a key match wins over an alias match."""
    if not key:
        return None
    by_alias = select(SpeakerAlias.speaker_id).where(SpeakerAlias.key == key)
    return session.scalars(
        select(Speaker)
        .where(or_(Speaker.key == key, Speaker.id.in_(by_alias.scalar_subquery())),
               Speaker.merged_into_id.is_(None), Speaker.article_id.is_(None))
        .order_by((Speaker.key == key).desc(), Speaker.id)
        .limit(1)
    ).first()


def _person(session: Session, name: str, kind: SpeakerKind, quote: ExtractedQuote,
            lookup: SpeakerLookup | None) -> Speaker | None:
    key = name_key(name)
    if not is_plausible_name(key):
        return None
    speaker = lookup.find(key) if lookup is not None else find_speaker(session, key)
    suggestions: list[tuple[Speaker, float]] = []
    if speaker is None:
        speaker, suggestions = _fuzzy_person(session, key, lookup)
        if speaker is not None:
            _remember_alias(session, speaker, name, lookup)
    if speaker is None:
        speaker = _made_meanwhile(session, key, lookup)
    if speaker is None:
        speaker = Speaker(name=_display(name), key=key, kind=kind)
        session.add(speaker)
        session.flush()
        if lookup is not None:
            lookup.created(speaker)
        for candidate, score in suggestions:
            session.add(SpeakerMergeSuggestion(speaker_id=speaker.id, candidate_id=candidate.id,
                                               score=score))
    if quote.resolution == "direct" and quote.speaker_as_written:
        _remember_alias(session, speaker, quote.speaker_as_written, lookup)
    return speaker


def _fuzzy_person(session: Session, key: str, lookup: SpeakerLookup | None = None
                  ) -> tuple[Speaker | None, list[tuple[Speaker, float]]]:
    """(a certain match, or None and the uncertain ones worth suggesting)."""
    surname = surname_key(key)
    if not surname:
        return None, []
    prefix = surname[:3]
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    candidates = session.scalars(
        select(Speaker)
        .where(Speaker.surname_key >= prefix, Speaker.surname_key < upper,
               Speaker.kind.in_(_NAMED), Speaker.merged_into_id.is_(None),
               Speaker.article_id.is_(None))
        .options(selectinload(Speaker.aliases))
        .order_by(Speaker.id)
        .limit(_FUZZY_CANDIDATES)
    ).all()
    certain: list[Speaker] = []
    scored: list[tuple[Speaker, float]] = []
    for candidate in candidates:
        kept = lookup.alias_keys(candidate) if lookup is not None and lookup.deferred else []
        best = max((compare_names(key, other) for other in
                    [candidate.key, *(a.key for a in candidate.aliases), *kept]),
                   key=lambda c: (c.certain, c.score))
        if best.certain:
            certain.append(candidate)
        elif best.score >= SUGGEST_MERGE_AT:
            scored.append((candidate, best.score))
    if certain:
        return certain[0], []
    scored.sort(key=lambda item: (-item[1], item[0].id))
    return None, scored[:_SUGGESTIONS_PER_NAME]


def _named_body(session: Session, name: str, kind: SpeakerKind,
                lookup: SpeakerLookup | None) -> Speaker | None:
    key = organisation_key(name)
    if not is_plausible_name(key):
        return None
    speaker = lookup.find(key) if lookup is not None else find_speaker(session, key)
    if speaker is None:
        speaker = _made_meanwhile(session, key, lookup)
    if speaker is None:
        speaker = Speaker(name=_display(name), key=key, kind=kind)
        session.add(speaker)
        session.flush()
        if lookup is not None:
            lookup.created(speaker)
    return speaker


def _per_article_speaker(session: Session, description: str, kind: SpeakerKind,
                         article: Article, lookup: SpeakerLookup | None) -> Speaker | None:
    key = organisation_key(description)[:300]
    if not key:
        return None
    if article.id is None:
        session.flush()
    if lookup is not None and lookup.is_new(article):
        speaker = lookup.per_article(article, key)
    else:
        speaker = session.scalars(
            select(Speaker).where(Speaker.key == key, Speaker.article_id == article.id)
        ).first()
    if speaker is None:
        speaker = Speaker(name=_display(description), key=key, kind=kind, article_id=article.id)
        session.add(speaker)
        session.flush()
        if lookup is not None:
            lookup.per_article_created(article, speaker)
    return speaker


def _is_description(name: str) -> bool:
    words = name.split()
    if words and fold(words[0]) == "the" and len(words) > 1:
        words = words[1:]
    return not words or words[0][:1].islower() or fold(words[0]) in _QUANTIFIERS


def _remember_alias(session: Session, speaker: Speaker, written: str | None,
                    lookup: SpeakerLookup | None = None) -> None:
    """Keep a new full way of writing the name ("Hillary Rodham Clinton").

    A bare surname is never remembered: "Clinton" in the next article may be
    someone else.
    """
    if not written or len(written) > 300:
        return
    key = name_key(written) if speaker.kind in _NAMED else organisation_key(written)
    if not key or key == speaker.key or len(key.split()) < 2:
        return
    if any(alias.key == key for alias in speaker.aliases):
        return
    if lookup is not None and lookup.defer_alias(speaker, written, key):
        return
    if speaker.id is not None and _wait_for_writers(session, f"alias {speaker.id} {key}") and \
            session.scalar(select(SpeakerAlias.id).where(SpeakerAlias.speaker_id == speaker.id,
                                                         SpeakerAlias.key == key)) is not None:
        return  # another transaction gave it this alias since the batch looked
    speaker.aliases.append(SpeakerAlias(alias=_display(written), key=key))
    if lookup is not None:
        lookup.aliased(speaker, key)


def _made_meanwhile(session: Session, key: str, lookup: SpeakerLookup | None) -> Speaker | None:
    """Before a new record is made for ``key``: the one another transaction made for it
    meanwhile, if any (see :func:`_wait_for_writers`); deferred to the end of a
    batch that settles later (see :meth:`SpeakerLookup.settle`)."""
    if (lookup is not None and lookup.deferred) or not _wait_for_writers(session, f"speaker {key}"):
        return None
    speaker = find_speaker(session, key)
    if speaker is not None and lookup is not None:
        lookup.created(speaker)
    return speaker


def _wait_for_writers(session: Session, name: str) -> bool:
    """Take a lock on ``name`` until this transaction ends, waiting for any other
    transaction holding it; True when a fresh read may now see what it wrote.

    Two workers ingesting the same new name at once would otherwise each make a
    record (speaker keys are not unique: records are merged, not refused) or
    collide on the same alias. PostgreSQL: a transaction-scoped advisory lock, and
    reads after it see what the other transaction committed. SQLite takes one
    writer at a time (``BEGIN IMMEDIATE``), so there is nothing to wait for.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return False
    connection.execute(text("SELECT pg_advisory_xact_lock(:number)"), {"number": _lock_number(name)})
    return True


def _wait_for_all(session: Session, names: Iterable[str]) -> None:
    """:func:`_wait_for_writers` for many names at once (PostgreSQL only), in one
    statement and one order for every transaction, so two never wait for each other."""
    numbers = sorted({_lock_number(name) for name in names})
    if numbers:
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(n) FROM unnest(CAST(:numbers AS bigint[])) AS t(n)"),
            {"numbers": numbers})


def _lock_number(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def _made_elsewhere(session: Session, speaker: Speaker, made_ids: list[int]) -> Speaker | None:
    """The live record another transaction has for ``speaker``'s key (as
    :func:`find_speaker` would find it, this batch's new records aside)."""
    key = speaker.key
    by_alias = select(SpeakerAlias.speaker_id).where(SpeakerAlias.key == key)
    return session.scalars(
        select(Speaker)
        .where(or_(Speaker.key == key, Speaker.id.in_(by_alias.scalar_subquery())),
               Speaker.merged_into_id.is_(None), Speaker.article_id.is_(None),
               Speaker.id.not_in(made_ids))
        .order_by((Speaker.key == key).desc(), Speaker.id)
        .limit(1)
    ).first()


def _display(name: str) -> str:
    return " ".join(name.split())[:300]


# -- looking speakers up -------------------------------------------------------------------

def resolve_speaker(session: Session, reference: str) -> Speaker:
    """The live speaker an editor means: a number (the id) or a name or alias.

    Raises SpeakerNotFound, or AmbiguousSpeaker when several share the name.
    """
    reference = (reference or "").strip().lstrip("#")
    if not reference:
        raise SpeakerNotFound("Give a speaker's number or name.")
    if reference.isdigit():
        speaker = session.get(Speaker, int(reference))
        if speaker is None:
            raise SpeakerNotFound(f"There is no speaker number {reference}.")
        while speaker.merged_into_id is not None:
            speaker = session.get(Speaker, speaker.merged_into_id)
        return speaker
    keys = {name_key(reference), organisation_key(reference)} - {""}
    if not keys:
        raise SpeakerNotFound("That is not a name.")
    by_key = select(Speaker.id).where(Speaker.key.in_(keys))
    by_alias = select(SpeakerAlias.speaker_id).where(SpeakerAlias.key.in_(keys))
    found = session.scalars(
        select(Speaker).where(
            Speaker.merged_into_id.is_(None),
            Speaker.id.in_(by_key.union(by_alias).scalar_subquery()),
        ).order_by(Speaker.id)
    ).all()
    if not found:
        raise SpeakerNotFound(f"No speaker is called “{reference}”.")
    if len(found) > 1:
        numbers = ", ".join(f"{s.name} (#{s.id})" for s in found[:6])
        raise AmbiguousSpeaker(f"Several speakers match: {numbers}. Give the number.")
    return found[0]


# -- editors' changes ------------------------------------------------------------------------

def rename_speaker(session: Session, speaker: Speaker, new_name: str, *, user: User | None,
                   keep_old_as_alias: bool = True) -> SpeakerEvent:
    """Give a speaker a new display name; the old one stays findable as an alias."""
    _require_live(speaker)
    new_name = _display(new_name or "")
    if not is_plausible_name(new_name):
        raise InvalidName("A name needs at least two letters (no pronouns).")
    key = _key_for(speaker, new_name)
    if not key:
        raise InvalidName("That name has nothing left once titles are taken off.")
    other = _other_owner(session, speaker, key)
    if other is not None:
        raise NameTaken(f"“{new_name}” is already {other.name} (#{other.id}): merge the two instead.",
                        other)
    old_name, old_key = speaker.name, speaker.key
    speaker.name, speaker.key = new_name, key
    speaker.surname_key = surname_key(new_name)
    for alias in list(speaker.aliases):
        if alias.key == key:
            speaker.aliases.remove(alias)
    if keep_old_as_alias and old_key != key and old_key:
        speaker.aliases.append(SpeakerAlias(alias=old_name, key=old_key))
    return _event(session, speaker, user, SpeakerAction.RENAMED, {"from": old_name, "to": new_name})


def add_alias(session: Session, speaker: Speaker, alias: str, *, user: User | None) -> SpeakerEvent:
    """Another way the speaker's name is written; ingestion will find them by it."""
    _require_live(speaker)
    alias = _display(alias or "")
    if not is_plausible_name(alias):
        raise InvalidName("An alias needs at least two letters (no pronouns).")
    key = _key_for(speaker, alias)
    if not key:
        raise InvalidName("That alias has nothing left once titles are taken off.")
    if key == speaker.key or any(a.key == key for a in speaker.aliases):
        raise InvalidName(f"“{alias}” already finds {speaker.name}.")
    other = _other_owner(session, speaker, key)
    if other is not None:
        raise NameTaken(f"“{alias}” is {other.name} (#{other.id}): merge the two instead.", other)
    record = SpeakerAlias(alias=alias, key=key)
    speaker.aliases.append(record)
    session.flush()
    return _event(session, speaker, user, SpeakerAction.ALIAS_ADDED, {"alias": alias, "alias_id": record.id})


def remove_alias(session: Session, speaker: Speaker, alias_id: int, *, user: User | None) -> SpeakerEvent:
    alias = next((a for a in speaker.aliases if a.id == alias_id), None)
    if alias is None:
        raise SpeakerNotFound("That alias is not this speaker's (perhaps removed already).")
    speaker.aliases.remove(alias)
    return _event(session, speaker, user, SpeakerAction.ALIAS_REMOVED, {"alias": alias.alias})


def merge_speakers(session: Session, source: Speaker, target: Speaker, *, user: User | None,
                   suggestion: SpeakerMergeSuggestion | None = None) -> SpeakerEvent:
    """Merge ``source`` into ``target``: its quotes and aliases move over, its name
    becomes an alias, and it redirects to ``target``. Undo with :func:`undo_merge`."""
    if source.id == target.id:
        raise MergeNotAllowed("A speaker cannot be merged into itself.")
    _require_live(source)
    _require_live(target)
    if source.article_id is not None or target.article_id is not None:
        raise MergeNotAllowed(
            "Anonymous and descriptive sources stay with their article; move single quotes instead."
        )
    quote_ids = list(session.scalars(select(Quote.id).where(Quote.speaker_id == source.id)))
    for quote in session.scalars(select(Quote).where(Quote.id.in_(quote_ids))):
        quote.speaker = target
    moved_aliases, dropped_aliases, created_aliases = [], [], []
    target_keys = {target.key, *(a.key for a in target.aliases)}
    for alias in list(source.aliases):
        if alias.key in target_keys:
            dropped_aliases.append({"alias": alias.alias, "key": alias.key})
            source.aliases.remove(alias)
        else:
            source.aliases.remove(alias)
            target.aliases.append(alias)
            target_keys.add(alias.key)
            moved_aliases.append(alias)
    if source.key not in target_keys:
        name_alias = SpeakerAlias(alias=source.name, key=source.key)
        target.aliases.append(name_alias)
        created_aliases.append(name_alias)
    source.merged_into_id = target.id
    for pending in session.scalars(select(SpeakerMergeSuggestion).where(
            SpeakerMergeSuggestion.status == SuggestionStatus.OPEN.value,
            SpeakerMergeSuggestion.speaker_id.in_([source.id, target.id]),
            SpeakerMergeSuggestion.candidate_id.in_([source.id, target.id]))):
        pending.status = SuggestionStatus.ACCEPTED.value
        suggestion = suggestion or pending
    session.flush()
    detail = {
        "source_id": source.id, "source_name": source.name, "target_id": target.id,
        "target_name": target.name, "quote_ids": quote_ids,
        "moved_alias_ids": [a.id for a in moved_aliases],
        "created_alias_ids": [a.id for a in created_aliases],
        "dropped_aliases": dropped_aliases,
        "suggestion_id": suggestion.id if suggestion is not None else None,
    }
    event = _event(session, target, user, SpeakerAction.MERGED_IN, detail)
    _event(session, source, user, SpeakerAction.MERGED_INTO,
           {"target_id": target.id, "target_name": target.name, "merge_event_id": event.id})
    refresh_misattribution(session, quote_ids)
    return event


def undo_merge(session: Session, event_id: int, *, user: User | None) -> SpeakerEvent:
    """Split a merge again: the quotes and aliases that came over go back.

    Quotes moved elsewhere since stay where they are; a merge whose target was
    merged on afterwards is undone by undoing the later merge first.
    """
    event = session.get(SpeakerEvent, event_id)
    if event is None or event.action != SpeakerAction.MERGED_IN.value:
        raise UndoNotPossible("That history entry is not a merge.")
    detail = dict(event.detail or {})
    if merge_undone(session, event):
        raise UndoNotPossible("That merge was undone already.")
    target = session.get(Speaker, detail["target_id"])
    source = session.get(Speaker, detail["source_id"])
    if source is None or target is None or source.merged_into_id != target.id:
        raise UndoNotPossible("The merged speaker no longer points at this one.")
    if target.merged_into_id is not None:
        raise UndoNotPossible(
            f"{target.name} was merged into another speaker since: undo that merge first."
        )
    returned = []
    for quote in session.scalars(select(Quote).where(Quote.id.in_(detail.get("quote_ids", [])))):
        if quote.speaker_id == target.id:
            quote.speaker = source
            returned.append(quote.id)
    for alias in list(target.aliases):
        if alias.id in detail.get("moved_alias_ids", []):
            target.aliases.remove(alias)
            source.aliases.append(alias)
        elif alias.id in detail.get("created_alias_ids", []):
            target.aliases.remove(alias)
    for dropped in detail.get("dropped_aliases", []):
        if not any(a.key == dropped["key"] for a in source.aliases):
            source.aliases.append(SpeakerAlias(alias=dropped["alias"], key=dropped["key"]))
    source.merged_into_id = None
    if detail.get("suggestion_id"):
        suggestion = session.get(SpeakerMergeSuggestion, detail["suggestion_id"])
        if suggestion is not None:
            suggestion.status = SuggestionStatus.OPEN.value
    session.flush()
    undo = _event(session, target, user, SpeakerAction.MERGE_UNDONE,
                  {"merge_event_id": event.id, "source_id": source.id, "source_name": source.name,
                   "quote_ids": returned,
                   "left_elsewhere": len(detail.get("quote_ids", [])) - len(returned)})
    _event(session, source, user, SpeakerAction.MERGE_UNDONE,
           {"merge_event_id": event.id, "target_id": target.id, "target_name": target.name})
    refresh_misattribution(session, returned)
    return undo


def merge_undone(session: Session, event: SpeakerEvent) -> bool:
    """Has this merge event been undone?"""
    undos = session.scalars(select(SpeakerEvent).where(
        SpeakerEvent.speaker_id == event.speaker_id,
        SpeakerEvent.action == SpeakerAction.MERGE_UNDONE.value,
    ))
    return any((u.detail or {}).get("merge_event_id") == event.id for u in undos)


def move_quote(session: Session, quote: Quote, target: Speaker, *, user: User | None) -> SpeakerEvent:
    """Credit one quote to another speaker (in both speakers' and the quote's history)."""
    _require_live(target)
    if quote.speaker_id == target.id:
        raise SpeakerError(f"This quote is already credited to {target.name}.")
    previous = quote.speaker
    quote.speaker = target
    session.flush()
    session.add(ReviewEvent(quote_id=quote.id, user_id=user.id if user else None, field="speaker",
                            from_value=previous.name if previous else None, to_value=target.name,
                            quote_version=quote.version))
    detail = {"quote_id": quote.id, "from_id": previous.id if previous else None,
              "from_name": previous.name if previous else None,
              "to_id": target.id, "to_name": target.name}
    if previous is not None:
        _event(session, previous, user, SpeakerAction.QUOTE_MOVED_OUT, detail)
    event = _event(session, target, user, SpeakerAction.QUOTE_MOVED_IN, detail)
    refresh_misattribution(session, [quote.id])
    return event


def accept_suggestion(session: Session, suggestion_id: int, *, user: User | None) -> SpeakerEvent:
    """Merge the newer record of a suggestion into the one it resembles."""
    suggestion = _open_suggestion(session, suggestion_id)
    event = merge_speakers(session, suggestion.speaker, suggestion.candidate, user=user,
                           suggestion=suggestion)
    suggestion.status = SuggestionStatus.ACCEPTED.value
    return event


def reject_suggestion(session: Session, suggestion_id: int, *, user: User | None) -> SpeakerEvent:
    """Two different people after all: the suggestion is closed and not offered again."""
    suggestion = _open_suggestion(session, suggestion_id)
    suggestion.status = SuggestionStatus.REJECTED.value
    return _event(session, suggestion.speaker, user, SpeakerAction.SUGGESTION_REJECTED,
                  {"candidate_id": suggestion.candidate_id, "candidate_name": suggestion.candidate.name})


def open_suggestions(session: Session, *, page: int, per_page: int) -> Page[SpeakerMergeSuggestion]:
    """Suggested merges still waiting for an editor, likeliest first (both speakers live)."""
    speaker, candidate = aliased(Speaker), aliased(Speaker)
    query = (
        select(SpeakerMergeSuggestion)
        .join(speaker, speaker.id == SpeakerMergeSuggestion.speaker_id)
        .join(candidate, candidate.id == SpeakerMergeSuggestion.candidate_id)
        .where(SpeakerMergeSuggestion.status == SuggestionStatus.OPEN.value,
               speaker.merged_into_id.is_(None), candidate.merged_into_id.is_(None))
        .options(selectinload(SpeakerMergeSuggestion.speaker),
                 selectinload(SpeakerMergeSuggestion.candidate))
        .order_by(SpeakerMergeSuggestion.score.desc(), SpeakerMergeSuggestion.id)
    )
    return paginate(session, query, page=page, per_page=per_page)


def suggestions_for(session: Session, speaker_id: int) -> list[SpeakerMergeSuggestion]:
    """Open suggestions that involve this speaker."""
    return list(session.scalars(
        select(SpeakerMergeSuggestion).where(
            SpeakerMergeSuggestion.status == SuggestionStatus.OPEN.value,
            (SpeakerMergeSuggestion.speaker_id == speaker_id)
            | (SpeakerMergeSuggestion.candidate_id == speaker_id),
        ).options(selectinload(SpeakerMergeSuggestion.speaker),
                  selectinload(SpeakerMergeSuggestion.candidate))
    ))


def speaker_history(session: Session, speaker_id: int) -> list[SpeakerEvent]:
    """Every change to a speaker, newest first."""
    return list(session.scalars(
        select(SpeakerEvent).where(SpeakerEvent.speaker_id == speaker_id)
        .options(selectinload(SpeakerEvent.user))
        .order_by(SpeakerEvent.id.desc())
    ))


def _open_suggestion(session: Session, suggestion_id: int) -> SpeakerMergeSuggestion:
    suggestion = session.get(SpeakerMergeSuggestion, suggestion_id)
    if suggestion is None or suggestion.status != SuggestionStatus.OPEN.value:
        raise SpeakerNotFound("That suggestion is no longer open.")
    return suggestion


def _require_live(speaker: Speaker) -> None:
    if speaker.merged_into_id is not None:
        raise MergeNotAllowed(f"{speaker.name} was merged into another speaker; use that one.")


def _key_for(speaker: Speaker, name: str) -> str:
    if speaker.kind in _NAMED:
        return name_key(name)
    return organisation_key(name)


def _other_owner(session: Session, speaker: Speaker, key: str) -> Speaker | None:
    """Another live global speaker who already goes by ``key``."""
    if speaker.article_id is not None:
        return None
    other = find_speaker(session, key)
    return other if other is not None and other.id != speaker.id else None


def _event(session: Session, speaker: Speaker, user: User | None, action: SpeakerAction,
           detail: dict[str, Any]) -> SpeakerEvent:
    event = SpeakerEvent(speaker_id=speaker.id, user_id=user.id if user else None,
                         action=action.value, detail=detail)
    session.add(event)
    session.flush()
    return event


# -- the speaker page ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RoleSeen:
    """A role or title as articles wrote it, and when."""

    role: str
    first_at: datetime
    last_at: datetime
    quotes: int


@dataclass(frozen=True, slots=True)
class VerdictCount:
    verdict: Verdict
    count: int
    share: float  # of all the speaker's quotes, 0-1


@dataclass(frozen=True, slots=True)
class PeriodCount:
    label: str   # "2016-10" or "2016"
    count: int
    share: float  # of the busiest period, 0-1 (bar length)


@dataclass(frozen=True, slots=True)
class ClusterMember:
    quote: Quote
    relation: str | None  # how it relates to the cluster's first quote's family; None for the first


@dataclass(frozen=True, slots=True)
class QuoteCluster:
    """Quotes of one speaker linked by repeats, variants, fragments or extensions."""

    members: tuple[ClusterMember, ...]


@dataclass(frozen=True, slots=True)
class SpeakerProfile:
    speaker: Speaker
    total: int
    verdicts: tuple[VerdictCount, ...]
    periods: tuple[PeriodCount, ...]
    roles: tuple[RoleSeen, ...]
    clusters: tuple[QuoteCluster, ...]


_CLUSTER_LIMIT = 12
_DATE = func.coalesce(Article.published_at, Article.created_at)


def speaker_profile(session: Session, speaker: Speaker, *, internal: bool) -> SpeakerProfile:
    """What the speaker page summarises. Readers (``internal=False``) see only
    published verdicts; every other quote counts as unverified for them."""
    rows = session.execute(
        select(Quote.verdict, Quote.status, _DATE)
        .join(Article, Article.id == Quote.article_id)
        .where(Quote.speaker_id == speaker.id)
    ).all()
    total = len(rows)
    verdict_counts: dict[Verdict, int] = {}
    dates = []
    for verdict, status, said_at in rows:
        shown = verdict if (internal or status.is_public) else Verdict.UNVERIFIED
        verdict_counts[shown] = verdict_counts.get(shown, 0) + 1
        dates.append(said_at)
    verdicts = tuple(
        VerdictCount(v, verdict_counts[v], verdict_counts[v] / total)
        for v in Verdict if verdict_counts.get(v)
    )
    return SpeakerProfile(
        speaker=speaker, total=total, verdicts=verdicts, periods=_periods(dates),
        roles=_roles(session, speaker.id), clusters=_clusters(session, speaker.id),
    )


def quotes_of(session: Session, speaker_id: int, *, page: int, per_page: int) -> Page[Quote]:
    """The speaker's quotes, newest article first."""
    query = (
        select(Quote).join(Article, Article.id == Quote.article_id)
        .where(Quote.speaker_id == speaker_id)
        .options(selectinload(Quote.article), selectinload(Quote.speaker))
        .order_by(_DATE.desc(), Quote.id.desc())
    )
    return paginate(session, query, page=page, per_page=per_page)


def _periods(dates: list[datetime]) -> tuple[PeriodCount, ...]:
    if not dates:
        return ()
    span_days = (max(dates) - min(dates)).days
    monthly = span_days <= 3 * 366
    counts: dict[str, int] = {}
    for when in dates:
        label = f"{when.year}-{when.month:02d}" if monthly else str(when.year)
        counts[label] = counts.get(label, 0) + 1
    labels = _fill_gaps(sorted(counts), monthly)
    busiest = max(counts.values())
    return tuple(PeriodCount(label, counts.get(label, 0), counts.get(label, 0) / busiest)
                 for label in labels)


def _fill_gaps(labels: list[str], monthly: bool) -> list[str]:
    """Every month (or year) between the first and the last, so gaps show as gaps."""
    first, last = labels[0], labels[-1]
    if not monthly:
        return [str(year) for year in range(int(first), int(last) + 1)]
    year, month = map(int, first.split("-"))
    out = []
    while f"{year}-{month:02d}" <= last:
        out.append(f"{year}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


_SPACES = re.compile(r"\s+")


def _roles(session: Session, speaker_id: int) -> tuple[RoleSeen, ...]:
    rows = session.execute(
        select(Quote.role, Quote.title, _DATE)
        .join(Article, Article.id == Quote.article_id)
        .where(Quote.speaker_id == speaker_id, (Quote.role.is_not(None)) | (Quote.title.is_not(None)))
    ).all()
    seen: dict[str, list] = {}
    for role, title, said_at in rows:
        written = _SPACES.sub(" ", " ".join(p for p in (title, role) if p)).strip(" ,")
        if not written:
            continue
        key = fold(written).rstrip(".")
        entry = seen.setdefault(key, [written, said_at, said_at, 0])
        entry[1] = min(entry[1], said_at)
        entry[2] = max(entry[2], said_at)
        entry[3] += 1
    roles = [RoleSeen(w, first, last, n) for w, first, last, n in seen.values()]
    return tuple(sorted(roles, key=lambda r: (r.first_at, r.role)))


def _clusters(session: Session, speaker_id: int) -> tuple[QuoteCluster, ...]:
    """Groups of the speaker's own quotes joined by stored matches (union-find)."""
    newer, earlier = aliased(Quote), aliased(Quote)
    links = session.execute(
        select(QuoteMatch.quote_id, QuoteMatch.earlier_id, QuoteMatch.relation)
        .join(newer, newer.id == QuoteMatch.quote_id)
        .join(earlier, earlier.id == QuoteMatch.earlier_id)
        .where(newer.speaker_id == speaker_id, earlier.speaker_id == speaker_id)
    ).all()
    if not links:
        return ()
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    relation_of: dict[int, str] = {}
    for later_id, earlier_id, relation in links:
        parent[root(later_id)] = root(earlier_id)
        relation_of.setdefault(later_id, relation.value)
    groups: dict[int, list[int]] = {}
    for node in list(parent):
        groups.setdefault(root(node), []).append(node)
    biggest = sorted(groups.values(), key=lambda ids: (-len(ids), min(ids)))[:_CLUSTER_LIMIT]
    wanted = [i for ids in biggest for i in ids]
    quotes = {q.id: q for q in session.scalars(
        select(Quote).where(Quote.id.in_(wanted)).options(selectinload(Quote.article))
    )}
    clusters = []
    for ids in biggest:
        ordered = sorted(ids)
        members = tuple(ClusterMember(quotes[i], None if n == 0 else relation_of.get(i))
                        for n, i in enumerate(ordered) if i in quotes)
        clusters.append(QuoteCluster(members))
    return tuple(clusters)
