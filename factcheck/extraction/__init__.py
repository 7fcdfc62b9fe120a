"""Quote extraction: find every direct quotation in a news text and its speaker.

Pure standard library, so researchers can run it alone::

    >>> from factcheck.extraction import extract_quotes
    >>> [q.speaker for q in extract_quotes('“It works,” Jane Roe said.')]
    ['Jane Roe']
"""

from .engine import extract_quotes
from .model import ExtractedQuote

__all__ = ["extract_quotes", "ExtractedQuote"]
