"""Named errors for input that cannot become an article; each says why."""


class IngestError(Exception):
    """Input that cannot be taken in. ``str(error)`` is shown to the user."""


class EmptyArticle(IngestError):
    """No article text is left after cleaning."""


class ArticleTooLarge(IngestError):
    """The input is over the configured size cap."""


class UnsupportedContent(IngestError):
    """Binary data, or a content type that is not HTML or plain text."""


class FetchRefused(IngestError):
    """The URL is not allowed: a non-public address, a bad scheme, too many redirects."""


class FetchFailed(IngestError):
    """The page could not be fetched: time-out, connection error, HTTP error."""


class TooManyQuotes(IngestError):
    """The text holds far more quotations than any article (stray marks, or many
    articles pasted as one)."""
