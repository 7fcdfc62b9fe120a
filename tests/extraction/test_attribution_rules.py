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
    # A phrase that cannot be who spoke ("Hours", "the past", "the port could
    # be closed") gives way to the subject of the sentence or of a later clause.
    ("a time phrase opening the sentence is not the speaker",
     "Hours later, Tomas Varga returned the favour, telling the Courier, "
     "“The mayor is a fine man.”",
     [("The mayor is a fine man.", "Tomas Varga", "person")]),
    ("an adverb between a named subject and its participle",
     "At a rally, some of his fans shoved a heckler, with Varga reportedly yelling: "
     "“Get him out!”",
     [("Get him out!", "Varga", "person")]),
    ("'who has in the past described': the antecedent of 'who'",
     "Varga, who has in the past described the plan as “a fraud,” voted for it.",
     [("a fraud", "Varga", "person")]),
    ("a clause after 'said' is not the speaker; the sentence subject is",
     "Ilona Berki, a city planner who once drew the harbour, said the new plan "
     "was “a mess.”",
     [("a mess.", "Ilona Berki", "person")]),
    ("'on Friday' after a subject is when, not who",
     "Ana Ruiz on Friday pummeled the mayor as “a coward.”",
     [("a coward.", "Ana Ruiz", "person")]),
    ("'earlier' after a subject is when, not who",
     "Varga earlier blasted the “rigged” vote.",
     [("rigged", "Varga", "person")]),
    # Nouns and names inside descriptions.
    ("'state' after 'of' is a noun ('the secretary of state said')",
     "“It is a mess,” the former secretary of state said.",
     [("It is a mess", "the former secretary of state", "person")]),
    ("a description with a name in apposition shows the name",
     "“It is a mess,” said the former secretary of state, Ana Ruiz.",
     [("It is a mess", "Ana Ruiz", "person")]),
    ("'her lawyer, Ana Ruiz' shows the name",
     "“It is a mess,” said her lawyer, Ana Ruiz.",
     [("It is a mess", "Ana Ruiz", "person")]),
    # More verbs of speaking.
    ("'beamed' after the quote",
     "“This is fantastic!” beamed Tomas Varga of Springfield, who came to cheer.",
     [("This is fantastic!", "Tomas Varga", "person")]),
    ("'pressed' after the quote",
     "“Does that not speak to your judgment?” Ana Ruiz pressed.",
     [("Does that not speak to your judgment?", "Ana Ruiz", "person")]),
    ("'gloated' before a colon",
     "The mayor spoke on Monday. And Ana Ruiz gloated: “I told you so.”",
     [("I told you so.", "Ana Ruiz", "person")]),
    ("'reacted', inverted",
     "“Is the mayor profiling?” reacted Tomas Varga.",
     [("Is the mayor profiling?", "Tomas Varga", "person")]),
    ("a front page 'blared'",
     "“Choke!” blared the front page of the Courier.",
     [("Choke!", "the front page of the Courier", "organization")]),
    ("'press' in 'press secretary' is a noun",
     "“Fine,” city press secretary Ana Ruiz said.",
     [("Fine", "Ana Ruiz", "person")]),
    # The reporter's source named after the quote is who the words are
    # attributed to, whether the verb comes before or after the quote.
    ("'according to' after a quote carried by a verb before it",
     "On Monday, Varga said he was “happy to see” that Ruiz won, according to the Courier.",
     [("happy to see", "the Courier", "organization")]),
    ("'according to' a record after the quote",
     "Varga wrote to the firm, threatening “a major lawsuit,” according to a copy of the "
     "letter reviewed by the Courier.",
     [("a major lawsuit", "a copy of the letter reviewed by the Courier", "organization")]),
    ("', reported X' after the quote",
     "Ruiz noted that the port is “central” to the plan, reported the Courier.",
     [("central", "the Courier", "organization")]),
    ("'according to' after an abbreviated title in the same sentence",
     "“You have been very critical of me,” he told Sen. Ana Ruiz (R-Ore.), according to "
     "officials with knowledge of the meeting.",
     [("You have been very critical of me", "officials", "group")]),
    ("'according to the Times': a newspaper named Times can be the source",
     "Ruiz spoke.\n\n“Ruiz asked them all for advice,” Varga writes in his book, according "
     "to the Times.",
     [("Ruiz asked them all for advice", "the Times", "organization")]),
    ("'according to' in the next sentence is not this quote's source",
     "Ruiz said the port is “central” to the plan. According to the Courier, it will close.",
     [("central", "Ruiz", "person")]),
    ("a record noun after a modifier, its dangling participle dropped",
     "Some 55 percent of voters said Ruiz “cares about people like me,” according to a "
     "Courier poll conducted in May.",
     [("cares about people like me", "a Courier poll", "organization")]),
    # A share of respondents speaking is the poll's finding.
    ("'25 percent of likely voters say': the poll named before",
     "The poll has bad news for Varga: 25 percent of likely voters say they would "
     "“definitely not support” him.",
     [("definitely not support", "The poll", "organization")]),
    ("'Six in 10 voters said': the poll named before",
     "A fresh Courier poll shows it: Six in 10 voters said the council “should resign now.”",
     [("should resign now.", "A fresh Courier poll", "organization")]),
    ("'31% of farmers said': the poll named before",
     "In a new Courier poll released Monday, 31% of farmers said they were “extremely "
     "worried” about prices.",
     [("extremely worried", "a new Courier poll", "organization")]),
    # Noun phrases that run past a quoted title, a participle or a month.
    ("a quoted title inside an appositive: its comma still closes it",
     "Ana Ruiz, star of the show “Harbour,” wrote that the city was “taking these steps "
     "to make us all safer.”",
     [("taking these steps to make us all safer.", "Ana Ruiz", "person")]),
    ("a record 'obtained by' someone is the speaker, 'May' is a month",
     "A May 1 letter from the Harbour Union obtained by the Courier warns that “any "
     "further talks will be held through our lawyer.”",
     [("any further talks will be held through our lawyer.",
       "A May 1 letter from the Harbour Union obtained by the Courier", "organization")]),
    # What is shown as the speaker must read as one.
    ("a stray mark opening the paragraph is not part of the name",
     "\"Ana Ruiz said the plan was “dead.”",
     [("dead.", "Ana Ruiz", "person")]),
    ("a bare adjective found where the speaker should be: unattributed",
     "It has not helped that her campaign has cycled through slogans, from “everyday "
     "people” to “fighting for us,” playing on Mr. Varga's more divisive remarks.",
     [("everyday people", None, "unknown")]),
    # A subject may open with lower-case nouns before the name.
    ("'city council member Ana Ruiz decried the “…” vote'",
     "Earlier, city council member Ana Ruiz decried the “rigged” vote.",
     [("rigged", "Ana Ruiz", "person")]),
    ("lower-case nouns before two names",
     "In the end, council members Ana Ruiz and Tomas Varga decried the “rigged” vote.",
     [("rigged", "Ana Ruiz and Tomas Varga", "group")]),
    ("a conjunction before a name whose appositive lost its comma",
     "But Tomas Varga, at a consulting firm called Harbour Partners said the port "
     "“will grow again.”",
     [("will grow again.", "Tomas Varga", "person")]),
    ("a participle before a name does not open a subject",
     "Leaving Springfield, the mayor called it “a big show.”",
     [("a big show.", "the mayor", "person")]),
    # Long subjects after the quote.
    ("a question mark, then a name with its appositive and the verb",
     "Ruiz spoke first.\n\n“How are you today?” Miller, a retired nurse from the port, "
     "said into the phone.",
     [("How are you today?", "Miller", "person")]),
    ("a name with its institute, seven words long",
     "Ruiz spoke first.\n\n“Big tax cuts do not work,” Tomas Varga of the Harbour Policy "
     "Institute wrote recently.",
     [("Big tax cuts do not work", "Tomas Varga", "person")]),
    ("a long descriptor before the name",
     "Ruiz spoke first.\n\n“They have to choose,” Fight for Ports organizing director "
     "Tomas Varga told the Courier.",
     [("They have to choose", "Tomas Varga", "person")]),
    ("a descriptor with a number before the name",
     "Ruiz spoke first.\n\n“They have to choose,” Fight for $15 organizing director "
     "Tomas Varga told the Courier.",
     [("They have to choose", "Tomas Varga", "person")]),
    ("a name after 'for' is not who speaks",
     "But even as Ruiz claimed that “Varga got in trouble for far less,” one of the former "
     "lawyers for Tomas Varga said the cases were different.",
     [("Varga got in trouble for far less", "Ruiz", "person")]),
    ("'Of Varga,' opens the sentence; the speaker follows",
     "“He is a circus act,” Levine said.\n\n“He is a showman.” Of Varga, Levine, who "
     "gave money to the port, said, “He is scary.”",
     [("He is a circus act", "Levine", "person"), ("He is a showman.", "Levine", "person"),
      ("He is scary.", "Levine", "person")]),
    ("a doubled-apostrophe quote ending in a nested quote: the cue after it",
     "Ruiz spoke first.\n\n''I would call it 'old-school,''' said Tomas Varga, who now "
     "backs the mayor.",
     [("I would call it 'old-school,'", "Tomas Varga", "person")]),
    ("'Or, as X, a former …, put it:'",
     "Or, as Tomas Varga, a former harbour master, put it: “The ships are gone now.”",
     [("The ships are gone now.", "Tomas Varga", "person")]),
    ("'as' before a clause stays an opening phrase",
     "As the ships left, Tomas Varga, a former harbour master, said: “They are gone.”",
     [("They are gone.", "Tomas Varga", "person")]),
    ("an appositive with a 'who' clause that lost its closing comma, after the quote",
     "Ruiz spoke.\n\n“The mayor needs a plan,” Tomas Varga, the pollster who founded the "
     "Courier tweeted on Wednesday.",
     [("The mayor needs a plan", "Tomas Varga", "person")]),
    ("the same before the quote",
     "Tomas Varga, the pollster who founded the Courier tweeted that the plan was “a mess.”",
     [("a mess.", "Tomas Varga", "person")]),
    ("an inverted cue after a short aside",
     "Ruiz spoke.\n\n“It will be a challenge” for the mayor, said Tomas Varga, a former "
     "harbour master.",
     [("It will be a challenge", "Tomas Varga", "person")]),
    ("a fronted 'Said X, who …,' before the quote",
     "The small home was renovated. Said Ana Ruiz, who grew up with Varga nearby, “We "
     "were all so proud of him.”",
     [("We were all so proud of him.", "Ana Ruiz", "person")]),
    ("a speaker found past a closing mark is shown without it",
     "“It is over,” Ruiz said. “We lost.”",
     [("It is over", "Ruiz", "person"), ("We lost.", "Ruiz", "person")]),
    ("a participle after an inverted cue, across a no-break space",
     "Ruiz spoke.\n\nThe shift felt small.\u00a0“It is not new,” said Rep. Ana Ruiz "
     "(D-Ore.)\u00a0at the time, adding that\u00a0“we elect women.” Analyst Tomas Varga agreed.",
     [("It is not new", "Ana Ruiz", "person"), ("we elect women.", "Ana Ruiz", "person")]),
    ("'Here's X in 1992:' presents the speaker",
     "Ruiz teases it out. Here’s Ruiz in December 1992: “Our new direction must rest on "
     "the new realities.”",
     [("Our new direction must rest on the new realities.", "Ruiz", "person")]),
    ("', says X, a historian,' inside the sentence names the speaker",
     "The paradox of the mayor, says Tomas Varga, a historian at the Harbour Library, is "
     "that she was “one of the most powerful people in the city,” not for her policy.",
     [("one of the most powerful people in the city", "Tomas Varga", "person")]),
    ("', says X,' with no appositive",
     "The plan, says Varga, is “a disaster.”",
     [("a disaster.", "Varga", "person")]),
    ("a lower-case description after 'the show' is no title",
     "Radio chief Tomas Varga called the show “the best news show on air.”",
     [("the best news show on air.", "Tomas Varga", "person")]),
    ("a title-case title after 'the show' is still a title",
     "Ruiz starred in the show “Harbour Nights” last year.", []),
    ("'makes' is the verb after a document subject",
     "A footnote in the report makes that clear: “These rules do not apply to the mayor.”",
     [("These rules do not apply to the mayor.", "A footnote in the report", "organization")]),
    ("a surname is not completed from the words of a headline",
     "Rivals Make Move Against Tomas Varga At Debate.\n\n“We will win,” Varga said.",
     [("We will win", "Varga", "person")]),
    ("a surname is completed from a full mention in the text",
     "Ruiz met Tomas Varga.\n\n“We will win,” Varga said.",
     [("We will win", "Tomas Varga", "person")]),
    ("a transcript line 'Rep. X (D-Ore.):' with no space before the quote",
     "The figure was her camp's.\n\nRep. Ana Ruiz (D-Ore.):“Who told you that?”\n\nFormer "
     "harbour master and councillor Tomas Varga:“The port did.”",
     [("Who told you that?", "Ana Ruiz", "person"), ("The port did.", "Tomas Varga", "person")]),
    ("'X was asked by Y, “…?”': the question is Y's",
     "Ruiz was asked by host Tomas Varga, who backs her, “Now, you said you were tired of "
     "it, right?”",
     [("Now, you said you were tired of it, right?", "Tomas Varga", "person")]),
    ("an inverted 'said X' closing the sentence the quote opened",
     "Ruiz spoke.\n\n“It seems unlikely” that Varga can catch Ruiz, said Tomas Berki, deputy "
     "manager of the 2004 campaign.",
     [("It seems unlikely", "Tomas Berki", "person")]),
    ("'HEADLINE - Name: “…”' in a news roundup",
     "TURNOUT IN IOWA DOES NOT RAISE HOPES ELSEWHERE - Ana B. Ruiz: “At long last the "
     "contests have started.”",
     [("At long last the contests have started.", "Ana B. Ruiz", "person")]),
    ("a fronted 'Said X:' - 'Said' is no first name",
     "Said Varga: “The port is closed.”",
     [("The port is closed.", "Varga", "person")]),
    # Opening pieces before a subject with its appositives.
    ("'But X, the president of …, a group that …, said'",
     "But Tomas Varga, the president of Port Watch, a group that has sued the city, said "
     "that “the damage is done.”",
     [("the damage is done.", "Tomas Varga", "person")]),
    ("an opening participle phrase before the subject and its appositive",
     "Dashing into a lunch of councillors, Councillor Ana Ruiz, Democrat of Springfield, "
     "called over her shoulder, “His comments are not helping.”",
     [("His comments are not helping.", "Ana Ruiz", "person")]),
    ("'exhorted', inverted, after a long quote",
     "“It is about time we had a woman running this city,” exhorted the mayor's "
     "introducer, Ana Ruiz.",
     [("It is about time we had a woman running this city", "Ana Ruiz", "person")]),
    # Title-case names of works, shows and campaigns are not speech.
    ("a book title after 'book,' with a comma",
     "In his new book, “Harbour of Dreams,” and in an interview, Varga said little.", []),
    ("a show title after 'program,'",
     "Ruiz became a radio host with a new program, “The Port Hour,” last year.", []),
    ("a campaign name between 'the' and a noun",
     "As the “Never Varga” movement grows, the mayor is calm.", []),
    ("a slogan on a tote bag",
     "Ruiz took the stage with a “Talk Ports to Me” tote bag.", []),
    ("a title after '<noun> called'",
     "A news site called “The Harbour Local” cited the report.", []),
    ("a song the candidate walked on to",
     "Ruiz walked on to “Eye of the Storm.” The crowd cheered.", []),
    ("a one-word title with its period inside the marks is still a title",
     "Varga said he has never watched an episode of “Lighthouse.” He prefers the radio.", []),
    ("a book 'according to' is a source, its title no quote",
     "According to “The Port Kings: Three Generations,” by Ana Ruiz, the family was rich.",
     []),
    ("one capitalised word after 'a' is not taken for a title",
     "A State Department official called the memo “Secret” in an email.",
     [("Secret", "A State Department official", "anonymous")]),
    # Asides and time phrases between a subject, its verb and the quote.
    ("a noun after the quote is no inverted cue ('“secret” email chains')",
     "Ana Ruiz last week said the mayor was not the author of any “secret” email chains.",
     [("secret", "Ana Ruiz", "person")]),
    ("a participle after an inverted cue shares its subject",
     "Ruiz left. “Let him decide,” said Councillor Tomas Varga, urging those calling for "
     "Ruiz’s exit to “give him time.”",
     [("Let him decide", "Tomas Varga", "person"), ("give him time.", "Tomas Varga", "person")]),
    ("a short aside between the quote and the subject",
     "Ruiz left. “The court expresses no view on the merits” of the case, the unsigned "
     "opinion said.",
     [("The court expresses no view on the merits", "the unsigned opinion", "organization")]),
    ("two quotes joined by 'and' share the cue after the second",
     "Guns are “the worst health crisis” and “stunt children’s growth,” Tomas Varga, the "
     "former governor of Oregon, proclaimed to a cheering crowd.",
     [("the worst health crisis", "Tomas Varga", "person"),
      ("stunt children’s growth", "Tomas Varga", "person")]),
    ("one person described twice after the quote",
     "Ruiz spoke first.\n\n“The port is closing,” the harbour master and deputy mayor told "
     "the Courier.",
     [("The port is closing", "the harbour master and deputy mayor", "person")]),
    ("a name with its office and party in parentheses, seven words, after the quote",
     "Ruiz spoke first.\n\n“The firm is gaming the system,” Senate Minority Leader Tomas M. "
     "Varga (D-Ore.) said in a statement.",
     [("The firm is gaming the system", "Tomas M. Varga", "person")]),
    ("a quote after a sentence that quotes someone continues that speaker",
     "Ruiz spoke first.\n\n“This is silly,” wrote Tomas Varga, an adviser to Mayor Ana Ruiz "
     "and Councillor Ilona Berki, who backs the plan. “Blacklisted?”",
     [("This is silly", "Tomas Varga", "person"), ("Blacklisted?", "Tomas Varga", "person")]),
    ("a lone 'Then:' before a quote is nobody",
     "Ruiz spoke first.\n\n“This is silly,” Tomas Varga wrote. Then: “Blacklisted?”",
     [("This is silly", "Tomas Varga", "person"), ("Blacklisted?", None, "unknown")]),
    ("a quote inside a 'when X …' clause is X's",
     "Varga looked rattled at the debate, unable to say much when Ruiz accused him of an "
     "“artful smear” over her funds.",
     [("artful smear", "Ruiz", "person")]),
    ("'X's assertion that “…”' with no reporting verb: X's words",
     "For example, Varga's recent evidence-free assertion that “thousands” of people "
     "cheered is false.",
     [("thousands", "Varga", "person")]),
    ("a reporting verb in the sentence still wins over a possessive",
     "In his statement, the mayor said Varga's claim was “absurd.”",
     [("absurd.", "the mayor", "person")]),
    ("'so heated that X said': the subject after 'that'",
     "The debate grew so heated over which bill was whose that Springfield Mayor Ana "
     "Berki said, “I need a translator.”",
     [("I need a translator.", "Ana Berki", "person")]),
    ("an 'as' clause between the quote and the subject",
     "Varga left early. “He was going to make the family name known,” as his father "
     "dreamed, Mr. Turry said.",
     [("He was going to make the family name known", "Turry", "person")]),
    ("'who' before a colon belongs to another clause",
     "Even people who backed the plan sounded unsure: Former Rep. Ana Ruiz called it "
     "“the least bad option.”",
     [("the least bad option.", "Ana Ruiz", "person")]),
    ("a reporting verb after 'to' is an infinitive, not the cue",
     "In a year of change, Varga said Ruiz was right to urge city leaders “to stand up.”",
     [("to stand up.", "Varga", "person")]),
    ("an aside between dashes after the subject names the person",
     "A former candidate -- Ana Ruiz, who lost the race to Varga -- said the mayor "
     "“offered no changes.”",
     [("offered no changes.", "Ana Ruiz", "person")]),
    ("a name in apposition followed by a 'who' clause",
     "“We offered no changes,” said the campaign's state director, Mike Rubino, who "
     "joined in May.",
     [("We offered no changes", "Mike Rubino", "person")]),
    ("'less than two weeks ago' before the verb is when, not who",
     "The ministry less than two weeks ago said that “secret” files had been lost.",
     [("secret", "The ministry", "organization")]),
]


