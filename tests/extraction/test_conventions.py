"""News conventions from issue 3, as a table: made-up sentences -> quotes.

Each row: (convention, text, expected), where expected is a list of
(quote text, speaker as displayed, kind) in document order. Speaker None
means unattributed; a row with [] means nothing there is speech.
"""

import pytest

from factcheck.extraction import extract_quotes

ROWS = [
    ("said after", "“The bridge will reopen in May,” Mayor Ana Ruiz said.",
     [("The bridge will reopen in May", "Ana Ruiz", "full")]),
    ("said after, inverted", "“The bridge will reopen in May,” said Ana Ruiz.",
     [("The bridge will reopen in May", "Ana Ruiz", "full")]),
    ("said before with colon", "Ana Ruiz said: “The bridge will reopen in May.”",
     [("The bridge will reopen in May.", "Ana Ruiz", "full")]),
    ("told reporters before", "Ana Ruiz told reporters, “The bridge will reopen in May.”",
     [("The bridge will reopen in May.", "Ana Ruiz", "full")]),
    ("straight marks", 'Ana Ruiz said: "The bridge will reopen in May."',
     [("The bridge will reopen in May.", "Ana Ruiz", "full")]),
    ("doubled apostrophes", "''The bridge will reopen in May,'' Ana Ruiz said.",
     [("The bridge will reopen in May", "Ana Ruiz", "full")]),
    ("split quote",
     "“The bridge will reopen in May,” Ana Ruiz said, “and the ferry will stop.”",
     [("The bridge will reopen in May and the ferry will stop.", "Ana Ruiz", "full")]),
    ("title and appositive, inverted",
     "“Talks are stuck,” said Ambassador Tomas Varga, former envoy to Latvia.",
     [("Talks are stuck", "Tomas Varga", "full")]),
    ("relative clause between subject and verb",
     "“Talks are stuck,” Tomas Varga, who led the last round, said.",
     [("Talks are stuck", "Tomas Varga", "full")]),
    ("surname resolved to full name",
     "Tomas Varga arrived late. “Talks are stuck,” Varga said.",
     [("Talks are stuck", "Tomas Varga", "full")]),
    ("pronoun resolved",
     "“Talks are stuck,” Tomas Varga said. “We need a new offer,” he added.",
     [("Talks are stuck", "Tomas Varga", "full"),
      ("We need a new offer", "Tomas Varga", "full")]),
    ("pronoun picks the right gender",
     "“No,” said Mr. Tomas Varga. “Yes, we will,” said Mrs. Ilona Berki. "
     "“It is settled,” he added.",
     [("No", "Tomas Varga", "full"), ("Yes, we will", "Ilona Berki", "full"),
      ("It is settled", "Tomas Varga", "full")]),
    ("continuation paragraph",
     "“Talks are stuck,” Tomas Varga said.\n\n“We need a new offer by Friday.”",
     [("Talks are stuck", "Tomas Varga", "full"),
      ("We need a new offer by Friday.", "Tomas Varga", "full")]),
    ("multi-paragraph quote",
     "Tomas Varga said: “Talks are stuck.\n\n“We need a new offer by Friday.”",
     [("Talks are stuck. We need a new offer by Friday.", "Tomas Varga", "full")]),
    ("anonymous source",
     "“Nobody expected this,” said a senior U.S. diplomat speaking on condition "
     "of anonymity.",
     [("Nobody expected this", "a senior U.S. diplomat", "full")]),
    ("as X observed",
     "As one senior European diplomat observed, “The road will be long.”",
     [("The road will be long.", "one senior European diplomat", "full")]),
    ("organisation in a statement",
     "“The figures are wrong,” the ministry said in a statement.",
     [("The figures are wrong", "the ministry", "full")]),
    ("according to", "According to Ana Ruiz, “the bridge will reopen in May.”",
     [("the bridge will reopen in May.", "Ana Ruiz", "partial")]),
    ("dash attribution", "“Build the bridge.” — Commissioner Ana Ruiz",
     [("Build the bridge.", "Ana Ruiz", "full")]),
    ("group speaker", "“Open the bridge!” protesters chanted.",
     [("Open the bridge!", "protesters", "full")]),
    ("partial quote inside a sentence",
     "Ruiz said talks were “highly productive” and would go on.",
     [("highly productive", "Ruiz", "partial")]),
    ("dubbed is a name, not speech",
     "The plan, dubbed “Project Dawn,” was approved.", []),
    ("film title is not speech",
     "She watched the film “The Long Road” twice.", []),
    ("scare quotes are not speech",
     "The so-called “reform” passed on Tuesday.", []),
    ("nested quote stays inside",
     "“He told me ‘never again’ and left,” Ana Ruiz said.",
     [("He told me ‘never again’ and left", "Ana Ruiz", "full")]),
    ("apostrophes are not quote marks",
     "Ana Ruiz’s plan wasn’t new. “It’s the voters’ choice,” Ruiz said.",
     [("It’s the voters’ choice", "Ana Ruiz", "full")]),
    ("misused curly marks",
     "“The bridge will reopen,“ Ana Ruiz said.",
     [("The bridge will reopen", "Ana Ruiz", "full")]),
    ("one stray mark does not derail the article",
     "The 6” pipe burst.\n\n“The bridge will reopen,” Ana Ruiz said.",
     [("The bridge will reopen", "Ana Ruiz", "full")]),
    ("reporting verb inside the quote is ignored",
     "“They said it would fail,” Ana Ruiz told reporters.",
     [("They said it would fail", "Ana Ruiz", "full")]),
    ("two speakers alternating",
     "“We will win,” said Ana Ruiz. “You will lose,” said Tomas Varga. "
     "“Wait and see,” Ruiz said.",
     [("We will win", "Ana Ruiz", "full"), ("You will lose", "Tomas Varga", "full"),
      ("Wait and see", "Ana Ruiz", "full")]),
    ("wrote on social media",
     "“The bridge is open,” Ana Ruiz wrote on Twitter.",
     [("The bridge is open", "Ana Ruiz", "full")]),
    ("tweeted", "Ana Ruiz tweeted: “The bridge is open.”",
     [("The bridge is open.", "Ana Ruiz", "full")]),
    ("warned", "“This will end badly,” Tomas Varga warned.",
     [("This will end badly", "Tomas Varga", "full")]),
    ("insisted before", "Tomas Varga insisted that the plan was “fully funded.”",
     [("fully funded.", "Tomas Varga", "partial")]),
    ("headline colon", "Varga: ‘Talks Are Stuck’\n\nTomas Varga spoke on Monday.",
     [("Talks Are Stuck", "Varga", "full")]),
    ("paragraph ending in a colon",
     "Tomas Varga put it bluntly:\n\n“Talks are stuck and we need a new offer.”",
     [("Talks are stuck and we need a new offer.", "Tomas Varga", "full")]),
]


