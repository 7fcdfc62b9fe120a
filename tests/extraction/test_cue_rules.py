"""Cue parsing rules (issue 3), as tables: made-up sentences -> quotes.

Each row: (rule, text, expected), where expected is a list of (quote text,
speaker as displayed) in document order; speaker None means unattributed.
"""

import pytest

from factcheck.extraction import extract_quotes

ROWS = [
    # A long subject right after a quote that closes with a comma.
    ("a party in parentheses after a long title and name",
     "“We will fix the port by spring,” Senate Minority Leader Jane M. Roe (D-Ore.) said "
     "in a statement.",
     [("We will fix the port by spring", "Jane M. Roe")]),
    ("a name with an institute whose name has 'for' in it",
     "“We will win the port back,” Tomas Varga of the Institute for Harbor Studies wrote "
     "in May.",
     [("We will win the port back", "Tomas Varga")]),
    ("a description of one speaker with 'and' inside",
     "“We will win the port back,” the Oregon senator and Democratic presidential "
     "candidate said in a statement.",
     [("We will win the port back",
       "the Oregon senator and Democratic presidential candidate")]),
    ("names joined by 'and' with their institute after 'of'",
     "Ana Ruiz spoke.\n\n“It would be a stretch for the harbor,” harbor experts Tom "
     "Albright and Ilona Berki of the Institute for Science and Harbor Security wrote in "
     "September.",
     [("It would be a stretch for the harbor", "Tom Albright and Ilona Berki")]),
    ("a title and name after a quote ending with '!', the verb closing the sentence",
     "Ana Ruiz spoke.\n\n“We cast our votes for the next mayor, Tomas Varga!” State "
     "Senator Jeff Lenz said as he opened the vote.",
     [("We cast our votes for the next mayor, Tomas Varga!", "Jeff Lenz")]),
    ("after a quote ending with '.', a name whose verb has an object starts a sentence",
     "Ana Ruiz spoke.\n\n“The port is closing.” Harbor Master Jeff Lenz said the ships "
     "would leave.",
     [("The port is closing.", "Ana Ruiz")]),
    ("a long descriptor with 'and' before the name",
     "Ana Ruiz spoke.\n\n“The plan is a disaster,” former Harbor Board member and current "
     "mayoral candidate Tomas Varga said.",
     [("The plan is a disaster", "Tomas Varga")]),
    ("'speaking on condition of anonymity' is an aside, 'told' the cue",
     "Ana Ruiz spoke.\n\n“The plan is a disaster,” a senior administration official, "
     "speaking on condition of anonymity, told the Courier.",
     [("The plan is a disaster", "a senior administration official")]),
    ("a noun 'report' before the verb is no cue",
     "“Even the chairwoman’s computer had been hacked,” the congressional report said.",
     [("Even the chairwoman’s computer had been hacked", "the congressional report")]),
    ("the subject of a sentence of its own after a clause is not the cue",
     "Even as Roe claimed on Monday that “the port made money,” one of the auditors "
     "for the harbour board said the books were different.",
     [("the port made money", "Roe")]),
    # The quote runs on into the sentence; an inverted attribution closes it.
    ("', said X' after the words following a quote",
     "“We are thrilled” about the vote, said Jane Roe, director of the Harbor Fund.",
     [("We are thrilled", "Jane Roe")]),
    ("', said X' after a partial quote inside a sentence",
     "The vote marks “the end of an era” for the port, said Jane Roe, a director of the "
     "Harbor Fund.",
     [("the end of an era", "Jane Roe")]),
    ("', said X' after a clause opening with 'that'",
     "“It looks unlikely” that the port reopens, said Tomas Varga, a former harbour master.",
     [("It looks unlikely", "Tomas Varga")]),
    ("'…” for the X, Roe said' after the words following a quote",
     "Ana Ruiz spoke.\n\n“Let me thank the volunteers who worked so hard” for the "
     "victory, Varga said.",
     [("Let me thank the volunteers who worked so hard", "Varga")]),
    ("'…” of the case, the opinion said'",
     "“The board expresses no view on the merits” of the case, the unsigned opinion said.",
     [("The board expresses no view on the merits", "the unsigned opinion")]),
    ("an organisation name with a dollar figure before a title and name",
     "Ana Ruiz spoke.\n\n“They have to decide whether to feed their kids,” Fight for $15 "
     "organizing director Tomas Varga told Harbor News 6 in Springfield.",
     [("They have to decide whether to feed their kids", "Tomas Varga")]),
    ("a short quoted name inside the appositive after the quote",
     "Ana Ruiz spoke.\n\n“We have had better conventions than this one,” delegate Bill "
     "Lenz, wearing a cowboy hat and “Varga” campaign pins, said matter-of-factly.",
     [("We have had better conventions than this one", "Bill Lenz")]),
    ("'“A” and “B,” Dean said' still reaches past the next quote",
     "Ana Ruiz spoke.\n\n“A disaster” and “a waste,” Dean said.",
     [("A disaster", "Dean"), ("a waste", "Dean")]),
    ("'told' after an appositive with a clause: the subject, not the listener",
     "Ana Ruiz spoke.\n\n“The agents are under a lot of pressure,” a harbor source, who "
     "was not authorized to speak on the record, told Harbor News.",
     [("The agents are under a lot of pressure", "a harbor source")]),
    ("'adding:' shares the subject of 'said', not of a noun 'call'",
     "The spokesman declined to answer questions but said there was no telephone call "
     "planned with Varga, adding: “If one is proposed we will consider it.”",
     [("If one is proposed we will consider it.", "The spokesman")]),
    ("'told' is not inverted: the listener is not who spoke",
     "“He had it coming,” the skipper, Tomas Varga, told the evening program “Harbour "
     "Watch” later.",
     [("He had it coming", "Tomas Varga")]),
    # Subjects before the quote.
    ("a name with a role between dashes",
     "Tom Sims — a teacher from Salem — says the mayor’s endorsement was “a big deal.”",
     [("a big deal.", "Tom Sims")]),
    ("'a source familiar with' is a speaker",
     "Ana Ruiz spoke. But a source familiar with the board’s review said the parts that "
     "were hacked suggested the intruders were seeking “economic intelligence.”",
     [("economic intelligence.", "a source")]),
    ("'was asked by X,' gives the asker's words",
     "Varga was asked by host Bill Lenz, who backs Varga, “Are you still tired of "
     "hearing about the port?”",
     [("Are you still tired of hearing about the port?", "Bill Lenz")]),
    ("'the Associated Press' before a verb is a name, not a noun 'press'",
     "A letter from the Harbor Legion obtained by The Associated Press warns that "
     "“any further communication will be through our attorney.”",
     [("any further communication will be through our attorney.",
       "A letter from the Harbor Legion obtained by The Associated Press")]),
    ("a long record obtained by a named outlet",
     "A Feb. 1 letter from the Harbor Legion of Oregon obtained by The Associated Press "
     "warns that “any further communication will be through our attorney.”",
     [("any further communication will be through our attorney.",
       "A Feb. 1 letter from the Harbor Legion of Oregon obtained by The Associated Press")]),
    ("'was prompted to say,': the subject speaks",
     "Ana Ruiz spoke. But the debate was so subdued that Mr. Varga was prompted to say, "
     "“So far, I cannot believe how civil it has been.”",
     [("So far, I cannot believe how civil it has been.", "Varga")]),
    ("'led the harbor master to say,': the object speaks",
     "The delay led the harbor master to say, “We are done here.”",
     [("We are done here.", "the harbor master")]),
    ("a fronted 'Said X, who …,'",
     "The house is a museum now. Said Dora Lenz, who grew up with Varga in the "
     "neighborhood, “We were all so proud of him.”",
     [("We were all so proud of him.", "Dora Lenz")]),
    ("'to describe X, on a call' is no inverted attribution",
     "“Who is the con man here?” said Murphy, using a term Ruiz has used to describe "
     "Tomas Varga, on a call with reporters. “The board produced bills that shortchange "
     "the port.”",
     [("Who is the con man here?", "Murphy"),
      ("The board produced bills that shortchange the port.", "Murphy")]),
    ("a long capitalised organisation and title before a name: the person",
     "The Council on Harbor-Fishing Relations National Executive Director Nihad Lenz says "
     "in a statement that Varga’s “inflammatory rhetoric has crossed the line.”",
     [("inflammatory rhetoric has crossed the line.", "Nihad Lenz")]),
    # A verb inside the phrase before the cue: its subject, never the clause.
    ("'X shared a syllabus for a class called “…”': X, not the clause",
     "Later on Sunday, Varga shared a syllabus for a 2002 harbor class called “Tides” on "
     "his page.",
     [("Tides", "Varga")]),
    ("'X hoisted a sign that read “…”'",
     "At a rally in Salem, 14-year-old Ana Lenz hoisted a sign that read “15%!”",
     [("15%!", "Ana Lenz")]),
    ("a headline: 'X promises panel report “…”' gives X",
     "Lenz promises harbor panel report “as soon as possible.”",
     [("as soon as possible.", "Lenz")]),
    ("'Y, which X claims affirmed “…”' gives X, not 'X claims'",
     "Lenz praised the speech in Salem, which Varga claims affirmed “the belief in a free "
     "port.”",
     [("the belief in a free port.", "Varga")]),
    ("'at one point the crowd reprised the chant'",
     "Boos rained down when Varga named the mayor, and at one point the crowd loudly "
     "reprised the caustic chant “Lock her up!” that rang through the hall.",
     [("Lock her up!", "the crowd")]),
    ("a sentence ended inside the phrase: the subject of the new one",
     "Delegates cheered on the convention floor. But a fresh harbor poll said most voters "
     "want “a new port.”",
     [("a new port.", "a fresh harbor poll")]),
    ("the poll behind a share of voters stays inside its sentence",
     "Delegates cheered on the convention floor. But a fresh harbor poll shows how hard it "
     "will be: Six in 10 voters said that if nobody wins, the board \"should vote for the "
     "candidate with the most support in the port.\"",
     [("should vote for the candidate with the most support in the port.",
       "a fresh harbor poll")]),
    # A description with the name after it: show the name.
    ("'The board’s chairwoman, Jane Roe, called'",
     "The board’s chairwoman, Jane Roe, called the plan “a disaster.”",
     [("a disaster.", "Jane Roe")]),
    ("'Roe’s spokesman, Tom Lenz, said'",
     "Roe’s spokesman, Tom Lenz, said the plan was “a disaster.”",
     [("a disaster.", "Tom Lenz")]),
    ("'one longtime resident, Jo Lenz, 67, said': the name, without the age",
     "Ana Ruiz spoke.\n\n“We have waited too long,” one longtime Salem resident, Jo Lenz, "
     "67, said.",
     [("We have waited too long", "Jo Lenz")]),
    ("an organisation with a description after it keeps its name",
     "The Harbor Fund, a lobby group, said the plan was “a disaster.”",
     [("a disaster.", "The Harbor Fund")]),
    ("a relative clause before a colon does not reach the subject after it",
     "The plan drew support. Even people who endorsed the plan sounded unsure: Former Rep. "
     "Jane Lenz called it “the least bad option.”",
     [("the least bad option.", "Jane Lenz")]),
    ("'…, with the Federation of X calling her “…”'",
     "Unions backed Ruiz early, with the American Federation of Harbor Workers calling her "
     "“the champion working families need.”",
     [("the champion working families need.", "the American Federation of Harbor Workers")]),
    ("'…, with Senator X telling reporters …'",
     "The attack sparked a debate, with Senator Jo Lenz telling reporters on Thursday he "
     "viewed Varga as “directly responsible.”",
     [("directly responsible.", "Jo Lenz")]),
    ("'and X began chanting “…”': X, past 'began'",
     "Crowds gathered, and Tomas Varga began chanting “We will win.”",
     [("We will win.", "Tomas Varga")]),
    ("'over who backed which bill that Gov. X said,' gives X, not the sentence subject",
     "The debate between Varga and Ruiz grew so heated over who supported which bill that "
     "Gov. Jo Lenz said, “I need a translator.”",
     [("I need a translator.", "Jo Lenz")]),
    ("'years ago that Michael Lenz, who …, said'",
     "It was less than three years ago that Michael Lenz, who is thinking about running, "
     "said it was “impossible.”",
     [("impossible.", "Michael Lenz")]),
    ("'Another sailor who … and who … said' keeps the sailor",
     "Another sailor who worked there and who did not want to be named said the port was "
     "“a mess.”",
     [("a mess.", "Another sailor")]),
    ("after an earlier quote, a new clause with its own subject carries the next one",
     "And, in a clip that Judge Jo W. Lenz called \"distasteful,\" Varga expressed a desire "
     "to \"shoot the mayor in the harbor.\"",
     [("distasteful", "Jo W. Lenz"), ("shoot the mayor in the harbor.", "Varga")]),
    # ", who said": the noun phrase nearest the comma, never the clause.
    ("'drew praise from Senator X, who said'",
     "The plan drew praise from Senator Ana Ruiz, who said it was “a fine idea.”",
     [("a fine idea.", "Ana Ruiz")]),
    ("'drew praise from a professor at Yale, who said'",
     "The plan drew praise from a professor at Yale, who said it was “a fine idea.”",
     [("a fine idea.", "a professor at Yale")]),
    ("'steep for Mr. X, who said'",
     "The loss was steep for Mr. Varga, who said he intended to get “recharged.”",
     [("recharged.", "Varga")]),
    ("a role keeps its 'for': 'a spokesman for Senator X, who said'",
     "The plan was backed by a spokesman for Senator Ana Ruiz, who said it was “a fine "
     "idea.”",
     [("a fine idea.", "a spokesman for Senator Ana Ruiz")]),
    ("'in X’s words, “…”'",
     "The summit was held in Salem because, in Forbes’ words, “it is the most "
     "entrepreneurial place on the planet.”",
     [("it is the most entrepreneurial place on the planet.", "Forbes")]),
    ("'In X’s own words:'",
     "Ana spoke. In Varga’s own words: “We are done here.”",
     [("We are done here.", "Varga")]),
    # "As X, <appositive>, put it": the name after "as" speaks.
    ("'as X, a role, put it:' after an opening 'Or,'",
     "Ana Ruiz spoke first. Or, as Tomas Varga, a former harbor master, put it: "
     "“The ships are gone.”",
     [("The ships are gone.", "Tomas Varga")]),
    ("'as X, a role, noted,'",
     "As Tomas Varga, the harbor master, noted, “The ships are gone.”",
     [("The ships are gone.", "Tomas Varga")]),
    # Digest lines: "<headline> - Name: “…”".
    ("a name after a dash, before the colon",
     "Polls missed the caucus - Ana P. Ruiz: “The polls were wrong by ten points.”",
     [("The polls were wrong by ten points.", "Ana P. Ruiz")]),
    ("an outlet after an em dash, before the colon",
     "The port is closed — Harbor News Desk: “The port closed at noon on Friday.”",
     [("The port closed at noon on Friday.", "Harbor News Desk")]),
    # Appositive subjects after an opening word or phrase.
    ("'But X, <long appositive>, said that'",
     "But Tom Miller, the head of the Harbor Fund, a group that sued the port, said that "
     "“the damage is done.”",
     [("the damage is done.", "Tom Miller")]),
    ("a day, a place with its state code and an opening clause before the subject",
     "Tuesday at Harbor Hall in Springfield, OR, after winning the port vote, Mayor Ana "
     "Ruiz (D-OR), said, “I am getting ready to rent a covered wagon.”",
     [("I am getting ready to rent a covered wagon.", "Ana Ruiz")]),
    ("a month name opening a name is no date",
     "April Lenz, a spokeswoman for the harbor board, said in a statement that the crew "
     "would work “to ensure the safety of all of our sailors.”",
     [("to ensure the safety of all of our sailors.", "April Lenz")]),
    ("'Name, in a speech … on Tuesday night, said:' keeps the name",
     "Ana Ruiz spoke. Varga, in a speech to supporters in Salem on Tuesday night, said: "
     "“We will win.”",
     [("We will win.", "Varga")]),
    ("'Sen. X (R-Ore.), a role, said': the name without the party tag",
     "Sen. Tomas Varga (R-Ore.), a candidate for mayor, said the plan was “dead.”",
     [("dead.", "Tomas Varga")]),
    ("'But Sen. X (D-Ore.), noting …, said,'",
     "But Sen. Jo Lenz (D-Ore.), noting the size of the crowd, said, “He has a heck of an "
     "email list.”",
     [("He has a heck of an email list.", "Jo Lenz")]),
    ("'…, in what Bay Lenz, a treasurer, called': the name before the last role",
     "Manafort went to the last contested convention in 1976, in what Bay Lenz, national "
     "treasurer for the insurgent campaign, called “hand-to-hand combat.”",
     [("hand-to-hand combat.", "Bay Lenz")]),
    ("a clause opening the sentence: the name before the last role",
     "Varga had gone too far, tarring a former mayor who is popular in Salem, and uttering "
     "charges that Rush Lenz, for one, called “liberal lingo.”",
     [("liberal lingo.", "Rush Lenz")]),
    ("'X, who …, and who …, said' keeps X",
     "Jane Roe, who has led the port since 2010, and who is running for mayor, said the plan "
     "was “dead.”",
     [("dead.", "Jane Roe")]),
    ("an opening participle phrase is not the subject",
     "Walking into the hall, Senator Ana Ruiz, Democrat of Oregon, said, "
     "“His remarks are not helping.”",
     [("His remarks are not helping.", "Ana Ruiz")]),
    ("'But Tuesday,' is when, not who",
     "But Tuesday, the mayor, Ana Ruiz, said that “the damage is done.”",
     [("the damage is done.", "Ana Ruiz")]),
    # A colon after a lead with no speaker of its own.
    ("a lead naming the last speaker continues them",
     "“The port will close,” Tomas Varga said.\n\nMore from Varga: “The ships are gone "
     "and the cranes are sold.”",
     [("The port will close", "Tomas Varga"),
      ("The ships are gone and the cranes are sold.", "Tomas Varga")]),
    ("a lead not naming the last speaker: nobody to show, dropped",
     "“The port will close,” Tomas Varga said.\n\nThen, later that month on Harbor Radio: "
     "“The ships are gone and the cranes are sold.”",
     [("The port will close", "Tomas Varga")]),
    ("a question before the colon is nobody to show",
     "Many people disliked the phrase “self-deportation.” Why not just say: “They will go "
     "home the same way they came”?",
     [("self-deportation.", "Many people"),
      ("They will go home the same way they came", None)]),
    ("'Name, role: “…”'",
     "Tomas Varga, the mayor: “The port will stay open.”",
     [("The port will stay open.", "Tomas Varga")]),
    ("'Name, age, role: “…”'",
     "Ana Ruiz spoke.\n\nTomas Varga, 54, a retired captain: “The port is ours.”",
     [("The port is ours.", "Tomas Varga")]),
    ("'The ministry, in a statement: “…”'",
     "The ministry, in a statement: “The port will stay open.”",
     [("The port will stay open.", "The ministry")]),
    ("'Wait, it gets better:' is nobody",
     "Wait, it gets better: “The port will stay open.”",
     []),
    ("'From the report:' names the document",
     "The panels differ. From the report: “In general, larger samples were more accurate.”",
     [("In general, larger samples were more accurate.", "the report")]),
    ("'Then came X’s reply:'",
     "Ana Ruiz spoke.\n\nThen came Varga’s reply: “It is a disaster for the whole town.”",
     [("It is a disaster for the whole town.", "Varga")]),
    ("'The board’s response, in full:'",
     "Ana Ruiz spoke.\n\nThe board’s response, in full: “It is a disaster.”",
     [("It is a disaster.", "The board")]),
    ("'Here’s X in 1992:'",
     "Tomas Varga spoke in Salem.\n\nHere’s Varga in 1992: “It is a disaster for the town.”",
     [("It is a disaster for the town.", "Tomas Varga")]),
    ("'From X's post:' names the author",
     "Ana Ruiz spoke. From Varga’s Facebook post: “We must move on from this port fight.”",
     [("We must move on from this port fight.", "Varga")]),
]


@pytest.mark.parametrize("rule,text,expected", ROWS, ids=[r[0] for r in ROWS])
def test_cue_rule(rule, text, expected):
    got = [(q.text, q.speaker) for q in extract_quotes(text)]
    assert got == expected
