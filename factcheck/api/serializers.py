"""The API's JSON shapes, in one place so every route says the same thing.

Readers (no token) see only published verdicts: an unpublished quote reads as
``"verdict": "unverified"`` with ``status``, ``rating`` and notes null. Token
holders (the desk) see the full state, internal note and assignment included.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from flask import current_app, url_for

from ..models import Article, Evidence, Quote, QuoteMatch, ReviewEvent, ReviewStatus, Speaker, User
from ..services.review import DeskRules
from ..templating import render_markdown


def quote_to_json(quote: Quote, *, desk: bool) -> dict[str, Any]:
    """One quote with its review state, as the caller may see it."""
    shown = desk or quote.status.is_public
    rules = DeskRules.from_config(current_app.config)
    rating = rules.rating(quote.rating) if shown else None
    data: dict[str, Any] = {
        "id": quote.id,
        "url": url_for("quotes.show", quote_id=quote.id, _external=True),
        "text": quote.text,
        "kind": quote.kind.value,
        "speaker": speaker_to_json(quote.speaker),
        "speaker_as_written": quote.speaker_as_written,
        "role": quote.role,
        "article": article_to_json(quote.article),
        "verdict": quote.verdict.value if shown else "unverified",
        "misattributed_to": speaker_to_json(quote.misattributed_to) if shown else None,
        "rating": rating.key if rating else (quote.rating if shown else None),
        "rating_label": rating.label if rating else None,
        "rating_value": rating.value if rating else None,
        "status": quote.status.value if shown else None,
        "public_note": quote.public_note if shown else None,
        "public_note_html": str(render_markdown(quote.public_note)) if shown else None,
        "published_at": _iso(quote.published_at) if quote.status.is_public or desk else None,
        "version": quote.version,
    }
    if desk:
        data.update({
            "internal_note": quote.internal_note,
            "assignee": user_to_json(quote.assignee),
            "verdict_author": user_to_json(quote.verdict_author),
            "signed_off_by": user_to_json(quote.signed_off_by),
            "attribution": quote.attribution.value,
            "review_url": url_for("review.quote", quote_id=quote.id, _external=True),
        })
    return data


def quote_detail_to_json(quote: Quote, *, desk: bool, earlier: Iterable[QuoteMatch] = (),
                         later: Iterable[QuoteMatch] = ()) -> dict[str, Any]:
    """One quote with its evidence, matches and history (the single-quote GET)."""
    data = quote_to_json(quote, desk=desk)
    shown = desk or quote.status.is_public
    data["evidence"] = [evidence_to_json(item) for item in quote.evidence] if shown else []
    data["matches"] = (
        [match_to_json(m, m.earlier, "earlier", desk=desk) for m in earlier]
        + [match_to_json(m, m.quote, "later", desk=desk) for m in later]
    )
    if desk:
        data["history"] = [event_to_json(event) for event in quote.events]
    else:
        data["history"] = [
            {"status": event.to_value, "at": _iso(event.created_at)}
            for event in quote.events
            if quote.status.is_public and event.field == "status"
            and event.to_value in (ReviewStatus.PUBLISHED.value, ReviewStatus.CORRECTED.value)
        ]
    return data


def match_to_json(match: QuoteMatch, other: Quote, direction: str, *, desk: bool) -> dict[str, Any]:
    shown = desk or other.status.is_public
    return {
        "quote_id": other.id,
        "direction": direction,  # "earlier": this quote repeats it; "later": it repeats this one
        "relation": match.relation.value,
        "score": match.score,
        "misattribution": match.misattribution,
        "text": other.text,
        "speaker": speaker_to_json(other.speaker),
        "verdict": other.verdict.value if shown else "unverified",
        "status": other.status.value if shown else None,
    }


def event_to_json(event: ReviewEvent) -> dict[str, Any]:
    return {
        "at": _iso(event.created_at),
        "user": event.user.username if event.user else None,
        "field": event.field,
        "from": event.from_value,
        "to": event.to_value,
        "note": event.note,
        "version": event.quote_version,
    }


def evidence_to_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "id": evidence.id,
        "url": evidence.url,
        "title": evidence.title,
        "archive_url": evidence.archive_url,
        "accessed_on": evidence.accessed_on,
        "shows": evidence.shows,
    }


def speaker_to_json(speaker: Speaker | None) -> dict[str, Any] | None:
    if speaker is None:
        return None
    return {
        "id": speaker.id,
        "name": speaker.name,
        "kind": speaker.kind.value,
        "url": url_for("speakers.show", speaker_id=speaker.id, _external=True),
    }


def article_to_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "published_at": _iso(article.published_at),
        "page": url_for("articles.show", article_id=article.id, _external=True),
    }


def user_to_json(user: User | None) -> str | None:
    return user.username if user is not None else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None
