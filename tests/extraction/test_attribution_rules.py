"""Attribution rules added for issue 3, as tables: made-up sentences -> quotes.

Each row: (rule, text, expected), where expected is a list of (quote text,
speaker as displayed, speaker kind) in document order; speaker None means
unattributed.
"""

import pytest

from factcheck.extraction import extract_quotes

ROWS = [
    # Several people named together speak together.
    ("two names joined by 'and' after the quote",
     "“The numbers look grim,” Ana Ruiz and Tomas Varga wrote.",
     [("The numbers look grim", "Ana Ruiz and Tomas Varga", "group")]),
    ("a list of names after the quote",
     "“The numbers look grim,” Ana Ruiz, Tomas Varga and Ilona Berki wrote in a memo.",
     [("The numbers look grim", "Ana Ruiz, Tomas Varga and Ilona Berki", "group")]),
    ("two names before the verb, after an opening place phrase",
     "In Springfield, Ana Ruiz and Tomas Varga said the plan was “a disaster for the port.”",
     [("a disaster for the port.", "Ana Ruiz and Tomas Varga", "group")]),
    ("a list of names opening the sentence",
     "Ana Ruiz, Tomas Varga and Ilona Berki said the plan was “a disaster for the port.”",
     [("a disaster for the port.", "Ana Ruiz, Tomas Varga and Ilona Berki", "group")]),
    ("past the 'and', a verb ends the subject",
     "Police met Ana Ruiz and Tomas Varga said the plan was “a disaster for the port.”",
     [("a disaster for the port.", "Ana Ruiz and Tomas Varga", "group")]),
    ("a capitalised office with 'and' in its name stays one speaker",
     "Most recently, the Science and Culture Office of the Department of Fisheries "
     "concluded that the nets were “not suited to the work of the boats.”",
     [("not suited to the work of the boats.",
       "the Science and Culture Office of the Department of Fisheries", "organization")]),
]


@pytest.mark.parametrize("rule,text,expected", ROWS, ids=[r[0] for r in ROWS])
def test_rule(rule, text, expected):
    got = [(q.text, q.speaker, q.speaker_kind) for q in extract_quotes(text)]
    assert got == expected