@pytest.mark.parametrize("convention,text,expected", ROWS, ids=[r[0] for r in ROWS])
def test_convention(convention, text, expected):
    got = [(q.text, q.speaker, q.kind) for q in extract_quotes(text)]
    assert got == expected


def test_dr_title_role_and_as_written():
    text = ("“Conditions have changed,” explained Dr. Elena Korosteleva, Professor of "
            "International Relations at the University of Kent, “but it is not over.”")
    [q] = extract_quotes(text)
    assert q.speaker == "Elena Korosteleva"
    assert q.speaker_as_written == "Dr. Elena Korosteleva"
    assert q.title == "Dr."
    assert q.role == "Professor of International Relations at the University of Kent"
    assert q.cue == "explained"
    assert q.speaker_kind == "person"
    assert len(q.segments) == 2
    assert q.text == "Conditions have changed but it is not over."
    for a, b in q.segments:
        assert text[a:b] in q.text


@pytest.mark.parametrize("text,kind", [
    ("“Fine,” the ministry said.", "organization"),
    ("“Fine,” protesters chanted.", "group"),
    ("“Fine,” said a senior official.", "anonymous"),
    ("“Fine,” said Ana Ruiz.", "person"),
])
def test_speaker_kind(text, kind):
    [q] = extract_quotes(text)
    assert q.speaker_kind == kind


@pytest.mark.parametrize("text,resolution", [
    ("“Fine,” said Ana Ruiz.", "direct"),
    ("Ana Ruiz came. “Fine,” Ruiz said.", "surname"),
    ("“Fine,” said Ana Ruiz. “Good,” she said.", "pronoun"),
    ("“Fine,” said Ana Ruiz.\n\n“Good and well done.”", "continuation"),
    ("“Fine,” said a senior official.", "description"),
])
def test_resolution_and_confidence_order(text, resolution):
    q = extract_quotes(text)[-1]
    assert q.resolution == resolution
    direct = extract_quotes("“Fine,” said Ana Ruiz.")[0]
    if resolution not in ("direct", "surname"):
        assert q.confidence < direct.confidence
