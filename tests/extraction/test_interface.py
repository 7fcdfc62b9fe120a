"""The public interface other code is written against."""

import dataclasses

import pytest

from factcheck.extraction import ExtractedQuote, extract_quotes


def test_said_after_gives_a_frozen_quote_with_exact_offsets():
    text = "“We will rebuild the bridge,” Mayor Ana Ruiz said on Monday."
    [q] = extract_quotes(text)
    assert isinstance(q, ExtractedQuote)
    assert q.text == "We will rebuild the bridge"
    assert text[q.start:q.end] == q.text
    assert q.speaker == "Ana Ruiz"
    assert q.speaker_as_written == "Mayor Ana Ruiz"
    assert q.cue == "said"
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.text = "x"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["", "no quotes here", "\"", "“", "''"])
def test_no_quote_gives_empty_list(text):
    assert extract_quotes(text) == []
