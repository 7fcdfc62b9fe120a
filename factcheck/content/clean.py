"""Turn raw input into clean article text: decode, normalise, drop page furniture."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit, parse_qsl, urlencode

from .errors import ArticleTooLarge, EmptyArticle, UnsupportedContent

# Lines that pages wrap around an article and that are never article text.
# Compared after lower-casing and stripping punctuation at both ends.
FURNITURE_LINES = frozenset(
    item.strip()
    for item in """
    share|share this|share this article|share on facebook|share on twitter|share on x
    |tweet|email|e-mail|print|comment|comments|leave a reply|leave a comment|reply
    |weather|live markets|markets|smiley face|advertisement|advertising|ad|sponsored
    |sponsored content|related|related articles|related stories|read more|read next
    |more from|recommended|subscribe|sign up|sign in|log in|login|register|menu|search
    |skip to content|skip to main content|close|open menu|home|trending|most read
    |follow us|like us on facebook|whatsapp|linkedin|facebook|twitter|pinterest|reddit
    |copy link|link copied|listen to this article|image|photo|video|watch|loading
    |cancel reply|post comment|you may also like|top stories|breaking news|newsletter
    """.split("|")
)
_FURNITURE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bcookies?\b.*\b(accept|consent|policy|use|settings|experience)\b",
        r"\b(accept|consent|policy|use|settings)\b.*\bcookies?\b",
        r"\bnewsletter\b.*\b(sign up|subscribe|inbox|delivered)\b",
        r"\b(sign up|subscribe)\b.*\bnewsletter\b",
        r"^(follow|share)\b.*\b(facebook|twitter|instagram|linkedin|whatsapp)\b",
        r"^(all rights reserved|©|copyright ©?\s*\d{4})",
        r"^(click|tap) here to\b",
        r"^(advertisement|story continues below)",
    )
]
_MAX_FURNITURE_WORDS = 30
_GAP = re.compile(r"\s{2,}|\s*[|•·]\s*")
_TRIM = re.compile(r"^[\W_]+|[\W_]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


def is_furniture(line: str) -> bool:
    """True for a line that belongs to the page around an article, not to it.

    >>> is_furniture("Weather     Live Markets"), is_furniture("She said no.")
    (True, False)
    """
    stripped = line.strip()
    if not stripped:
        return False
    if len(stripped.split()) > _MAX_FURNITURE_WORDS:
        return False
    pieces = [p for p in _GAP.split(stripped) if p.strip()]
    if pieces and all(_TRIM.sub("", p).lower() in FURNITURE_LINES for p in pieces):
        return True
    return any(pattern.search(stripped) for pattern in _FURNITURE_PATTERNS)


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode uploaded or fetched bytes as text, refusing binary data."""
    if b"\x00" in data[:8192]:
        raise UnsupportedContent("This looks like a binary file, not HTML or plain text.")
    for encoding in _candidate_encodings(data, declared):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_binary(text):
            raise UnsupportedContent("This looks like a binary file, not HTML or plain text.")
        return text
    return data.decode("cp1252", errors="replace")


def _candidate_encodings(data: bytes, declared: str | None) -> list[str]:
    found = []
    if data.startswith(codecs.BOM_UTF8):
        found.append("utf-8-sig")
    if declared:
        found.append(declared)
    meta = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    if meta:
        found.append(meta.group(1).decode("ascii"))
    found += ["utf-8", "cp1252"]
    return found


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / len(sample) > 0.05


def clean_text(text: str) -> str:
    """Normalise line ends and invisible characters and drop furniture lines.

    Unicode is put in NFC form so the same words always hash the same.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text)).replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines = [line for line in text.split("\n") if not is_furniture(line)]
    text = "\n".join(lines)
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def check_size(text: str, max_bytes: int) -> None:
    if len(text.encode("utf-8", errors="surrogatepass")) > max_bytes:
        raise ArticleTooLarge(
            f"The article is larger than the {max_bytes // (1024 * 1024)} MB limit."
        )


def require_text(text: str) -> str:
    if not text.strip():
        raise EmptyArticle("No article text was found: the input is empty or only page furniture.")
    if not any(ch.isalpha() for ch in text):
        raise EmptyArticle("The input has no words in it.")
    return text


def split_title(text: str) -> tuple[str, str]:
    """The first real line as the title, and the rest as the body.

    A first line longer than a headline (over 30 words) is not taken as a title.
    """
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            if len(line.split()) > 30:
                return "", text
            return line.strip(), "\n".join(lines[index + 1:]).strip()
    return "", text


def content_hash(text: str) -> str:
    """Fingerprint of the text: the same words with other spacing hash the same."""
    folded = _WHITESPACE.sub(" ", text).strip().casefold()
    return hashlib.sha256(folded.encode("utf-8", errors="surrogatepass")).hexdigest()


_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|cmp$)", re.IGNORECASE)


def canonical_url(url: str | None) -> str | None:
    """The URL without fragment and tracking parameters, host lower-cased.

    >>> canonical_url("HTTPS://Example.com/a?utm_source=x&id=2#top")
    'https://example.com/a?id=2'
    """
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not _TRACKING.match(k)])
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))
