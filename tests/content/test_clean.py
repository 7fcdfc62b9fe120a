import pytest

from factcheck.content import ArticleTooLarge, EmptyArticle, UnsupportedContent
from factcheck.content.clean import (
    canonical_url,
    check_size,
    clean_text,
    content_hash,
    decode_bytes,
    is_furniture,
    require_text,
    split_title,
)


@pytest.mark.parametrize("line, furniture", [
    ("Share.", True),
    ("Leave A Reply", True),
    ("Weather     Live Markets", True),
    ("Smiley face", True),
    ("Share on Facebook | Share on Twitter", True),
    ("We use cookies to improve your experience. Accept all", True),
    ("Sign up for our daily newsletter", True),
    ("Advertisement", True),
    ("The weather was cold when the minister arrived.", False),
    ("Share prices fell 4 percent on Tuesday after the announcement.", False),
    ('"Leave a reply to the committee," she said.', False),
    ("", False),
])
def test_furniture_lines(line, furniture):
    assert is_furniture(line) is furniture


def test_clean_text_drops_furniture_keeps_article():
    raw = "Smiley face\r\nWeather     Live Markets\r\n\r\nTitle here\r\n\r\n\r\n\r\nBody \u200btext.\r\nShare.\r\n"
    assert clean_text(raw) == "Title here\n\nBody text."


def test_clean_text_normalises_unicode_so_hashes_agree():
    composed, decomposed = "Caf\u00e9 owner said no.", "Cafe\u0301 owner said no."
    assert clean_text(composed) == clean_text(decomposed)
    assert content_hash(clean_text(composed)) == content_hash(clean_text(decomposed))


def test_content_hash_ignores_spacing_and_case():
    assert content_hash("One  two\nthree") == content_hash("one two three")
    assert content_hash("one two three") != content_hash("one two four")


@pytest.mark.parametrize("data, expected", [
    (b"plain ascii", "plain ascii"),
    ("caf\u00e9 \u201cquoted\u201d".encode("utf-8"), "caf\u00e9 \u201cquoted\u201d"),
    (b"\xef\xbb\xbfwith bom", "with bom"),
    ("na\u00efve".encode("cp1252"), "na\u00efve"),
    (b'<meta charset="iso-8859-1"><p>\xe9t\xe9</p>', '<meta charset="iso-8859-1"><p>\u00e9t\u00e9</p>'),
])
def test_decode_bytes(data, expected):
    assert decode_bytes(data) == expected


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 50])
def test_decode_refuses_binary(data):
    with pytest.raises(UnsupportedContent):
        decode_bytes(data)


@pytest.mark.parametrize("text", ["", "   \n\n ", "12345 ... !!!"])
def test_require_text_refuses_empty(text):
    with pytest.raises(EmptyArticle):
        require_text(text)


def test_check_size():
    check_size("a" * 100, 100)
    with pytest.raises(ArticleTooLarge):
        check_size("a" * 101, 100)


@pytest.mark.parametrize("text, title, body", [
    ("Headline\n\nFirst paragraph.", "Headline", "First paragraph."),
    ("\n\n  Headline  \nBody", "Headline", "Body"),
    ("word " * 40, "", ("word " * 40)),
])
def test_split_title(text, title, body):
    assert split_title(text) == (title, body)


@pytest.mark.parametrize("url, expected", [
    ("https://Example.com/a/b?utm_source=x&id=3#frag", "https://example.com/a/b?id=3"),
    ("http://example.com", "http://example.com/"),
    ("", None),
    (None, None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
