"""Speaker name normalising and comparing (factcheck.names), as a table of cases."""

import pytest

from factcheck.names import (
    SUGGEST_MERGE_AT, compare_names, is_plausible_name, name_key, name_skeleton, organisation_key,
    surname_key,
)


@pytest.mark.parametrize("written, key", [
    ("Dr. Elena Korosteleva", "elena korosteleva"),
    ("Sen. Elizabeth A. Warren (D-Mass.)", "elizabeth warren"),
    ("Elizabeth Warren, D-Mass.", "elizabeth warren"),
    ("Warren, Elizabeth", "elizabeth warren"),
    ("Warren, Elizabeth A.", "elizabeth warren"),
    ("Sen. Ted Cruz (R-Texas)", "ted cruz"),
    ("Ambassador Jane Roe", "jane roe"),
    ("President Volodymyr Zelenskiy", "volodymyr zelenskiy"),
    ("Prime Minister Theresa May", "theresa may"),
    ("Former Secretary of State Hillary Clinton", "hillary clinton"),
    ("Mr. Trump", "trump"),
    ("Ms. Ana Díaz", "ana diaz"),
    ("Trump’s", "trump"),
    ("Putin's", "putin"),
    ("Łukasz Đoković", "lukasz dokovic"),
    ("JANE ROE", "jane roe"),
    ("George W. Bush", "george bush"),
    ("J.D. Vance", "jd vance"),
    ("J. D. Vance", "jd vance"),
    ("Martin Luther King Jr.", "martin luther king"),
    ("Republican presidential nominee Donald Trump", "donald trump"),
    ("Smith, the mayor", "smith the mayor"),  # an apposition is not "Lastname, Firstname"
    ("🙂🙂", ""),
    ("", ""),
])
def test_name_key(written, key):
    assert name_key(written) == key


@pytest.mark.parametrize("a, b", [
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Volodymyr Zelenskiy", "Wolodymyr Zelenskij"),
    ("Aleksey Navalny", "Alexei Navalny"),
    ("Sergey Lavrov", "Sergei Lavrov"),
    ("Mohammed Salah", "Mohamed Salah"),
    ("Yury Dud", "Iurii Dud"),
])
def test_transliteration_variants_share_a_skeleton(a, b):
    assert name_skeleton(a) == name_skeleton(b)


@pytest.mark.parametrize("a, b", [
    ("Hillary Clinton", "Bill Clinton"),
    ("John Smith", "Jane Smith"),
    ("Mark Kelly", "Mike Kelly"),
])
def test_different_people_keep_different_skeletons(a, b):
    assert name_skeleton(a) != name_skeleton(b)


@pytest.mark.parametrize("a, b, certain, suggested", [
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky", True, True),
    ("Hillary Rodham Clinton", "Hillary Clinton", True, True),
    ("Donal Trump", "Donald Trump", False, True),          # a typo
    ("Elena Korostelva", "Elena Korosteleva", False, True),
    ("Bill Clinton", "William Clinton", False, True),      # a nickname
    ("Jon Smith", "John Smith", False, True),
    ("Clinton", "Hillary Clinton", False, True),           # a bare surname: could be anyone
    ("Hillary Clinton", "Chelsea Clinton", False, False),
    ("John Smith", "Jane Smith", False, False),
    ("Mark Kelly", "Mike Kelly", False, False),
    ("Angela Merkel", "Emmanuel Macron", False, False),
    ("", "Jane Roe", False, False),
])
def test_compare_names(a, b, certain, suggested):
    result = compare_names(a, b)
    assert result.certain is certain
    assert (result.score >= SUGGEST_MERGE_AT) is suggested


@pytest.mark.parametrize("name, plausible", [
    ("Jane Roe", True), ("Korosteleva", True), ("EU", True), ("he", False), ("She", False),
    ("they", False), ("🙂", False), ("...", False), ("2016", False), ("J.", False), ("", False),
    (None, False), ("x" * 301, False),
])
def test_is_plausible_name(name, plausible):
    assert is_plausible_name(name) is plausible


@pytest.mark.parametrize("name, key", [
    ("The U.S. State Department", "us state department"),
    ("Justice Department", "justice department"),
    ("the Kremlin", "kremlin"),
])
def test_organisation_key_keeps_title_words(name, key):
    assert organisation_key(name) == key


def test_surname_key_is_the_folded_last_name():
    assert surname_key("President Volodymyr Zelenskyy") == surname_key("Zelensky") == "zelenski"
    assert surname_key("!!!") is None
