"""Getting article content in: decoding, cleaning, HTML extraction and safe fetching.

No Flask and no database here; the ingestion service ties these together.
"""

from .errors import (
    ArticleTooLarge,
    EmptyArticle,
    FetchFailed,
    FetchRefused,
    IngestError,
    TooManyQuotes,
    UnsupportedContent,
)

__all__ = [
    "ArticleTooLarge",
    "EmptyArticle",
    "FetchFailed",
    "FetchRefused",
    "IngestError",
    "TooManyQuotes",
    "UnsupportedContent",
]
