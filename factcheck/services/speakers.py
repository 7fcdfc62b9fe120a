"""The speaker registry: one record per person, found again by name or alias."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..extraction import ExtractedQuote
from ..models import Article, Speaker, SpeakerAlias, SpeakerKind
from ..names import name_key

_KINDS = {kind.value: kind for kind in SpeakerKind}


def speaker_for_quote(session: Session, quote: ExtractedQuote, article: Article) -> Speaker | None:
    """The speaker record for an extracted quote, created when it is new.

    Anonymous descriptions ("a senior U.S. diplomat") get a record per article
    and are never shared across articles.
    """
    if not quote.speaker:
        return None
    kind = _KINDS.get(quote.speaker_kind, SpeakerKind.UNKNOWN)
    key = name_key(quote.speaker)
    if not key:
        return None
    if kind is SpeakerKind.ANONYMOUS:
        return _anonymous_speaker(session, quote.speaker, key, article)
    speaker = find_speaker(session, key)
    if speaker is None:
        speaker = Speaker(name=quote.speaker, key=key, kind=kind)
        session.add(speaker)
        session.flush()
    if quote.resolution in ("direct", "surname"):
        _remember_alias(session, speaker, quote.speaker_as_written)
    return speaker


def find_speaker(session: Session, key: str) -> Speaker | None:
    """A live (not merged-away) speaker whose key or an alias key is ``key``."""
    speaker = session.scalars(
        select(Speaker)
        .where(Speaker.key == key, Speaker.merged_into_id.is_(None), Speaker.article_id.is_(None))
        .order_by(Speaker.id)
        .limit(1)
    ).first()
    if speaker is not None:
        return speaker
    return session.scalars(
        select(Speaker)
        .join(SpeakerAlias)
        .where(SpeakerAlias.key == key, Speaker.merged_into_id.is_(None))
        .order_by(Speaker.id)
        .limit(1)
    ).first()


def _anonymous_speaker(session: Session, description: str, key: str, article: Article) -> Speaker:
    speaker = session.scalars(
        select(Speaker).where(Speaker.key == key, Speaker.article_id == article.id)
    ).first()
    if speaker is None:
        speaker = Speaker(name=description, key=key, kind=SpeakerKind.ANONYMOUS, article_id=article.id)
        session.add(speaker)
        session.flush()
    return speaker


def _remember_alias(session: Session, speaker: Speaker, written: str | None) -> None:
    """Keep each new way the article wrote the name ("Korosteleva", "Dr. Korosteleva")."""
    if not written:
        return
    key = name_key(written)
    if not key or key == speaker.key or len(written) > 300:
        return
    if any(alias.key == key for alias in speaker.aliases):
        return
    speaker.aliases.append(SpeakerAlias(alias=written.strip(), key=key))
