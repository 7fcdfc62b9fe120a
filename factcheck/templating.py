"""Jinja filters and helpers shared by every page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from typing import Any, Callable, Iterable

from flask import Flask, current_app, request, url_for
from flask_login import current_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from .models import ReviewStatus, Verdict

# Public notes are Markdown written by reviewers. Raw HTML is off, so whatever
# they type is shown as text; markdown-it also refuses javascript: links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_markdown(source: str | None) -> Markup:
    return _rendered(source or "")


@lru_cache(maxsize=2048)
def _rendered(source: str) -> Markup:
    """A pure function of the text: an article page shows each note twice (card and
    list), and a note is shown again on its quote's page."""
    return Markup(_markdown.render(source))


@dataclass(frozen=True, slots=True)
class TextPiece:
    """A run of article text, inside a quote segment (quote set) or not."""

    text: str
    quote: Any = None
    first: bool = False  # first segment of its quote: carries the anchor


def annotate(text: str, quotes: Iterable[Any]) -> list[list[TextPiece]]:
    """Split the article text into paragraphs of pieces, marking quote segments.

    Each quote brings ``segments`` with ``start``/``end``; overlapping segments
    (which the extractor should not produce) are skipped, never doubled.
    """
    marks = []
    for quote in quotes:
        for number, segment in enumerate(quote.segments):
            marks.append((segment.start, segment.end, quote, number == 0))
    marks.sort(key=lambda mark: (mark[0], -mark[1]))
    pieces: list[TextPiece] = []
    position = 0
    for start, end, quote, first in marks:
        if start < position or end > len(text) or start >= end:
            continue
        if start > position:
            pieces.append(TextPiece(text[position:start]))
        pieces.append(TextPiece(text[start:end], quote, first))
        position = end
    if position < len(text):
        pieces.append(TextPiece(text[position:]))
    return _split_paragraphs(pieces)


def _split_paragraphs(pieces: list[TextPiece]) -> list[list[TextPiece]]:
    paragraphs: list[list[TextPiece]] = [[]]
    for piece in pieces:
        parts = piece.text.split("\n\n")
        for index, part in enumerate(parts):
            if index:
                paragraphs.append([])
            if part.strip("\n"):
                paragraphs[-1].append(TextPiece(part.strip("\n") if len(parts) > 1 else part,
                                                piece.quote, piece.first and index == 0))
    return [paragraph for paragraph in paragraphs if paragraph]


def format_date(value: datetime | None, fmt: str = "%d %b %Y") -> str:
    return value.strftime(fmt) if value else ""


def format_datetime(value: datetime | None) -> str:
    return value.strftime("%d %b %Y %H:%M UTC") if value else ""


def page_url(page: int) -> str:
    """The current URL with another page number, keeping the filters."""
    args = request.args.to_dict()
    args["page"] = str(page)
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def shown_verdict(quote: Any, desk: bool) -> Verdict:
    """The verdict this viewer may see: the desk sees drafts, readers only published verdicts."""
    return quote.verdict if desk or quote.status.is_public else Verdict.UNVERIFIED


_ID_MARK = 9_876_543_210  # stands for the id while the path is built


def id_path(endpoint: str) -> str:
    """The path of ``endpoint`` up to its one argument, an id at the path's end:
    ``id_path('quotes.show') ~ 7`` is ``url_for('quotes.show', quote_id=7)``.

    For pages that link many rows: one url_for per row costs more than the row.
    Built once per app and script root (the routes never change once it runs).
    """
    return _kept(("id", endpoint), lambda: _build_id_path(endpoint))


def path_for(endpoint: str, **values: str) -> str:
    """``url_for`` for the links every page carries (navigation, style sheet, feeds),
    built once per app and script root: values must be constants, never ids."""
    return _kept(("path", endpoint, *sorted(values.items())), lambda: url_for(endpoint, **values))


def _kept(key: tuple, build: Callable[[], str]) -> str:
    """A path built once per app and script root, then read from the app's store."""
    known = current_app.extensions.setdefault("factcheck_paths", {})
    key = (*key, request.script_root if request else "")
    path = known.get(key)
    if path is None:
        path = known[key] = build()
    return path


def _build_id_path(endpoint: str) -> str:
    (rule,) = current_app.url_map.iter_rules(endpoint)
    (argument,) = rule.arguments
    prefix, found, rest = url_for(endpoint, **{argument: _ID_MARK}).partition(str(_ID_MARK))
    if not found or rest:
        raise ValueError(f"{endpoint}: its path does not end with the id")
    return prefix


def register(app: Flask) -> None:
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals.update(
        # A global (not only a context variable) so imported macros can see it too.
        current_user=current_user,
        annotate=annotate,
        page_url=page_url,
        id_path=id_path,
        path_for=path_for,
        shown_verdict=shown_verdict,
        Verdict=Verdict,
        ReviewStatus=ReviewStatus,
    )