@pytest.mark.parametrize("rule,text,expected", ROWS, ids=[r[0] for r in ROWS])
def test_rule(rule, text, expected):
    got = [(q.text, q.speaker, q.speaker_kind) for q in extract_quotes(text)]
    assert got == expected


@pytest.mark.parametrize("text,speaker,title,role", [
    ("“Fine,” Springfield Mayor Ana Berki said.", "Ana Berki", "Mayor", "Springfield"),
    ("“Fine,” Oregon Gov. Tomas Varga said.", "Tomas Varga", "Gov.", "Oregon"),
    ("“Fine,” City Hall Press Secretary Ana Ruiz said.", "Ana Ruiz", "Secretary",
     "City Hall Press"),
    ("“Fine,” Senate Ranking Democrat Ana Ruiz said.", "Ana Ruiz", None,
     "Senate Ranking Democrat"),
    ("“Fine,” General Motors said.", "General Motors", None, None),
])
def test_name_after_a_place_or_office_and_a_title(text, speaker, title, role):
    [q] = extract_quotes(text)
    assert (q.speaker, q.title, q.role) == (speaker, title, role)


def test_speaker_as_written_has_no_stray_space_or_mark():
    quotes = extract_quotes("“It is over,” Ruiz said. “We lost.”")
    assert [q.speaker_as_written for q in quotes] == ["Ruiz", "Ruiz"]
