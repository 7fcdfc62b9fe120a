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


# A pronoun resolved to a name found earlier, a continuation paragraph and a
# split quote: the kinds of quote that lean on what came before.
LEANING_ON_EARLIER = (
    "“The port will close in May,” said Harbour Master Tomas Varga.\n\n"
    "“We have no other choice.”\n\n"
    "Varga added that the ferries would keep running. “They are safe,” he said, "
    "“and they will stay safe.”\n\n"
    "“Nobody asked us,” a fisherman said."
)


@pytest.mark.parametrize("text", [
    LEANING_ON_EARLIER,
    "“One,” Ruiz said. “Two,” Lee said. " * 5,
    "\u201c“ '‘ said Smith ’” Jane Roe said: “x y” \n" * 30,
])
def test_max_quotes_gives_the_first_quotes_of_the_whole_list(text):
    whole = extract_quotes(text)
    assert len(whole) >= 3
    for n in range(len(whole) + 2):
        assert extract_quotes(text, max_quotes=n) == whole[:n]
