"""The article inside an HTML page: text and metadata, by trafilatura."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import trafilatura

from .clean import clean_text
from .errors import EmptyArticle


@dataclass(frozen=True, slots=True)
class PageContent:
    text: str
    title: str | None = None
    published_at: datetime | None = None
    site_name: str | None = None
    authors: str | None = None


def extract_html(html: str, *, url: str | None = None) -> PageContent:
    """Main text (paragraphs separated by a blank line) and metadata of a page."""
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
        )
    except (ValueError, TypeError, AttributeError) as error:  # malformed markup deep inside lxml
        raise EmptyArticle(f"The page could not be read as HTML ({error.__class__.__name__}).")
    if document is None or not (document.text or "").strip():
        raise EmptyArticle("No article text was found in the page.")
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    return PageContent(
        text=clean_text("\n\n".join(paragraphs)),
        title=(document.title or "").strip() or None,
        published_at=parse_date(document.date),
        site_name=(document.sitename or "").strip() or None,
        authors=(document.author or "").strip() or None,
    )


def parse_date(value: str | None) -> datetime | None:
    """An ISO date or datetime as timezone-aware UTC; None when it is not one."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)
