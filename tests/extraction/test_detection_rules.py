"""Which quoted spans are speech: detection rules from issue 3, as a table.

Each row: (rule, text, expected), where expected lists (quote text, speaker as
displayed) in document order; [] means nothing in the text is speech. The
sentences are made up.
"""

import pytest

from factcheck.extraction import extract_quotes

ROWS = [
    # Names of shows, books, films and songs are not speech.
    ("title after a media noun and a comma",
     "Ana Ruiz spoke about the port on her podcast, “Harbour Talk.”", []),
    ("title after a media verb",
     "The network canceled “Tide Pool” after one season.", []),
    ("title after a preposition and 'the'",
     "Tomas Varga held a party at the “Blue Anchor Club” on Friday.", []),
    ("title after 'according to'",
     "According to “The Harbour Years,” the port closed in 1990.", []),
    ("title before a media noun",
     "“Low Tide” star Ana Ruiz said she was tired.", []),
    ("title before a media noun inside a sentence",
     "Critics loved the “Low Tide” reboot, Ana Ruiz said.", []),
    ("title before a description of the work",
     "Ana Ruiz bought the rights to “Low Tide,” a thriller about a ferry captain.", []),
    ("title before its author",
     "Her favourite read, “The Long Harbour,” by Tomas Varga, is about ferries.", []),
    ("second title of a list",
     "Tomas Varga starred in “Low Tide” and “High Water” last year.", []),
    ("a slogan after 'to' is still quoted",
     "Ana Ruiz repeated her promise to “Build The Bridge Again.”",
     [("Build The Bridge Again.", "Ana Ruiz")]),
    # Label words ("dubbed", "film", "show") before a quote, and what is not one.
    ("a name that is also a label word is not a label",
     "Ana Ruiz said the remark by Dr. Tomas Song “was rude and unfair.”",
     [("was rude and unfair.", "Ana Ruiz")]),
    ("words about a show after 'called the show' are speech",
     "Ana Ruiz called the show “the finest thing on the radio.”",
     [("the finest thing on the radio.", "Ana Ruiz")]),
    ("a dubbed name is still a label",
     "Ana Ruiz called the plan, dubbed “Harbour First,” a mistake.", []),
    ("a title is not the first piece of a split quote",
     "Ana Ruiz cited a report titled “Ports in Decline,” adding, “we must act now.”",
     [("we must act now.", "Ana Ruiz")]),
    # A quotation inside a quotation marked with the same kind of marks.
    ("same curly marks nest",
     "“He called it a “fair” deal and left,” Ana Ruiz said.",
     [("He called it a “fair” deal and left", "Ana Ruiz")]),
    ("same straight marks nest",
     '"They shouted "stop" at us," Tomas Varga said.',
     [('They shouted "stop" at us', "Tomas Varga")]),
    ("a stray opening mark before a quote is still dropped",
     "Ana Ruiz posted a sign: “Closed for repairs. “We will reopen in May,” she said.",
     [("We will reopen in May", "Ana Ruiz")]),
    # Misused or unbalanced marks.
    ("a right mark opening a paragraph opens the quote",
     "The vote was close.\n\n” … the ferry will run all winter,” Ana Ruiz said.",
     [("… the ferry will run all winter", "Ana Ruiz")]),
    ("a left mark ending a paragraph closes the quote",
     "“The ferry will run all winter,” Ana Ruiz said. “Every day of it. “\n\nShe left.",
     [("The ferry will run all winter. Every day of it.", "Ana Ruiz")]),
    # Wire style: two apostrophes for double marks, one for single ones.
    ("three apostrophes close the inner quote, then the outer one",
     "''She told me, 'You are late,''' Ana Ruiz said.",
     [("She told me, 'You are late,'", "Ana Ruiz")]),
    ("three apostrophes after a quoted word",
     "''I would call it 'brave,''' said Tomas Varga, the harbour master.",
     [("I would call it 'brave,'", "Tomas Varga")]),
    ("title-case words in a headline are still speech",
     "Ruiz Says Ferry Plan Is ‘Dead In The Water’\n\nThe council met on Monday.",
     [("Dead In The Water", "Ruiz")]),
    # Stray marks that happen to pair up are not speech; marks inside speech are.
    ("more loose marks than words inside a pair of marks",
     "Ana Ruiz said: “’ ‘ ' ferry ’”\n\nThe vote was on Monday.", []),
    ("apostrophes and a nested quote inside a quote",
     "Ana Ruiz said: “I don’t call it ‘fair’ and it isn’t.”",
     [("I don’t call it ‘fair’ and it isn’t.", "Ana Ruiz")]),
]


@pytest.mark.parametrize("rule,text,expected", ROWS, ids=[r[0] for r in ROWS])
def test_detection_rule(rule, text, expected):
    assert [(q.text, q.speaker) for q in extract_quotes(text)] == expected
