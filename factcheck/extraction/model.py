"""The value object the extractor returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ExtractedQuote", "SPEAKER_KINDS", "RESOLUTIONS"]

SPEAKER_KINDS = ("person", "organization", "group", "anonymous", "unknown")
#: how the speaker was reached, from most to least direct
RESOLUTIONS = ("direct", "surname", "description", "pronoun", "continuation", "none")


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """One direct quotation and who said it.

    ``segments`` are (start, end) offsets into the article, one per piece of
    a split or multi-paragraph quote; ``text[start:end]`` is the piece
    without its marks, and ``text`` joins the pieces as they were said: with
    ", " or ". " where the writer's comma before the attribution was cut off
    (see ``engine._joined``), else with a single space.
    """

    text: str
    segments: tuple[tuple[int, int], ...]
    speaker: str | None
    speaker_as_written: str | None
    speaker_span: tuple[int, int] | None
    role: str | None
    title: str | None
    speaker_kind: str
    cue: str | None
    kind: str
    confidence: float
    resolution: str

    @property
    def start(self) -> int:
        """Offset of the first piece."""
        return self.segments[0][0]

    @property
    def end(self) -> int:
        """End offset of the last piece."""
        return self.segments[-1][1]
